import type { RetrievalDataset } from '@rtk/datasets';
import { evaluateRetriever, type RetrieverEvaluation } from '@rtk/evaluation';
import type { Retriever } from '@rtk/retrieval';
import { evaluationProgress } from '@rtk/cli-kit';

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
  const bars = evaluationProgress(label);
  try {
    return await evaluateRetriever(retriever, test, { k: 100, onProgress: bars.onProgress });
  } finally {
    bars.stop();
  }
}
