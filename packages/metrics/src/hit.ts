import { hitsAt } from './_hits.js';
import { judgeQuery, type JudgedRanking } from './_judge.js';
import { checkCutoff } from './_validate.js';
import type { Ranking, RelevanceGrades } from './types.js';

/** Options for {@link hit}. */
export interface HitOptions {
  /** Cut-off: an integer ≥ 1. */
  readonly k: number;
}

/** Kernel of {@link hit} on an already validated query. */
export function hitAt(judged: JudgedRanking, k: number): number {
  return hitsAt(judged, k) > 0 ? 1 : 0;
}

/**
 * Hit@k of one query (trec_eval `success_k`, sentence-transformers accuracy@k, "hit rate"):
 * 1 when at least one relevant document (grade > 0) is in the top k, else 0.
 *
 * Relations: equals {@link recall} when the query has exactly one relevant document — the study's
 * "a query counts for Recall@K when a relevant document is in its top K".
 *
 * @param ranking - Documents best first, each id at most once.
 * @param grades - The query's judgements: doc id → grade.
 * @param options - `k`, an integer ≥ 1.
 * @returns 0 or 1; 0 for an empty ranking.
 * @throws {@link InvalidCutoffError} when k is not an integer ≥ 1.
 * @throws {@link NoRelevantDocumentsError} when no grade is > 0 (such queries are not evaluated).
 * @throws {@link DuplicateDocumentError} / {@link InvalidGradeError} on malformed input.
 * @example
 * ```ts
 * const ranking = [{ id: 'a', score: 3 }, { id: 'b', score: 2 }];
 * hit(ranking, new Map([['b', 1], ['c', 1]]), { k: 2 }); // 1
 * hit(ranking, new Map([['b', 1], ['c', 1]]), { k: 1 }); // 0
 * ```
 */
export function hit(ranking: Ranking, grades: RelevanceGrades, options: HitOptions): number {
  const k = checkCutoff(options.k, 'hit');
  return hitAt(judgeQuery(ranking, grades, k, 'hit'), k);
}
