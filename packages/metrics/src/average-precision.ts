import { judgeQuery, type JudgedRanking } from './_judge.js';
import { checkOptionalCutoff } from './_validate.js';
import type { Ranking, RelevanceGrades } from './types.js';

/** Options for {@link averagePrecision}. */
export interface AveragePrecisionOptions {
  /** Cut-off (AP@k): an integer ≥ 1. Default: none — the full ranking given. */
  readonly k?: number | undefined;
}

/** Kernel of {@link averagePrecision} on an already validated query; `k` undefined = no cut-off. */
export function averagePrecisionAt(judged: JudgedRanking, k: number | undefined): number {
  const n = Math.min(k ?? Infinity, judged.gains.length);
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (judged.gains[i]! > 0) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum / judged.relevantCount;
}

/**
 * Average precision of one query; its mean over queries is MAP ({@link evaluate} with
 * `{ metric: 'map' }`).
 *
 * AP@k = (1 / |R|) · Σ_{relevant d at rank r ≤ k} precision@r, binary relevance (grade > 0).
 * The divisor stays |R| with a cut-off (trec_eval `map_cut`, ranx `map@k`), so relevant documents
 * below k or never retrieved count as precision 0. sentence-transformers divides by min(k, |R|)
 * instead; the two agree when |R| ≤ k. Without `k` the whole ranking given is used (trec_eval `map`).
 *
 * Relations: equals {@link reciprocalRank} (same k) when the query has one relevant document.
 *
 * @param ranking - Documents best first, each id at most once.
 * @param grades - The query's judgements: doc id → grade.
 * @param options - Optional `k`, an integer ≥ 1.
 * @returns A value in [0, 1]; 0 for an empty ranking.
 * @throws {@link InvalidCutoffError} when k is given and not an integer ≥ 1.
 * @throws {@link NoRelevantDocumentsError} when no grade is > 0 (AP is 0/0).
 * @throws {@link DuplicateDocumentError} / {@link InvalidGradeError} on malformed input.
 * @example
 * ```ts
 * const ranking = [{ id: 'a', score: 3 }, { id: 'b', score: 2 }, { id: 'c', score: 1 }];
 * // relevant at ranks 1 and 3: (1/1 + 2/3) / 2
 * averagePrecision(ranking, new Map([['a', 1], ['c', 1]])); // 0.8333
 * ```
 */
export function averagePrecision(
  ranking: Ranking,
  grades: RelevanceGrades,
  options: AveragePrecisionOptions = {},
): number {
  const k = checkOptionalCutoff(options.k, 'averagePrecision');
  return averagePrecisionAt(judgeQuery(ranking, grades, k ?? Infinity, 'averagePrecision'), k);
}
