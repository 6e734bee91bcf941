// Test-only helper: a sparse matrix as plain values.
import type { SparseMatrix } from './types.js';

/** A matrix's parts as plain arrays, for whole-value comparison. */
export function plain(m: SparseMatrix): {
  rows: number;
  columns: number;
  indptr: number[];
  indices: number[];
  values: number[];
} {
  return {
    rows: m.rows,
    columns: m.columns,
    indptr: Array.from(m.indptr),
    indices: Array.from(m.indices),
    values: Array.from(m.values),
  };
}
