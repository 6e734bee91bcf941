import type { TopK } from './select-top-k.js';
import type { DenseIndexOptions, DenseSearchBlockOptions } from './dense-index.js';
import { DenseIndex } from './dense-index.js';

/** Options for {@link denseSearch}: those of the {@link DenseIndex} constructor and its `search`. */
export interface DenseSearchOptions extends DenseIndexOptions, DenseSearchBlockOptions {}

/**
 * Exact top-k dense search in one call: builds a {@link DenseIndex} over `corpus` and searches it
 * with `queries` (both `rows × dim` float32, row-major).
 *
 * Same definition, tie rule, memory bound and errors as {@link DenseIndex}; use the class when
 * the same corpus is searched more than once (cosine normalises the corpus on construction).
 *
 * @returns One {@link TopK} (corpus rows and scores, best first) per query row.
 * @example
 * ```ts
 * const corpus = Float32Array.of(1, 0, 0, 1, 1, 1);
 * const tops = await denseSearch(Float32Array.of(0, 2), corpus, { dim: 2, k: 2, metric: 'dot' });
 * console.log(Array.from(tops[0]!.indices), Array.from(tops[0]!.scores)); // [ 1, 2 ] [ 2, 2 ]
 * ```
 */
export async function denseSearch(
  queries: Float32Array,
  corpus: Float32Array,
  options: DenseSearchOptions,
): Promise<TopK[]> {
  return new DenseIndex(corpus, options).search(queries, options);
}
