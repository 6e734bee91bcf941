// Internal: the measures behind the study's numbers and their labels (`hit@k` → `Recall@k`).
import type { Measure } from '@rtk/metrics';

/** The study's cut-offs for Recall@K. */
export const STUDY_CUTOFFS: readonly number[] = [1, 3, 10];

/** Measures behind {@link studyMetrics} at a run depth `depth`: hit@1/3/10 and mrr@10, capped at depth. */
export function studyMeasures(depth: number): Measure[] {
  const measures: Measure[] = STUDY_CUTOFFS.filter((k) => k <= depth).map((k) => ({
    metric: 'hit',
    k,
  }));
  measures.push({ metric: 'mrr', k: Math.min(10, depth) });
  return measures;
}

/** Study labels from `evaluate` means (`hit@k` → `Recall@k`, `mrr@k` → `MRR@k`). */
export function studyFromMeans(
  means: Readonly<Record<string, number>>,
  depth: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of STUDY_CUTOFFS) if (k <= depth) out[`Recall@${k}`] = means[`hit@${k}`]!;
  const m = Math.min(10, depth);
  out[`MRR@${m}`] = means[`mrr@${m}`]!;
  return out;
}
