import { InvalidOptionError, NaNScoreError } from '@rtk/retrieval';

/**
 * The 1-based rank a document gets in the full ranking of `scores`, under the project's rule
 * (descending score, equal scores → lower index first): 1 + the number of documents with a
 * higher score, or an equal score and a lower index. Equal to the document's position in a
 * full sort, without sorting (O(n)), so full-ranking MRR needs no whole rankings.
 *
 * Relations: `selectTopK` from `@rtk/retrieval` gives the first k of the same order;
 * {@link InvertedIndex.scores} produces `scores`.
 *
 * @param scores - One score per document.
 * @param doc - The document's index, an integer in [0, scores.length).
 * @returns Its rank, from 1 (best) to `scores.length`.
 * @throws `InvalidOptionError` (from `@rtk/retrieval`) for a bad `doc`; `NaNScoreError` if a score is NaN.
 * @example
 * ```ts
 * console.log(rankOf([0.5, 0.9, 0.5, 0], 2)); // 3 (0.9 first, then index 0 wins the tie)
 * ```
 */
export function rankOf(scores: ArrayLike<number>, doc: number): number {
  const n = scores.length;
  if (!Number.isInteger(doc) || doc < 0 || doc >= n) {
    throw new InvalidOptionError('doc', 'rankOf', `an integer in [0, ${n})`, doc);
  }
  const own = scores[doc]!;
  if (own !== own) throw new NaNScoreError(doc, 'rankOf');
  let better = 0;
  for (let j = 0; j < doc; j++) {
    const s = scores[j]!;
    if (s >= own) better++;
    else if (s !== s) throw new NaNScoreError(j, 'rankOf');
  }
  for (let j = doc + 1; j < n; j++) {
    const s = scores[j]!;
    if (s > own) better++;
    else if (s !== s) throw new NaNScoreError(j, 'rankOf');
  }
  return better + 1;
}
