import { hitsAt } from './_hits.js';
import { judgeQuery } from './_judge.js';
import { checkCutoff } from './_validate.js';
import type { Ranking, RelevanceGrades } from './types.js';

/** Options for {@link hits}. */
export interface HitsOptions {
  /** Cut-off: an integer ≥ 1. */
  readonly k: number;
}

/**
 * Hits@k of one query (ranx `hits@k`): the NUMBER of relevant documents (grade > 0) in the top k,
 * an integer from 0 to min(k, |R|).
 *
 * Relations: {@link hit} is 1 when this is ≥ 1 (ranx `hit_rate`); {@link recall} is this / |R|;
 * {@link precision} is this / k.
 *
 * @param ranking - Documents best first, each id at most once.
 * @param grades - The query's judgements: doc id → grade.
 * @param options - `k`, an integer ≥ 1.
 * @returns A count; 0 for an empty ranking.
 * @throws {@link InvalidCutoffError} when k is not an integer ≥ 1.
 * @throws {@link NoRelevantDocumentsError} when no grade is > 0 (such queries are not evaluated).
 * @throws {@link DuplicateDocumentError} / {@link InvalidGradeError} on malformed input.
 * @example
 * ```ts
 * const ranking = [{ id: 'a', score: 3 }, { id: 'b', score: 2 }, { id: 'c', score: 1 }];
 * hits(ranking, new Map([['a', 1], ['c', 2], ['z', 1]]), { k: 3 }); // 2
 * ```
 */
export function hits(ranking: Ranking, grades: RelevanceGrades, options: HitsOptions): number {
  const k = checkCutoff(options.k, 'hits');
  return hitsAt(judgeQuery(ranking, grades, k, 'hits'), k);
}
