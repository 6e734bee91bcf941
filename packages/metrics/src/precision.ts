import { hitsAt } from './_hits.js';
import { judgeQuery, type JudgedRanking } from './_judge.js';
import { checkCutoff } from './_validate.js';
import type { Ranking, RelevanceGrades } from './types.js';

/** Options for {@link precision}. */
export interface PrecisionOptions {
  /** Cut-off: an integer ≥ 1. */
  readonly k: number;
}

/** Kernel of {@link precision} on an already validated query. */
export function precisionAt(judged: JudgedRanking, k: number): number {
  return hitsAt(judged, k) / k;
}

/**
 * Precision@k of one query: the share of the top k that is relevant.
 *
 * precision@k = |{relevant docs at rank ≤ k}| / k, with k fixed even when fewer than k documents
 * were retrieved (trec_eval `P_k`, sentence-transformers). Relevant means grade > 0.
 *
 * Relations: {@link recall} divides the same count by |R|.
 *
 * @param ranking - Documents best first, each id at most once.
 * @param grades - The query's judgements: doc id → grade.
 * @param options - `k`, an integer ≥ 1.
 * @returns A value in [0, 1]; 0 for an empty ranking.
 * @throws {@link InvalidCutoffError} when k is not an integer ≥ 1.
 * @throws {@link NoRelevantDocumentsError} when no grade is > 0 (such queries are not evaluated).
 * @throws {@link DuplicateDocumentError} / {@link InvalidGradeError} on malformed input.
 * @example
 * ```ts
 * const ranking = [{ id: 'a', score: 3 }, { id: 'b', score: 2 }];
 * precision(ranking, new Map([['b', 1]]), { k: 4 }); // 0.25 — 1 relevant / k = 4
 * ```
 */
export function precision(
  ranking: Ranking,
  grades: RelevanceGrades,
  options: PrecisionOptions,
): number {
  const k = checkCutoff(options.k, 'precision');
  return precisionAt(judgeQuery(ranking, grades, k, 'precision'), k);
}
