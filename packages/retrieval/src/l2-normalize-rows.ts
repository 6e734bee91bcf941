import { checkDim, l2NormalizeRows as normalizeInto } from './_embeddings.js';
import { DimensionMismatchError, InvalidOptionError } from './errors.js';

/**
 * L2-normalise the rows of a row-major matrix: each row divided by its Euclidean norm (summed in
 * float64), so inner product equals cosine. All-zero rows stay zero (their cosine with anything
 * is 0). Writes into `target` (default: `rows` itself, in place) and returns it.
 *
 * Relations: `DenseIndex` with metric `cosine` normalises the same way; {@link DenseRetriever}
 * normalises every embedder's rows with it.
 *
 * @param rows - `n × dim` values, row-major.
 * @param dim - Row width, an integer ≥ 1.
 * @param target - Where to write (same length as `rows`; may be `rows`).
 * @throws {@link InvalidOptionError} for a bad `dim` or a `target` of another length;
 *   {@link DimensionMismatchError} when `rows` is not `n × dim` values.
 * @example
 * ```ts
 * l2NormalizeRows(Float32Array.of(3, 4, 0, 0), 2); // Float32Array [ 0.6, 0.8, 0, 0 ]
 * ```
 */
export function l2NormalizeRows(
  rows: Float32Array,
  dim: number,
  target: Float32Array = rows,
): Float32Array {
  const where = 'l2NormalizeRows';
  checkDim(dim, where);
  if (rows.length % dim !== 0) throw new DimensionMismatchError('rows', where, rows.length, dim);
  if (target.length !== rows.length) {
    throw new InvalidOptionError(
      'target',
      where,
      `${rows.length} values, as many as rows`,
      target.length,
    );
  }
  normalizeInto(rows, target, dim);
  return target;
}
