import { judgeQuery, type JudgedRanking } from './_judge.js';
import { checkOptionalCutoff } from './_validate.js';
import type { Ranking, RelevanceGrades } from './types.js';

/** Options for {@link ndcg}. */
export interface NdcgOptions {
  /** Cut-off (nDCG@k): an integer ≥ 1. Default: none — the full ranking given. */
  readonly k?: number | undefined;
}

/** Σ_{r ≤ n} gains[r-1] / log2(r + 1). */
function dcg(gains: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const gain = gains[i]!;
    if (gain > 0) sum += gain / Math.log2(i + 2);
  }
  return sum;
}

/** Kernel of {@link ndcg} on an already validated query; `k` undefined = no cut-off. */
export function ndcgAt(judged: JudgedRanking, k: number | undefined): number {
  const cut = k ?? Infinity;
  const ideal = dcg(judged.idealGains, Math.min(cut, judged.idealGains.length));
  return dcg(judged.gains, Math.min(cut, judged.gains.length)) / ideal;
}

/**
 * Normalised discounted cumulative gain of one query.
 *
 * nDCG@k = DCG@k / IDCG@k with DCG@k = Σ_{r=1..k} grade_r / log2(r + 1): linear gain (gain =
 * grade, non-positive grades count 0) and the log2(r + 1) discount, as trec_eval `ndcg_cut`,
 * pytrec_eval, BEIR and ranx `ndcg`. IDCG@k is the DCG of the query's positive grades sorted
 * descending, cut at k — so unretrieved relevant documents lower the score. Without `k`, both
 * sums run over everything (trec_eval `ndcg`). Binary qrels (grade 1) give the usual binary nDCG.
 *
 * Relations: the only metric here that reads grade values; the others only test grade > 0.
 *
 * @param ranking - Documents best first, each id at most once.
 * @param grades - The query's judgements: doc id → grade.
 * @param options - Optional `k`, an integer ≥ 1.
 * @returns A value in [0, 1]; 0 for an empty ranking.
 * @throws {@link InvalidCutoffError} when k is given and not an integer ≥ 1.
 * @throws {@link NoRelevantDocumentsError} when no grade is > 0 (IDCG would be 0).
 * @throws {@link DuplicateDocumentError} / {@link InvalidGradeError} on malformed input.
 * @example
 * ```ts
 * const ranking = [{ id: 'a', score: 3 }, { id: 'b', score: 2 }];
 * // DCG = 1/log2(3) = 0.6309; IDCG = 2/log2(2) + 1/log2(3) = 2.6309
 * ndcg(ranking, new Map([['b', 1], ['z', 2]]), { k: 2 }); // 0.2398
 * ```
 */
export function ndcg(ranking: Ranking, grades: RelevanceGrades, options: NdcgOptions = {}): number {
  const k = checkOptionalCutoff(options.k, 'ndcg');
  return ndcgAt(judgeQuery(ranking, grades, k ?? Infinity, 'ndcg'), k);
}
