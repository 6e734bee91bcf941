import { loadSentenceEncoder, type EncoderDtype } from '@rtk/encoders';
import { DenseRetriever, openEmbeddingCache } from '@rtk/retrieval';
import type { ModelChoice } from '@rtk/cli-kit';
import type { Retriever } from '@rtk/retrieval';
import { Bm25Retriever, TfidfRetriever } from '@rtk/tfidf';
import type { SparseRetrieverName } from './eval-flags.js';

/** Which retriever a command line chose, settled before any data is read. */
export type RetrieverPlan =
  | { readonly kind: 'sparse'; readonly name: SparseRetrieverName }
  | { readonly kind: 'dense'; readonly choice: ModelChoice };

/** A retriever plus the settings recorded with its results. */
export interface BuiltRetriever {
  readonly retriever: Retriever;
  readonly settings: Record<string, unknown>;
}

/** TF-IDF (scikit-learn `TfidfVectorizer()` defaults) or BM25 (Lucene, k1 0.9, b 0.4). */
export function sparseRetriever(name: SparseRetrieverName): BuiltRetriever {
  const retriever = name === 'bm25' ? new Bm25Retriever() : new TfidfRetriever();
  return { retriever, settings: { kind: 'sparse', retriever: retriever.name } };
}

/** Encoder settings of a dense run. */
export interface DenseSettings {
  readonly revision: string;
  readonly dtype: EncoderDtype;
  readonly maxLength: number;
  readonly batchSize: number;
  readonly cacheDir: string | undefined;
}

/**
 * Loads the encoder a {@link ModelChoice} names (prefixes and pooling as chosen: E5's only for
 * E5 models) and wraps it in a `DenseRetriever`, with an embedding cache when asked.
 */
export async function denseRetriever(
  choice: ModelChoice,
  settings: DenseSettings,
): Promise<BuiltRetriever> {
  const encoder = await loadSentenceEncoder({
    model: choice.model,
    revision: settings.revision,
    dtype: settings.dtype,
    maxLength: settings.maxLength,
    prefixes: choice.prefixes,
    ...(choice.pooling === undefined ? {} : { pooling: choice.pooling }),
  });
  const cache =
    settings.cacheDir === undefined
      ? undefined
      : await openEmbeddingCache(settings.cacheDir, encoder, {
          // Damaged packs and entries are named on stderr; their texts are encoded again.
          onLog: (message) => process.stderr.write(`${message}\n`),
        });
  const retriever = new DenseRetriever({
    embedder: encoder,
    batchSize: settings.batchSize,
    name: encoder.settings.model,
    ...(cache ? { cache } : {}),
  });
  return {
    retriever,
    settings: {
      kind: 'dense',
      e5: choice.e5,
      ...encoder.settings,
      batchSize: settings.batchSize,
      embeddingCache: settings.cacheDir ?? null,
    },
  };
}
