import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EncoderDtype } from '@rtk/encoders/options';
import { DenseRetriever, openEmbeddingCache } from '@rtk/retrieval';
import {
  checkModelOffline,
  chooseModel,
  userCwd,
  type ModelChoice,
  type ModelFlags,
} from '@rtk/cli-kit';
import type { Retriever } from '@rtk/retrieval';
import { Bm25Retriever, TfidfRetriever } from '@rtk/tfidf';
import type { SparseRetrieverName } from './eval-flags.js';

/** Which retriever a command line chose, settled before any data is read. */
export type RetrieverPlan =
  | { readonly kind: 'sparse'; readonly name: SparseRetrieverName }
  | { readonly kind: 'dense'; readonly choice: ModelChoice };

/**
 * Settles the retriever a command line names: a sparse one by name, else the model (located,
 * E5 or not, prefixes and pooling chosen), checked to be on disk when offline or a folder.
 */
export async function planRetriever(
  flags: Omit<ModelFlags, 'model'> & {
    readonly sparse?: SparseRetrieverName | undefined;
    readonly model?: string | undefined;
    readonly offline: boolean;
  },
): Promise<RetrieverPlan> {
  if (flags.sparse !== undefined) return { kind: 'sparse', name: flags.sparse };
  const choice = await chooseModel({ ...flags, model: flags.model! }, userCwd());
  // A safetensors-only folder (rtk train's output) has no ONNX graph to check: the encoder
  // exports one from its weights when it loads (and says so).
  const trained = choice.location.kind === 'folder' && isSafetensorsOnly(choice.location.path);
  if (!trained && (flags.offline || choice.location.kind === 'folder'))
    await checkModelOffline(choice, flags);
  return { kind: 'dense', choice };
}

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
  // Loaded here, not at the top: transformers.js and ONNX Runtime take a second to load, which
  // `rtk --help` and a wrong flag should not wait for.
  const { loadSentenceEncoder } = await import('@rtk/encoders');
  const encoder = await loadSentenceEncoder({
    model: choice.model,
    revision: settings.revision,
    dtype: settings.dtype,
    maxLength: settings.maxLength,
    prefixes: choice.prefixes,
    ...(choice.pooling === undefined ? {} : { pooling: choice.pooling }),
    // Says when the graph is exported from model.safetensors (a folder rtk train wrote).
    onLog: (message) => process.stderr.write(`${message}\n`),
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

/** A folder with model.safetensors and no ONNX graph (what `rtk train` writes). */
export function isSafetensorsOnly(folder: string): boolean {
  const onnx = (dir: string): boolean =>
    existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.onnx'));
  return (
    existsSync(join(folder, 'model.safetensors')) && !onnx(folder) && !onnx(join(folder, 'onnx'))
  );
}
