import { evaluate, type Qrels, type Run } from '@rtk/metrics';
import { studyFromMeans, studyMeasures } from './_study.js';

/**
 * The study's headline numbers, keyed as its tables print them:
 * - `Recall@1`, `Recall@3`, `Recall@10`: the study's Recall@K — a query counts when a relevant
 *   passage is in its top K, i.e. hit@k (`hit@k` in `@rtk/metrics`; trec_eval `success_k`).
 *   With one relevant passage per query (NQ pairs) it equals the true recall@k.
 * - `MRR`: the study's MRR, over the full ranking; present when the retriever can rank fully
 *   (`Retriever.firstRelevantRank`), or
 * - `MRR@10` instead: the reciprocal rank cut at 10 (0 when the first relevant passage is below
 *   rank 10), labelled so when the full ranking is not available.
 *
 * Only cut-offs the run's depth reaches are present: at depth k < 10, `Recall@10` is left out
 * and `MRR@10` becomes `MRR@k`.
 */
export type StudyMetrics = Readonly<Record<string, number>>;

/** Options for {@link studyMetrics}. */
export interface StudyMetricsOptions {
  /**
   * How deep the run's rankings go (the k they were retrieved with). Cut-offs beyond it are left
   * out rather than computed on a ranking too short for them. Default 10.
   */
  readonly depth?: number | undefined;
}

/**
 * The study's cut-off metrics of a run: Recall@1/3/10 in the study's sense (hit@k: a relevant
 * passage in the top K) and MRR@10. For a run that is not a retriever's (an oracle, a random
 * baseline); {@link evaluateRetriever} computes the same numbers, with full-ranking MRR when it
 * can.
 *
 * Queries of the qrels without a relevant document are left out; queries of the qrels missing
 * from the run count 0 (see `evaluate` of `@rtk/metrics`).
 *
 * @param run - Query id → ranking, best first, at least `depth` deep where the corpus allows.
 * @param qrels - Query id → (doc id → grade).
 * @param options - The run's depth (default 10).
 * @returns `{ 'Recall@1', 'Recall@3', 'Recall@10', 'MRR@10' }` (see {@link StudyMetrics}).
 * @throws `EmptyEvaluationError` (from `@rtk/metrics`) when no query has a relevant document.
 * @throws `InvalidMeasureError` (from `@rtk/metrics`) when depth is not an integer ≥ 1.
 * @example
 * ```ts
 * const run = new Map([['q1', [{ id: 'a', score: 2 }, { id: 'b', score: 1 }]]]);
 * const qrels = new Map([['q1', new Map([['b', 1]])]]);
 * studyMetrics(run, qrels); // { 'Recall@1': 0, 'Recall@3': 1, 'Recall@10': 1, 'MRR@10': 0.5 }
 * ```
 */
export function studyMetrics(
  run: Run,
  qrels: Qrels,
  options: StudyMetricsOptions = {},
): StudyMetrics {
  const depth = options.depth ?? 10;
  const { means } = evaluate(run, qrels, studyMeasures(depth));
  return studyFromMeans(means, depth);
}
