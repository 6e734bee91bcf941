import { checkDim, checkMatrix, normalizeRowsInto } from './_embeddings.js';

/**
 * L2-normalises every row of a row-major embedding matrix in place, so inner products of the
 * rows are cosine similarities.
 *
 * Definition: each row x becomes x / ‖x‖₂, the norm summed in float64 and each value rounded
 * back to float32. An all-zero row stays zero (its cosine with anything is then 0, never NaN).
 * The same kernel normalises corpus and queries in {@link DenseIndex}'s `cosine` metric, so rows
 * normalised here and searched with metric `dot` score exactly as metric `cosine` would.
 *
 * @param data - `rows × dim` float32 values, row-major, all finite; overwritten.
 * @param dim - Row width, an integer ≥ 1; `data.length` must be a multiple of it.
 * @returns `data` itself, normalised.
 * @throws {@link InvalidOptionError} for a bad `dim` or a `data` that is not a Float32Array.
 * @throws {@link DimensionMismatchError} if `data.length` is not a multiple of `dim`.
 * @throws {@link NonFiniteEmbeddingError} naming the row and column of a NaN or ±Infinity.
 * @example
 * ```ts
 * import { l2NormalizeRows } from '@rtk/retrieval';
 * const unit = l2NormalizeRows(Float32Array.of(3, 4, 0, 0), 2);
 * console.log(Array.from(unit, (v) => +v.toFixed(3))); // [ 0.6, 0.8, 0, 0 ]
 * ```
 */
export function l2NormalizeRows(data: Float32Array, dim: number): Float32Array {
  const where = 'l2NormalizeRows';
  checkDim(dim, where);
  checkMatrix(data, 'data', dim, where);
  normalizeRowsInto(data, data, dim);
  return data;
}
