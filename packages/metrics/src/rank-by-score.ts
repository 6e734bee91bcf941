import { checkOptionalCutoff } from './_validate.js';
import { DuplicateDocumentError, LengthMismatchError, NonFiniteScoreError } from './errors.js';
import type { Ranking, ScoredDoc } from './types.js';

/** Options for {@link rankByScore}. */
export interface RankByScoreOptions {
  /** Keep only the top k (an integer ≥ 1). Default: every document. */
  readonly k?: number | undefined;
}

/**
 * Turns parallel arrays of document ids and scores into a {@link Ranking}, applying the
 * project's tie rule: descending score; equal scores keep the lower input index first (the
 * document that came first in the corpus). Equals NumPy `np.argsort(-scores, kind="stable")`
 * and {@link compareScoredDocs} under a stable sort.
 *
 * @param ids - Document ids, each once, in corpus order.
 * @param scores - One finite score per id (`Float32Array` works).
 * @param options - Optional `k` to keep only the top k.
 * @returns A new ranking, best first, of min(k, ids.length) documents.
 * @throws {@link LengthMismatchError} when `scores.length !== ids.length`.
 * @throws {@link NonFiniteScoreError} naming the index of the first NaN or ±Infinity score.
 * @throws {@link DuplicateDocumentError} when an id repeats.
 * @throws {@link InvalidCutoffError} when k is given and not an integer ≥ 1.
 * @example
 * ```ts
 * rankByScore(['d0', 'd1', 'd2'], [0.2, 0.7, 0.2]);
 * // [{ id: 'd1', score: 0.7 }, { id: 'd0', score: 0.2 }, { id: 'd2', score: 0.2 }]
 * ```
 */
export function rankByScore(
  ids: readonly string[],
  scores: ArrayLike<number>,
  options: RankByScoreOptions = {},
): Ranking {
  const k = checkOptionalCutoff(options.k, 'rankByScore');
  const n = ids.length;
  if (scores.length !== n) throw new LengthMismatchError(n, scores.length, 'rankByScore');
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const score = scores[i]!;
    if (!Number.isFinite(score)) throw new NonFiniteScoreError(i, score, 'rankByScore');
    const id = ids[i]!;
    const first = seen.get(id);
    if (first !== undefined) {
      throw new DuplicateDocumentError(id, first, i, undefined, 'rankByScore');
    }
    seen.set(id, i);
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Typed-array sort takes a comparator too; the index tie-break makes it independent of
  // sort stability.
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const size = Math.min(k ?? n, n);
  const ranking: ScoredDoc[] = new Array<ScoredDoc>(size);
  for (let r = 0; r < size; r++) {
    const i = order[r]!;
    ranking[r] = { id: ids[i]!, score: scores[i]! };
  }
  return ranking;
}
