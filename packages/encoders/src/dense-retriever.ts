import {
  DenseIndex,
  type IndexedText,
  type IndexOptions,
  type InnerProductKernel,
  type Retriever,
  type SearchOptions,
} from '@rtk/retrieval';
import type { EmbeddingCache } from './embedding-cache.js';
import { InvalidEncoderOptionError, NotIndexedError } from './errors.js';
import type { SentenceEncoder } from './sentence-encoder.js';

/** Options for the {@link DenseRetriever} constructor. */
export interface DenseRetrieverOptions {
  readonly encoder: SentenceEncoder;
  /** Embedding cache for passages and queries (see {@link openEmbeddingCache}). */
  readonly cache?: EmbeddingCache;
  /** Texts per ONNX run (default 32). */
  readonly batchSize?: number;
  /** Matrix-product engine for the search (default: `@rtk/retrieval`'s pure-JS kernel). */
  readonly kernel?: InnerProductKernel;
  /** Name for reports; default the model id. */
  readonly name?: string;
}

/** `ScoredDoc` of `@rtk/metrics`, taken from the contract so this package needs no direct dependency on it. */
type ScoredDoc = Awaited<ReturnType<Retriever['search']>>[number][number];

interface Indexed {
  readonly ids: readonly string[];
  readonly index: DenseIndex;
}

/**
 * A `Retriever` that embeds passages once with a {@link SentenceEncoder} and ranks them for each
 * query by cosine similarity, with the exact blocked search of `@rtk/retrieval`'s `DenseIndex`.
 *
 * Passages are encoded with the `passage` role and queries with the `query` role (E5's
 * `passage: ` / `query: ` prefixes). With normalised embeddings (the default) the index scores
 * by inner product, which then equals cosine; otherwise it normalises a copy (metric `cosine`).
 * Ties keep the passage that came first in the corpus (the project's ranking rule).
 *
 * @example
 * ```ts
 * const retriever = new DenseRetriever({ encoder: await loadSentenceEncoder() });
 * await retriever.index([{ id: 'd1', text: 'Paris is the capital of France.' }, { id: 'd2', text: 'Bananas are yellow.' }]);
 * console.log(await retriever.search(['capital of france'], { k: 1 }));
 * // [ [ { id: 'd1', score: 0.87… } ] ]
 * ```
 */
export class DenseRetriever implements Retriever {
  readonly name: string;
  readonly #encoder: SentenceEncoder;
  readonly #cache: EmbeddingCache | undefined;
  readonly #batchSize: number | undefined;
  readonly #kernel: InnerProductKernel | undefined;
  #indexed: Indexed | undefined;

  constructor(options: DenseRetrieverOptions) {
    this.#encoder = options.encoder;
    this.#cache = options.cache;
    this.#batchSize = options.batchSize;
    this.#kernel = options.kernel;
    this.name = options.name ?? options.encoder.settings.model;
  }

  /**
   * Encode and index a corpus, replacing any previous one. `onProgress` reports passages encoded.
   *
   * @throws {@link InvalidEncoderOptionError} when two documents share an id.
   */
  async index(corpus: readonly IndexedText[], options: IndexOptions = {}): Promise<void> {
    const ids = corpus.map((d) => d.id);
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id))
        throw new InvalidEncoderOptionError(
          'corpus',
          'DenseRetriever.index',
          'documents with distinct ids',
          `id ${JSON.stringify(id)} twice`,
        );
      seen.add(id);
    }
    const vectors = await this.#encoder.encode(
      corpus.map((d) => d.text),
      {
        role: 'passage',
        batchSize: this.#batchSize,
        onProgress: options.onProgress,
        cache: this.#cache,
      },
    );
    this.#indexed = {
      ids,
      index: new DenseIndex(vectors, {
        dim: this.#encoder.dim,
        metric: this.#encoder.settings.normalize ? 'dot' : 'cosine',
        kernel: this.#kernel,
      }),
    };
  }

  /**
   * Top-k passages per query, best first. `onProgress` reports queries encoded. An empty corpus
   * gives an empty ranking per query.
   *
   * @throws {@link NotIndexedError} before {@link index}; `InvalidKError` from `@rtk/retrieval` for a bad `k`.
   */
  async search(queries: readonly string[], options: SearchOptions): Promise<ScoredDoc[][]> {
    const indexed = this.#indexed;
    if (indexed === undefined) throw new NotIndexedError('DenseRetriever.search');
    const vectors = await this.#encoder.encode(queries, {
      role: 'query',
      batchSize: this.#batchSize,
      onProgress: options.onProgress,
      cache: this.#cache,
    });
    const tops = await indexed.index.search(vectors, { k: options.k });
    return tops.map((top) =>
      Array.from(top.indices, (row, r) => ({ id: indexed.ids[row]!, score: top.scores[r]! })),
    );
  }
}
