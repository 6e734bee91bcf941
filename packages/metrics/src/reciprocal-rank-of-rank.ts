import { fsum } from './_fsum.js';
import { EmptyEvaluationError, InvalidRankError } from './errors.js';
import { checkOptionalCutoff } from './_validate.js';

/** Options for {@link reciprocalRankOfRank} and {@link meanReciprocalRank}. */
export interface RankReciprocalOptions {
  /** Cut-off (MRR@k): an integer ≥ 1. Default: none — the rank counts wherever it is. */
  readonly k?: number | undefined;
}

function checkRank(rank: unknown, index: number | undefined, where: string): number {
  if (rank === Infinity) return rank;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) {
    throw new InvalidRankError(rank, index, where);
  }
  return rank;
}

/**
 * Reciprocal rank of one query from the 1-based rank of its first relevant document, for
 * retrievers that report that rank in the full ranking (the `Retriever.firstRelevantRank` of
 * `@rtk/retrieval`) instead of materialising whole rankings.
 *
 * RR = 1 / rank, or 0 when `rank` is `Infinity` (no relevant document can be ranked) or, with a
 * cut-off, when rank > k.
 *
 * Relations: equals {@link reciprocalRank} of the full ranking whose first relevant document
 * sits at `rank`; {@link meanReciprocalRank} averages it over queries.
 *
 * @param rank - An integer ≥ 1, or `Infinity`.
 * @param options - Optional cut-off `k`, an integer ≥ 1.
 * @returns A value in [0, 1].
 * @throws {@link InvalidRankError} for a rank that is not an integer ≥ 1 or `Infinity`.
 * @throws {@link InvalidCutoffError} when k is given and not an integer ≥ 1.
 * @example
 * ```ts
 * reciprocalRankOfRank(4); // 0.25
 * reciprocalRankOfRank(4, { k: 3 }); // 0
 * reciprocalRankOfRank(Infinity); // 0
 * ```
 */
export function reciprocalRankOfRank(rank: number, options: RankReciprocalOptions = {}): number {
  const where = 'reciprocalRankOfRank';
  const k = checkOptionalCutoff(options.k, where);
  const r = checkRank(rank, undefined, where);
  return r > (k ?? Infinity) ? 0 : 1 / r;
}

/**
 * Mean reciprocal rank over queries, from the 1-based rank of each query's first relevant
 * document (see {@link reciprocalRankOfRank}). The sum is exact (order of queries cannot change
 * the mean), as in {@link evaluate}.
 *
 * @param ranks - One rank per evaluated query: integers ≥ 1, or `Infinity` (counts 0).
 * @param options - Optional cut-off `k` (MRR@k).
 * @returns A value in [0, 1].
 * @throws {@link EmptyEvaluationError} for no ranks (the mean would be 0/0).
 * @throws {@link InvalidRankError} naming the index of a rank that is not an integer ≥ 1 or `Infinity`.
 * @throws {@link InvalidCutoffError} when k is given and not an integer ≥ 1.
 * @example
 * ```ts
 * meanReciprocalRank([1, 2, Infinity, 4]); // (1 + 0.5 + 0 + 0.25) / 4 = 0.4375
 * meanReciprocalRank([1, 2, Infinity, 4], { k: 2 }); // 0.375
 * ```
 */
export function meanReciprocalRank(
  ranks: ArrayLike<number>,
  options: RankReciprocalOptions = {},
): number {
  const where = 'meanReciprocalRank';
  const k = checkOptionalCutoff(options.k, where) ?? Infinity;
  if (ranks.length === 0) throw new EmptyEvaluationError(0, 0, 0, where);
  const values: number[] = [];
  for (let i = 0; i < ranks.length; i++) {
    const r = checkRank(ranks[i], i, where);
    values.push(r > k ? 0 : 1 / r);
  }
  return fsum(values) / values.length;
}
