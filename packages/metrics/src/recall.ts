import { hitsAt } from './_hits.js';
import { judgeQuery, type JudgedRanking } from './_judge.js';
import { checkCutoff } from './_validate.js';
import type { Ranking, RelevanceGrades } from './types.js';

/** Options for {@link recall}. */
export interface RecallOptions {
  /** Cut-off: an integer ≥ 1. */
  readonly k: number;
}

/** Kernel of {@link recall} on an already validated query. */
export function recallAt(judged: JudgedRanking, k: number): number {
  return hitsAt(judged, k) / judged.relevantCount;
}

/**
 * Recall@k of one query: the share of its relevant documents found in the top k.
 *
 * recall@k = |{relevant docs at rank ≤ k}| / |R|, where R = docs with grade > 0 (grades only
 * matter through "> 0"). With one relevant document per query (the NQ pairs setting) it equals
 * {@link hit} (accuracy@k). A ranking shorter than k counts what it has; an empty ranking gives 0.
 * Scores are not read: the ranking is taken in the order given.
 *
 * Relations: {@link precision} divides the same count by k; {@link hit} only asks whether it is ≥ 1.
 *
 * @param ranking - Documents best first, each id at most once.
 * @param grades - The query's judgements: doc id → grade.
 * @param options - `k`, an integer ≥ 1.
 * @returns A value in [0, 1].
 * @throws {@link InvalidCutoffError} when k is not an integer ≥ 1.
 * @throws {@link NoRelevantDocumentsError} when no grade is > 0 (recall is 0/0).
 * @throws {@link DuplicateDocumentError} / {@link InvalidGradeError} on malformed input.
 * @example
 * ```ts
 * const ranking = [{ id: 'a', score: 3 }, { id: 'b', score: 2 }, { id: 'c', score: 1 }];
 * recall(ranking, new Map([['b', 1], ['z', 1]]), { k: 2 }); // 0.5 — b found, z never retrieved
 * ```
 */
export function recall(ranking: Ranking, grades: RelevanceGrades, options: RecallOptions): number {
  const k = checkCutoff(options.k, 'recall');
  return recallAt(judgeQuery(ranking, grades, k, 'recall'), k);
}
