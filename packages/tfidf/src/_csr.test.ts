import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { transposeCsr } from './_csr.js';
import type { SparseMatrix } from './types.js';
import { plain } from './_test-matrix.js';

/** The matrix's entries as [row, column, value] triples, in storage order. */
function triples(m: SparseMatrix): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let r = 0; r < m.rows; r++)
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++)
      out.push([r, m.indices[p]!, m.values[p]!]);
  return out;
}

/** A CSR matrix whose rows list distinct columns in any order (as raw counts do). */
const matrixArb: fc.Arbitrary<SparseMatrix> = fc
  .integer({ min: 1, max: 6 })
  .chain((columns) =>
    fc.tuple(
      fc.constant(columns),
      fc.array(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: columns - 1 }), fc.integer()), {
          selector: ([c]) => c,
          maxLength: columns,
        }),
        { maxLength: 8 },
      ),
    ),
  )
  .map(([columns, rows]) => {
    const indptr = [0];
    for (const row of rows) indptr.push(indptr.at(-1)! + row.length);
    return {
      rows: rows.length,
      columns,
      indptr: Uint32Array.from(indptr),
      indices: Uint32Array.from(rows.flat().map(([c]) => c)),
      values: Float64Array.from(rows.flat().map(([, v]) => v)),
    };
  });

describe('transposeCsr', () => {
  it('transposes a hand-made matrix', () => {
    // [[0, 5, 6],      rows 0..1, columns 0..2, row 0 stored out of column order (2 before 1)
    //  [7, 0, 8]]   → [[0, 7], [5, 0], [6, 8]]: column 0 holds (1, 7), column 1 (0, 5),
    //                 column 2 (0, 6) then (1, 8), so indptr 0, 1, 2, 4.
    const t = transposeCsr({
      rows: 2,
      columns: 3,
      indptr: Uint32Array.of(0, 2, 4),
      indices: Uint32Array.of(2, 1, 0, 2),
      values: Float64Array.of(6, 5, 7, 8),
    });
    expect(plain(t)).toEqual({
      rows: 3,
      columns: 2,
      indptr: [0, 1, 2, 4],
      indices: [1, 0, 0, 1],
      values: [7, 5, 6, 8],
    });
  });

  it('reads only the first indptr[rows] entries of indices and values', () => {
    // As scipy's csr_matrix, which accepts arrays longer than indptr[-1] and prunes the tail:
    // entries 0..1 are the matrix [[0, 0, 5], [7, 0, 0]]; the trailing (1, 9) is not part of it.
    // Transpose [[0, 7], [0, 0], [5, 0]]: indptr 0, 1, 1, 2, indices 1, 0, values 7, 5.
    const t = transposeCsr({
      rows: 2,
      columns: 3,
      indptr: Uint32Array.of(0, 1, 2),
      indices: Uint32Array.of(2, 0, 1),
      values: Float64Array.of(5, 7, 9),
    });
    expect(plain(t)).toEqual({
      rows: 3,
      columns: 2,
      indptr: [0, 1, 1, 2],
      indices: [1, 0],
      values: [7, 5],
    });
  });

  test.prop([matrixArb])(
    'holds the same entries, each output row in ascending input-row order',
    (m) => {
      const t = transposeCsr(m);
      expect([t.rows, t.columns]).toEqual([m.columns, m.rows]);
      expect(t.indptr).toHaveLength(m.columns + 1);
      // Brute force: the input's triples, swapped, sorted by (output row, output column).
      const want = triples(m)
        .map(([r, c, v]): [number, number, number] => [c, r, v])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(triples(t)).toEqual(want);
    },
  );
});
