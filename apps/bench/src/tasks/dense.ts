import { loadSentenceEncoder, type EncoderDtype, type Pooling } from '@rtk/encoders';
import { DenseRetriever, openEmbeddingCache, type TextPrefixes } from '@rtk/retrieval';
import type { RetrievalDataset } from '@rtk/datasets';
import { evaluateWithProgress } from './evaluate-with-progress.js';
import type { TaskResult } from '../report/markdown.js';

/** Encoder settings chosen on the command line. */
export interface DenseChoice {
  /** Hub id or local folder. */
  readonly model: string;
  readonly revision: string;
  readonly dtype: EncoderDtype;
  readonly maxLength: number;
  readonly batchSize: number;
  /** Embedding cache folder, or undefined for none. */
  readonly cacheDir: string | undefined;
  /** True for an E5 model: only then is the task labelled E5. */
  readonly e5: boolean;
  /** The model's name in tables, in place of its path (`--offline`'s stand-in for E5). */
  readonly label?: string;
  /** A caveat printed under the table (`--offline`'s stand-in for E5). */
  readonly note?: string;
  /** Role prefixes (E5's for E5 models, else the command line's, or none). */
  readonly prefixes: TextPrefixes | false;
  /** Pooling; undefined leaves it to the encoder. */
  readonly pooling: Pooling | undefined;
}

/**
 * Task 3: dense zero-shot (E5 by default). Embed passages and queries, rank passages by cosine.
 * Only an E5 model is labelled E5.
 */
export async function denseTask(test: RetrievalDataset, choice: DenseChoice): Promise<TaskResult> {
  const t = performance.now();
  const encoder = await loadSentenceEncoder({
    model: choice.model,
    revision: choice.revision,
    dtype: choice.dtype,
    maxLength: choice.maxLength,
    prefixes: choice.prefixes,
    ...(choice.pooling === undefined ? {} : { pooling: choice.pooling }),
  });
  const loadSeconds = (performance.now() - t) / 1000;
  const cache =
    choice.cacheDir === undefined ? undefined : await openEmbeddingCache(choice.cacheDir, encoder);
  const label = choice.label ?? encoder.settings.model;
  const retriever = new DenseRetriever({
    embedder: encoder,
    batchSize: choice.batchSize,
    name: label,
    ...(cache ? { cache } : {}),
  });
  const e = await evaluateWithProgress(retriever, test, retriever.name);
  const notes = choice.note === undefined ? [] : [choice.note];
  return {
    task: 3,
    title: choice.e5 ? `E5 zero-shot (${label})` : `Dense zero-shot (${label})`,
    metrics: e.study,
    settings: {
      ...encoder.settings,
      batchSize: choice.batchSize,
      embeddingCache: choice.cacheDir ?? null,
      mrr: e.mrr.definition,
      measures: e.means,
      depth: e.k,
      evaluatedQueries: e.evaluatedQueries,
      skippedQueries: e.skippedQueryIds.length,
    },
    timings: { loadModel: loadSeconds, ...e.timings },
    notes,
  };
}
