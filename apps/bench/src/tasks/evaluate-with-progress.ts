import type { RetrievalDataset } from '@rtk/datasets';
import {
  evaluateRetriever,
  type EvaluationPhase,
  type EvaluationProgress,
  type RetrieverEvaluation,
} from '@rtk/evaluation';
import type { Retriever } from '@rtk/retrieval';
import { progressBar, type ProgressBar } from '@rtk/cli-kit';

const PHASES: Readonly<Record<EvaluationPhase, { readonly title: string; readonly unit: string }>> =
  {
    index: { title: 'index', unit: 'docs' },
    search: { title: 'search', unit: 'queries' },
    fullRanks: { title: 'full ranks', unit: 'queries' },
  };

/**
 * `evaluateRetriever` of `@rtk/evaluation` with a terminal progress bar per phase, labelled
 * `<label>: index`, `<label>: search`, `<label>: full ranks`. Searches to depth 100, so the
 * results carry MAP@100 and recall@100 beside the study's numbers (which read the top 10).
 */
export async function evaluateWithProgress(
  retriever: Retriever,
  test: RetrievalDataset,
  label: string,
): Promise<RetrieverEvaluation> {
  let phase: EvaluationPhase | undefined;
  let bar: ProgressBar | undefined;
  const onProgress = (event: EvaluationProgress): void => {
    if (bar === undefined || event.phase !== phase) {
      bar?.stop();
      phase = event.phase;
      bar = progressBar(`${label}: ${PHASES[phase].title}`, PHASES[phase].unit);
    }
    bar.update(event.done, event.total);
  };
  try {
    return await evaluateRetriever(retriever, test, { k: 100, onProgress });
  } finally {
    bar?.stop();
  }
}
