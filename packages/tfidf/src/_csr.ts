// Internal: CSR helpers. `transposeCsr` is a counting sort by column, so the output's rows (the
// input's columns) list their entries in ascending input-row order: transposing twice sorts
// every row's columns, and transposing a document × term matrix gives posting lists in
// ascending document order.

import type { SparseMatrix } from './types.js';

export function transposeCsr(m: SparseMatrix): SparseMatrix {
  const nnz = m.indptr[m.rows]!;
  const ptr = new Uint32Array(m.columns + 1);
  for (let p = 0; p < nnz; p++) ptr[m.indices[p]! + 1]!++;
  for (let c = 0; c < m.columns; c++) ptr[c + 1]! += ptr[c]!;
  const next = ptr.slice(0, m.columns);
  const indices = new Uint32Array(nnz);
  const values = new Float64Array(nnz);
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      const q = next[m.indices[p]!]!++;
      indices[q] = r;
      values[q] = m.values[p]!;
    }
  }
  return { rows: m.columns, columns: m.rows, indptr: ptr, indices, values };
}
