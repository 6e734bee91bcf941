import { InvalidIndexError, NonFiniteScoreError } from './errors.js';

/**
 * The 1-based rank a document gets in the full ranking of `scores`, under the project's tie rule
 * (descending score; equal scores keep the lower index first).
 *
 * Definition: 1 + the number of documents with a higher score, or an equal score and a lower
 * index. That is the document's position in {@link rankByScore}'s full ranking, found without
 * sorting (O(n) time, no allocation), so full-ranking MRR needs no whole rankings.
 *
 * Relations: {@link rankByScore} builds the whole ranking under the same rule;
 * {@link reciprocalRank} is 1 / this rank for the best-ranked relevant document.
 *
 * @param scores - One finite score per document, in corpus order (`Float32Array` works).
 * @param doc - The document's index, an integer in [0, scores.length).
 * @returns Its rank, from 1 (best) to `scores.length`.
 * @throws {@link InvalidIndexError} when `doc` is not an integer in [0, scores.length).
 * @throws {@link NonFiniteScoreError} naming the index of a NaN or ±Infinity score.
 * @example
 * ```ts
 * import { rankOf } from '@rtk/metrics';
 * console.log(rankOf([0.5, 0.9, 0.5, 0], 2)); // 3 (0.9 first, then index 0 wins the tie)
 * ```
 */
export function rankOf(scores: ArrayLike<number>, doc: number): number {
  const n = scores.length;
  if (!Number.isInteger(doc) || doc < 0 || doc >= n) throw new InvalidIndexError(doc, n, 'rankOf');
  const own = scores[doc]!;
  // s - s is 0 exactly for finite s (NaN for NaN and ±Infinity).
  if (own - own !== 0) throw new NonFiniteScoreError(doc, own, 'rankOf');
  let better = 0;
  for (let j = 0; j < doc; j++) {
    const s = scores[j]!;
    if (s - s !== 0) throw new NonFiniteScoreError(j, s, 'rankOf');
    if (s >= own) better++;
  }
  for (let j = doc + 1; j < n; j++) {
    const s = scores[j]!;
    if (s - s !== 0) throw new NonFiniteScoreError(j, s, 'rankOf');
    if (s > own) better++;
  }
  return better + 1;
}
