import { InvalidKError, NaNScoreError } from './errors.js';
import { TopKHeap } from './_top-k-heap.js';

/** The result of a top-k selection: positions and scores, best first. */
export interface TopK {
  /** Positions in the scored array (for dense search: corpus rows), best first. */
  readonly indices: Uint32Array;
  /** The scores at those positions, same order. */
  readonly scores: Float64Array;
}

/** Throws {@link InvalidKError} unless `k` is an integer ≥ 1. */
export function assertValidK(k: unknown, where: string): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new InvalidKError(k, where);
}

/**
 * The `k` largest scores, best first, without sorting the whole array.
 *
 * Definition: the first `min(k, n)` entries of the positions `0..n-1` sorted by score
 * descending, equal scores by position ascending — the project's ranking rule (see
 * `docs/architecture.md`), so the document indexed first wins a tie. `+0` and `-0` are equal;
 * `±Infinity` are ordinary values.
 *
 * Algorithm: a bounded binary heap of size k whose root is the worst kept pair; a candidate costs
 * one comparison unless it enters the heap. O(n log k) time, O(k) extra memory.
 *
 * Relations: dense search (`denseSearch`, `DenseIndex`) streams each query's scores through the
 * same heap block by block; sparse retrievers call this on their score accumulator.
 *
 * @param scores - Scores by position (any array-like: `number[]`, `Float32Array`, `Float64Array`).
 * @param k - How many to keep, an integer ≥ 1; `k > scores.length` returns all, sorted.
 * @returns Positions (`Uint32Array`) and their scores (`Float64Array`), best first.
 * @throws {@link InvalidKError} if `k` is not an integer ≥ 1.
 * @throws {@link NaNScoreError} naming the first NaN's index.
 * @example
 * ```ts
 * const top = selectTopK([0.2, 0.9, 0.5, 0.9], 3);
 * console.log(Array.from(top.indices), Array.from(top.scores));
 * // [ 1, 3, 2 ] [ 0.9, 0.9, 0.5 ]
 * ```
 */
export function selectTopK(scores: ArrayLike<number>, k: number): TopK {
  assertValidK(k, 'selectTopK');
  const n = scores.length;
  const heap = new TopKHeap(Math.min(k, n));
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s !== s) throw new NaNScoreError(i, 'selectTopK');
    heap.push(s, i);
  }
  return heap.drain();
}
