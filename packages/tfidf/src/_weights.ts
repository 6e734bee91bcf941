// Internal: count matrix → TF-IDF weights, bit-for-bit as scikit-learn 1.2 computes them.
//
// scikit-learn stores each row's entries in a particular order and sums the row norm in that
// order; floating-point addition is not associative, so we sum in the same order to get the same
// last bits (and so the same near-tie rankings):
//  * `transform` (fixed vocabulary): the count matrix is sorted by column, then `X * idf_diag`
//    (scipy's csr_matmat) emits each row's columns in reverse: descending column order.
//  * `fit_transform`: the count matrix is sorted by the terms' first-seen ids before the
//    vocabulary is renumbered, and csr_matmat reverses that: descending first-seen id order.
// Per entry: w = tf' · idf with tf' = count or 1 + ln(count); then w / ‖row‖ (l2: sqrt of the
// sum of squares; l1: sum of absolute values); all-zero rows stay zero.

import type { Norm, SparseMatrix } from './types.js';

export interface WeightSettings {
  readonly sublinearTf: boolean;
  readonly norm: Norm;
  /** Per column, or undefined for `useIdf: false`. */
  readonly idf: Float64Array | undefined;
}

function tfPrime(count: number, sublinear: boolean): number {
  return sublinear ? Math.log(count) + 1 : count;
}

/** Raw tf·idf of every entry of a column-sorted count matrix (new arrays). */
function unnormalised(counts: SparseMatrix, s: WeightSettings): Float64Array {
  const values = new Float64Array(counts.values.length);
  const idf = s.idf;
  for (let p = 0; p < values.length; p++) {
    const tf = tfPrime(counts.values[p]!, s.sublinearTf);
    values[p] = idf === undefined ? tf : tf * idf[counts.indices[p]!]!;
  }
  return values;
}

function divide(counts: SparseMatrix, values: Float64Array, norms: Float64Array): void {
  for (let r = 0; r < counts.rows; r++) {
    const n = norms[r]!;
    if (n === 0) continue;
    for (let p = counts.indptr[r]!; p < counts.indptr[r + 1]!; p++) values[p] = values[p]! / n;
  }
}

/** Weights for `transform`: row norms summed in descending column order. */
export function weightTransformed(counts: SparseMatrix, s: WeightSettings): SparseMatrix {
  const values = unnormalised(counts, s);
  if (s.norm !== 'none') {
    const norms = new Float64Array(counts.rows);
    for (let r = 0; r < counts.rows; r++) {
      let sum = 0;
      for (let p = counts.indptr[r + 1]! - 1; p >= counts.indptr[r]!; p--) {
        const w = values[p]!;
        sum += s.norm === 'l2' ? w * w : Math.abs(w);
      }
      norms[r] = s.norm === 'l2' ? Math.sqrt(sum) : sum;
    }
    divide(counts, values, norms);
  }
  return { ...counts, values };
}

/**
 * Weights for `fit_transform`: `counts` is the column-sorted matrix, `byTerm` its transpose
 * (term × document), `newId` maps first-seen id → column (−1: pruned); walking `newId` from the
 * end visits the columns in descending first-seen order.
 */
export function weightFitted(
  counts: SparseMatrix,
  byTerm: SparseMatrix,
  newId: Int32Array,
  s: WeightSettings,
): SparseMatrix {
  const values = unnormalised(counts, s);
  if (s.norm !== 'none') {
    const rows = counts.rows;
    const sums = new Float64Array(rows);
    const idf = s.idf;
    for (let t = newId.length - 1; t >= 0; t--) {
      const column = newId[t]!;
      if (column < 0) continue;
      const weight = idf === undefined ? 1 : idf[column]!;
      for (let p = byTerm.indptr[column]!; p < byTerm.indptr[column + 1]!; p++) {
        const tf = tfPrime(byTerm.values[p]!, s.sublinearTf);
        const w = idf === undefined ? tf : tf * weight;
        const doc = byTerm.indices[p]!;
        sums[doc] = sums[doc]! + (s.norm === 'l2' ? w * w : Math.abs(w));
      }
    }
    if (s.norm === 'l2') for (let r = 0; r < rows; r++) sums[r] = Math.sqrt(sums[r]!);
    divide(counts, values, sums);
  }
  return { ...counts, values };
}
