import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadTrainableEncoder } from '@rtk/bert';
import { loadSentenceEncoder, type EncoderDtype } from '@rtk/encoders';
import { DenseRetriever, openEmbeddingCache } from '@rtk/retrieval';
import { UsageError, type ModelChoice } from '@rtk/cli-kit';
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
  if (choice.location.kind === 'folder' && isSafetensorsOnly(choice.location.path))
    return trainableRetriever(choice, choice.location.path, settings);
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
      : await openEmbeddingCache(settings.cacheDir, encoder);
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

/** A folder with model.safetensors and no ONNX graph (what `rtk train` writes). */
export function isSafetensorsOnly(folder: string): boolean {
  const onnx = (dir: string): boolean =>
    existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.onnx'));
  return (
    existsSync(join(folder, 'model.safetensors')) && !onnx(folder) && !onnx(join(folder, 'onnx'))
  );
}

/**
 * A safetensors-only folder (a checkpoint of `rtk train`) evaluated through the TF.js
 * `TrainableEncoder` of `@rtk/bert` (mean pooling, L2; slower than ONNX Runtime), said on stderr.
 */
async function trainableRetriever(
  choice: ModelChoice,
  folder: string,
  settings: DenseSettings,
): Promise<BuiltRetriever> {
  if (choice.pooling !== undefined && choice.pooling !== 'mean')
    throw new UsageError(
      `--pooling ${choice.pooling}: ${folder} has no ONNX graph, and the TF.js encoder that evaluates it pools by mean only`,
    );
  const prefixes = choice.prefixes === false ? { query: '', passage: '' } : choice.prefixes;
  let encoder = await loadTrainableEncoder(folder, { prefixes });
  if (settings.maxLength < encoder.maxLength) {
    encoder.dispose();
    encoder = await loadTrainableEncoder(folder, { prefixes, maxLength: settings.maxLength });
  }
  console.error(
    `rtk eval: ${folder} has model.safetensors and no ONNX graph: evaluating through the TF.js TrainableEncoder (@rtk/bert), not ONNX Runtime`,
  );
  const cache =
    settings.cacheDir === undefined
      ? undefined
      : await openEmbeddingCache(settings.cacheDir, encoder);
  return {
    retriever: new DenseRetriever({
      embedder: encoder,
      batchSize: settings.batchSize,
      name: folder,
      ...(cache ? { cache } : {}),
    }),
    settings: {
      kind: 'dense',
      engine: 'tfjs (TrainableEncoder)',
      e5: choice.e5,
      model: folder,
      prefixes: encoder.prefixes,
      pooling: 'mean',
      maxLength: encoder.maxLength,
      batchSize: settings.batchSize,
      embeddingCache: settings.cacheDir ?? null,
    },
  };
}
