import { rankOf, type ScoredDoc } from '@rtk/metrics';
import { DenseIndex } from './dense-index.js';
import { embedWithCache } from './embed-with-cache.js';
import type { EmbeddingCache } from './embedding-cache.js';
import { InvalidOptionError, NotIndexedError } from './errors.js';
import { jsKernel, type InnerProductKernel } from './inner-product-kernel.js';
import { l2NormalizeRows } from './l2-normalize-rows.js';
import type { TextEmbedder, TextRole } from './text-embedder.js';
import {
  DEFAULT_SEARCH_K,
  type IndexedText,
  type IndexOptions,
  type ProgressCallback,
  type Retriever,
  type SearchOptions,
} from './types.js';

/** Options for the {@link DenseRetriever} constructor. */
export interface DenseRetrieverOptions {
  /** Any {@link TextEmbedder}: `@rtk/encoders`' ONNX `SentenceEncoder`, `@rtk/bert`'s `TrainableEncoder`, … */
  readonly embedder: TextEmbedder;
  /** Embedding cache for passages and queries (see {@link openEmbeddingCache}). */
  readonly cache?: EmbeddingCache;
  /** Texts per forward pass (default: the embedder's, 32 for rtk's). */
  readonly batchSize?: number;
  /** Matrix-product engine for the search (default: the pure-JS kernel). */
  readonly kernel?: InnerProductKernel;
  /** Name for reports; default the embedder's name. */
  readonly name?: string;
}

interface Indexed {
  readonly ids: readonly string[];
  /** Row of each id. */
  readonly rows: ReadonlyMap<string, number>;
  /** Unit-norm rows (zero rows stay zero), so inner product = cosine. */
  readonly vectors: Float32Array;
  readonly index: DenseIndex;
}

/** Most scores held at once by {@link DenseRetriever.firstRelevantRank} (64 MiB of float32). */
const RANK_SCRATCH_FLOATS = 16 * 1024 * 1024;

/**
 * A `Retriever` that embeds passages once with any {@link TextEmbedder} and ranks them for each
 * query by cosine similarity, with the exact blocked search of {@link DenseIndex}.
 *
 * Passages are encoded with the `passage` role and queries with the `query` role (E5's
 * `passage: ` / `query: ` prefixes). Every row is L2-normalised ({@link l2NormalizeRows}; a
 * no-op for normalised embedders), so the index scores by inner product, which then equals
 * cosine. Ties keep the passage that came first in the corpus (the project's ranking rule).
 * `search` returns {@link DEFAULT_SEARCH_K} (10) documents per query unless `k` is given.
 *
 * @example
 * ```ts
 * import { loadSentenceEncoder } from '@rtk/encoders';
 *
 * const encoder = await loadSentenceEncoder({ model: 'fixtures/tiny-bert' }); // E5 by default
 * const retriever = new DenseRetriever({ embedder: encoder });
 * await retriever.index([
 *   { id: 'd1', text: 'The city has a population of two million people.' },
 *   { id: 'd2', text: 'A package is a file with programs and data for a linux system.' },
 * ]);
 * console.log(await retriever.search(['how many people live in the city'], { k: 2 }));
 * // [ [ { id: 'd1', score: 0.9669… }, { id: 'd2', score: 0.9434… } ] ]
 * ```
 */
export class DenseRetriever implements Retriever {
  readonly name: string;
  readonly #embedder: TextEmbedder;
  readonly #cache: EmbeddingCache | undefined;
  readonly #batchSize: number | undefined;
  readonly #kernel: InnerProductKernel | undefined;
  #indexed: Indexed | undefined;

  constructor(options: DenseRetrieverOptions) {
    this.#embedder = options.embedder;
    this.#cache = options.cache;
    this.#batchSize = options.batchSize;
    this.#kernel = options.kernel;
    this.name = options.name ?? options.embedder.name;
  }

  /**
   * Encode and index a corpus, replacing any previous one. `onProgress` reports passages encoded.
   *
   * @throws {@link InvalidOptionError} when two documents share an id.
   */
  async index(corpus: readonly IndexedText[], options: IndexOptions = {}): Promise<void> {
    const ids = corpus.map((d) => d.id);
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id))
        throw new InvalidOptionError(
          'corpus',
          'DenseRetriever.index',
          'documents with distinct ids',
          `id ${JSON.stringify(id)} twice`,
        );
      seen.add(id);
    }
    // Normalised here (a no-op for normalised embedders) so search and firstRelevantRank score
    // the same matrix by inner product.
    const unit = await this.#unitVectors(
      corpus.map((d) => d.text),
      'passage',
      options.onProgress,
    );
    this.#indexed = {
      ids,
      rows: new Map(ids.map((id, row) => [id, row])),
      vectors: unit,
      index: new DenseIndex(unit, { dim: this.#embedder.dim, metric: 'dot', kernel: this.#kernel }),
    };
  }

  /** Embeddings of `texts` (batched, cached) as one row-major matrix of unit rows. */
  async #unitVectors(
    texts: readonly string[],
    role: TextRole,
    onProgress: ProgressCallback | undefined,
  ): Promise<Float32Array> {
    const { dim, name } = this.#embedder;
    const rows = await embedWithCache(this.#embedder, texts, {
      role,
      batchSize: this.#batchSize,
      onProgress,
      cache: this.#cache,
    });
    if (rows.length !== texts.length) {
      throw new InvalidOptionError(
        'embedder',
        'DenseRetriever',
        `one row per text from ${name}.encode (${texts.length})`,
        `${rows.length} rows`,
      );
    }
    const matrix = new Float32Array(texts.length * dim);
    rows.forEach((row, i) => {
      if (row.length !== dim) {
        throw new InvalidOptionError(
          'embedder',
          'DenseRetriever',
          `rows of width ${dim} from ${name}.encode`,
          `row ${i} of width ${row.length}`,
        );
      }
      matrix.set(row, i * dim);
    });
    return l2NormalizeRows(matrix, dim);
  }

  /**
   * Top-k passages per query, best first; `k` defaults to {@link DEFAULT_SEARCH_K} (10).
   * `onProgress` reports queries encoded. An empty corpus gives an empty ranking per query.
   *
   * @throws {@link NotIndexedError} before {@link index}; {@link InvalidKError} for a bad `k`.
   */
  async search(queries: readonly string[], options: SearchOptions = {}): Promise<ScoredDoc[][]> {
    const indexed = this.#indexed;
    if (indexed === undefined) throw new NotIndexedError('DenseRetriever.search');
    const unit = await this.#unitVectors(queries, 'query', options.onProgress);
    const tops = await indexed.index.search(unit, { k: options.k ?? DEFAULT_SEARCH_K });
    return tops.map((top) =>
      Array.from(top.indices, (row, r) => ({ id: indexed.ids[row]!, score: top.scores[r]! })),
    );
  }

  /**
   * For each query, the 1-based rank in the FULL ranking of its best-ranked relevant passage
   * (same scores and tie rule as {@link search}: higher cosine first, equal scores by corpus
   * order), or `Infinity` when none of its relevant ids is in the corpus. This gives the study's
   * full-ranking MRR without materialising whole rankings: scores are computed in blocks of
   * queries against the whole corpus (at most 64 MiB of scores at a time) with the same kernel
   * as the search.
   *
   * @param relevant - One set of relevant passage ids per query (same order as `queries`).
   * @throws {@link NotIndexedError} before {@link index}; {@link InvalidOptionError} when
   *   `relevant` and `queries` differ in length.
   * @example
   * ```ts
   * await retriever.firstRelevantRank(['capital of france'], [new Set(['d1'])]); // [ 1 ]
   * ```
   */
  async firstRelevantRank(
    queries: readonly string[],
    relevant: readonly ReadonlySet<string>[],
    options: IndexOptions = {},
  ): Promise<number[]> {
    const where = 'DenseRetriever.firstRelevantRank';
    const indexed = this.#indexed;
    if (indexed === undefined) throw new NotIndexedError(where);
    if (relevant.length !== queries.length) {
      throw new InvalidOptionError(
        'relevant',
        where,
        `one set per query (${queries.length})`,
        `${relevant.length} sets`,
      );
    }
    const dim = this.#embedder.dim;
    const q = await this.#unitVectors(queries, 'query', options.onProgress);
    const n = indexed.ids.length;
    const kernel = this.#kernel ?? jsKernel;
    const block = Math.max(
      1,
      Math.min(queries.length, Math.floor(RANK_SCRATCH_FLOATS / Math.max(n, 1))),
    );
    const scores = new Float32Array(block * n);
    const ranks: number[] = [];
    for (let q0 = 0; q0 < queries.length; q0 += block) {
      const rowsInBlock = Math.min(block, queries.length - q0);
      const out = scores.subarray(0, rowsInBlock * n);
      if (n > 0)
        await kernel.innerProducts(
          q.subarray(q0 * dim, (q0 + rowsInBlock) * dim),
          indexed.vectors,
          dim,
          out,
        );
      for (let i = 0; i < rowsInBlock; i++) {
        const row = out.subarray(i * n, (i + 1) * n);
        let bestRow = -1;
        for (const id of relevant[q0 + i]!) {
          const r = indexed.rows.get(id);
          if (r === undefined) continue;
          if (bestRow < 0 || row[r]! > row[bestRow]! || (row[r] === row[bestRow] && r < bestRow))
            bestRow = r;
        }
        if (bestRow < 0) {
          ranks.push(Number.POSITIVE_INFINITY);
          continue;
        }
        ranks.push(rankOf(row, bestRow));
      }
    }
    return ranks;
  }
}
