// Internal: validation and normalisation of row-major Float32Array embedding matrices.
import { DimensionMismatchError, InvalidOptionError, NonFiniteEmbeddingError } from './errors.js';

/** Checks type, shape and finiteness; returns the number of rows. */
export function checkMatrix(matrix: unknown, argument: string, dim: number, where: string): number {
  if (!(matrix instanceof Float32Array)) {
    throw new InvalidOptionError(
      argument,
      where,
      'a Float32Array (rows × dim, row-major; convert with Float32Array.from)',
      Object.prototype.toString.call(matrix),
    );
  }
  if (matrix.length % dim !== 0)
    throw new DimensionMismatchError(argument, where, matrix.length, dim);
  for (let p = 0; p < matrix.length; p++) {
    const v = matrix[p]!;
    // v - v is NaN exactly for NaN and ±Infinity.
    if (v - v !== 0)
      throw new NonFiniteEmbeddingError(argument, where, Math.floor(p / dim), p % dim, v);
  }
  return matrix.length / dim;
}

/** Throws unless `dim` is an integer ≥ 1. */
export function checkDim(dim: unknown, where: string): asserts dim is number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) {
    throw new InvalidOptionError('dim', where, 'an integer ≥ 1 (the embedding width)', dim);
  }
}

/** Throws unless `value` is undefined or an integer ≥ 1. */
export function checkOptionalCount(value: unknown, option: string, where: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(option, where, 'an integer ≥ 1 or undefined (default)', value);
  }
}

/**
 * Writes the L2-normalised rows of `source` into `target` (may be the same array), unchecked: the
 * kernel of {@link l2NormalizeRows} and of `DenseIndex`'s cosine metric. Norms are summed in
 * float64. All-zero rows stay zero, so their cosine with anything is 0.
 */
export function normalizeRowsInto(source: Float32Array, target: Float32Array, dim: number): void {
  for (let o = 0; o < source.length; o += dim) {
    let ss = 0;
    for (let t = 0; t < dim; t++) {
      const v = source[o + t]!;
      ss += v * v;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let t = 0; t < dim; t++) target[o + t] = source[o + t]! * inv;
  }
}
