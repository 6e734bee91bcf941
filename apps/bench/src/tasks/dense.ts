import {
  DenseRetriever,
  loadSentenceEncoder,
  openEmbeddingCache,
  type EncoderDtype,
} from '@rtk/encoders';
import type { RetrievalDataset } from '@rtk/datasets';
import { evaluateWithProgress } from './evaluate-with-progress.js';
import type { TaskResult } from '../report.js';

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
  /** True when `model` is the test fixture rather than E5 (offline runs). */
  readonly fixture: boolean;
}

/** Task 3: E5 zero-shot. Embed passages and queries, rank passages by cosine. */
export async function denseTask(test: RetrievalDataset, choice: DenseChoice): Promise<TaskResult> {
  const t = performance.now();
  const encoder = await loadSentenceEncoder({
    model: choice.model,
    revision: choice.revision,
    dtype: choice.dtype,
    maxLength: choice.maxLength,
  });
  const loadSeconds = (performance.now() - t) / 1000;
  const cache =
    choice.cacheDir === undefined ? undefined : await openEmbeddingCache(choice.cacheDir, encoder);
  const label = choice.fixture ? 'tiny-bert test fixture (not E5)' : encoder.settings.model;
  const retriever = new DenseRetriever({
    encoder,
    batchSize: choice.batchSize,
    name: label,
    ...(cache ? { cache } : {}),
  });
  const e = await evaluateWithProgress(retriever, test, retriever.name);
  const notes = choice.fixture
    ? [
        `The model is the repository's tiny random test fixture (${choice.model}), NOT E5: these numbers only show the pipeline runs. Run without --offline for E5.`,
      ]
    : [];
  return {
    task: 3,
    title: choice.fixture ? `Dense zero-shot (${label})` : `E5 zero-shot (${label})`,
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
