import { judgeQuery, type JudgedRanking } from './_judge.js';
import { checkOptionalCutoff } from './_validate.js';
import type { Ranking, RelevanceGrades } from './types.js';

/** Options for {@link reciprocalRank}. */
export interface ReciprocalRankOptions {
  /**
   * Cut-off (MRR@k): an integer ≥ 1. Default: none — the full ranking given (the study's MRR).
   */
  readonly k?: number | undefined;
}

/** Kernel of {@link reciprocalRank} on an already validated query; `k` undefined = no cut-off. */
export function reciprocalRankAt(judged: JudgedRanking, k: number | undefined): number {
  const n = Math.min(k ?? Infinity, judged.gains.length);
  for (let i = 0; i < n; i++) if (judged.gains[i]! > 0) return 1 / (i + 1);
  return 0;
}

/**
 * Reciprocal rank of one query: 1 / rank of its first relevant document (grade > 0), ranks
 * 1-based; 0 when none is retrieved. Its mean over queries is MRR ({@link evaluate} with
 * `{ metric: 'mrr' }`).
 *
 * Without `k` the whole ranking given is searched (the study's MRR over the full ranking; pass
 * the full ranking, e.g. from {@link rankByScore}, not a top-10). With `k` it is MRR@k
 * (sentence-transformers, trec_eval `recip_rank` with a cut run): 0 when the first relevant
 * document sits below rank k.
 *
 * Relations: equals {@link averagePrecision} when the query has one relevant document.
 *
 * @param ranking - Documents best first, each id at most once.
 * @param grades - The query's judgements: doc id → grade.
 * @param options - Optional `k`, an integer ≥ 1.
 * @returns A value in [0, 1]; 0 for an empty ranking.
 * @throws {@link InvalidCutoffError} when k is given and not an integer ≥ 1.
 * @throws {@link NoRelevantDocumentsError} when no grade is > 0 (such queries are not evaluated).
 * @throws {@link DuplicateDocumentError} / {@link InvalidGradeError} on malformed input.
 * @example
 * ```ts
 * const ranking = [{ id: 'a', score: 3 }, { id: 'b', score: 2 }, { id: 'c', score: 1 }];
 * reciprocalRank(ranking, new Map([['c', 1]])); // 0.333… — first relevant at rank 3
 * reciprocalRank(ranking, new Map([['c', 1]]), { k: 2 }); // 0
 * ```
 */
export function reciprocalRank(
  ranking: Ranking,
  grades: RelevanceGrades,
  options: ReciprocalRankOptions = {},
): number {
  const k = checkOptionalCutoff(options.k, 'reciprocalRank');
  return reciprocalRankAt(judgeQuery(ranking, grades, k ?? Infinity, 'reciprocalRank'), k);
}
