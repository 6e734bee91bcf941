import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { caught } from './_test-errors.js';
import { InvalidVectorError } from './errors.js';
import { InvertedIndex } from './inverted-index.js';
import type { SparseMatrix } from './types.js';

/** A random CSR matrix with ascending columns in each row. */
function matrixArb(columns: number): fc.Arbitrary<SparseMatrix> {
  const row = fc
    .uniqueArray(fc.integer({ min: 0, max: columns - 1 }), { maxLength: columns })
    .chain((cols) =>
      fc.tuple(
        fc.constant(cols.sort((a, b) => a - b)),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), {
          minLength: cols.length,
          maxLength: cols.length,
        }),
      ),
    );
  return fc.array(row, { minLength: 1, maxLength: 15 }).map((rows) => {
    const indptr = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (const [cols, vals] of rows) {
      indices.push(...cols);
      values.push(...vals);
      indptr.push(indices.length);
    }
    return {
      rows: rows.length,
      columns,
      indptr: Uint32Array.from(indptr),
      indices: Uint32Array.from(indices),
      values: Float64Array.from(values),
    };
  });
}

function denseRow(m: SparseMatrix, r: number): Float64Array {
  const out = new Float64Array(m.columns);
  for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) out[m.indices[p]!] = m.values[p]!;
  return out;
}

describe('InvertedIndex', () => {
  test.prop([matrixArb(6), matrixArb(6)])('scores equal dense dot products', (docs, queries) => {
    const index = InvertedIndex.fromMatrix(docs);
    const buffer = new Float64Array(docs.rows);
    for (let q = 0; q < queries.rows; q++) {
      const scores = index.scores(InvertedIndex.row(queries, q), buffer);
      const qd = denseRow(queries, q);
      for (let d = 0; d < docs.rows; d++) {
        const dd = denseRow(docs, d);
        let dot = 0;
        for (let t = 0; t < 6; t++) dot += qd[t]! * dd[t]!;
        expect(scores[d]).toBeCloseTo(dot, 12);
      }
    }
  });

  it('scores a hand-made case', () => {
    // docs: d0 = {t0: 1}, d1 = {t1: 2}, d2 = {t0: 0.5, t1: 1}; query {t0: 2, t1: 1}.
    const index = InvertedIndex.fromMatrix({
      rows: 3,
      columns: 2,
      indptr: Uint32Array.of(0, 1, 2, 4),
      indices: Uint32Array.of(0, 1, 0, 1),
      values: Float64Array.of(1, 2, 0.5, 1),
    });
    expect(index.numDocuments).toBe(3);
    expect(index.numTerms).toBe(2);
    expect(
      Array.from(index.scores({ indices: Uint32Array.of(0, 1), values: Float64Array.of(2, 1) })),
    ).toEqual([2, 2, 2]);
    expect(
      Array.from(index.scores({ indices: new Uint32Array(0), values: new Float64Array(0) })),
    ).toEqual([0, 0, 0]);
  });

  const ok: SparseMatrix = {
    rows: 1,
    columns: 2,
    indptr: Uint32Array.of(0, 1),
    indices: Uint32Array.of(1),
    values: Float64Array.of(1),
  };
  const index = InvertedIndex.fromMatrix(ok);
  it.each([
    [
      () => InvertedIndex.fromMatrix({ ...ok, indices: Uint32Array.of(2) }),
      'InvertedIndex.fromMatrix: row 0: column 2 is not ascending or not < columns (2)',
    ],
    [
      () => InvertedIndex.fromMatrix({ ...ok, values: Float64Array.of(NaN) }),
      'InvertedIndex.fromMatrix: row 0: weight NaN is not finite',
    ],
    [
      () => InvertedIndex.fromMatrix({ ...ok, indptr: Uint32Array.of(0, 2) }),
      'InvertedIndex.fromMatrix: indptr must have rows + 1 = 2 entries',
    ],
    [
      () => index.scores({ indices: Uint32Array.of(2), values: Float64Array.of(1) }),
      'InvertedIndex.scores: query.indices[0] = 2 is not ascending or not < numTerms (2)',
    ],
    [
      () => index.scores({ indices: Uint32Array.of(1, 0), values: Float64Array.of(1, 1) }),
      'InvertedIndex.scores: query.indices[1] = 0 is not ascending',
    ],
    [
      () => index.scores({ indices: Uint32Array.of(1), values: Float64Array.of(1, 2) }),
      'InvertedIndex.scores: query has 1 indices but 2 values',
    ],
    [
      () =>
        index.scores(
          { indices: Uint32Array.of(1), values: Float64Array.of(1) },
          new Float64Array(3),
        ),
      'InvertedIndex.scores: out must be a Float64Array of length 1',
    ],
  ])('rejects a malformed matrix, query or buffer %#', async (call, fact) => {
    const error = await caught(call);
    expect(error).toBeInstanceOf(InvalidVectorError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_VECTOR' });
    expect((error as Error).message).toContain(fact);
  });

  // Whole messages: the problem, then InvalidVectorError's fixed advice. Every matrix and index
  // is built inside the call, so each case reaches the checks it is about.
  const advice =
    ". Build vectors with the index's own vectorizer, or sort indices ascending and keep them < numTerms.";
  const oneRow = (): SparseMatrix => ({
    rows: 1,
    columns: 2,
    indptr: Uint32Array.of(0, 1),
    indices: Uint32Array.of(1),
    values: Float64Array.of(1),
  });
  const lengths = (rows: number, indices: number, values: number): string =>
    `indptr must have rows + 1 = ${rows + 1} entries from 0 to indices.length (${indices}) = values.length (${values})`;
  it.each<[() => unknown, string]>([
    // rows and columns: integers ≥ 0, each checked on its own.
    [
      () => InvertedIndex.fromMatrix({ ...oneRow(), rows: 1.5 }),
      'InvertedIndex.fromMatrix: rows (1.5) and columns (2) must be integers ≥ 0',
    ],
    [
      () => InvertedIndex.fromMatrix({ ...oneRow(), columns: 1.5 }),
      'InvertedIndex.fromMatrix: rows (1) and columns (1.5) must be integers ≥ 0',
    ],
    [
      () => InvertedIndex.fromMatrix({ ...oneRow(), rows: -1 }),
      'InvertedIndex.fromMatrix: rows (-1) and columns (2) must be integers ≥ 0',
    ],
    [
      () => InvertedIndex.fromMatrix({ ...oneRow(), columns: -1 }),
      'InvertedIndex.fromMatrix: rows (1) and columns (-1) must be integers ≥ 0',
    ],
    // indptr one entry too long (its last entry still equals indices.length).
    [
      () => InvertedIndex.fromMatrix({ ...oneRow(), indptr: Uint32Array.of(0, 1, 1) }),
      `InvertedIndex.fromMatrix: ${lengths(1, 1, 1)}`,
    ],
    // indptr not starting at 0 (right length, right last entry).
    [
      () => InvertedIndex.fromMatrix({ ...oneRow(), indptr: Uint32Array.of(1, 1) }),
      `InvertedIndex.fromMatrix: ${lengths(1, 1, 1)}`,
    ],
    // More values than indices.
    [
      () => InvertedIndex.fromMatrix({ ...oneRow(), values: Float64Array.of(1, 2) }),
      `InvertedIndex.fromMatrix: ${lengths(1, 1, 2)}`,
    ],
    // indptr 0, 1, 0, 1: rows 0 and 2 hold column 1, row 1 would run from 1 back to 0.
    [
      () =>
        InvertedIndex.fromMatrix({
          rows: 3,
          columns: 2,
          indptr: Uint32Array.of(0, 1, 0, 1),
          indices: Uint32Array.of(1),
          values: Float64Array.of(1),
        }),
      'InvertedIndex.fromMatrix: indptr decreases at row 1 (indptr[1] = 1 > indptr[2] = 0); ' +
        'it must be non-decreasing',
    ],
    // indptr 0, 2, 1 with one entry: row 0 would run past the end of indices (2 > 1) before
    // row 1 runs backwards; the order of indptr is checked before any row is read.
    [
      () =>
        InvertedIndex.fromMatrix({
          rows: 2,
          columns: 2,
          indptr: Uint32Array.of(0, 2, 1),
          indices: Uint32Array.of(1),
          values: Float64Array.of(1),
        }),
      'InvertedIndex.fromMatrix: indptr decreases at row 1 (indptr[1] = 2 > indptr[2] = 1); ' +
        'it must be non-decreasing',
    ],
    // Matrices: typed arrays of the right kinds, as for queries, each checked on its own. A
    // plain array would index like one, but the posting lists are built as typed arrays.
    [
      () =>
        InvertedIndex.fromMatrix({
          ...oneRow(),
          indptr: [0, 1] as unknown as Uint32Array,
        }),
      'InvertedIndex.fromMatrix: indptr and indices must be Uint32Arrays and values a Float64Array',
    ],
    [
      () =>
        InvertedIndex.fromMatrix({
          ...oneRow(),
          indices: Int32Array.of(1) as unknown as Uint32Array,
        }),
      'InvertedIndex.fromMatrix: indptr and indices must be Uint32Arrays and values a Float64Array',
    ],
    [
      () =>
        InvertedIndex.fromMatrix({
          ...oneRow(),
          values: Float32Array.of(1) as unknown as Float64Array,
        }),
      'InvertedIndex.fromMatrix: indptr and indices must be Uint32Arrays and values a Float64Array',
    ],
    // A column repeated within a row is not strictly ascending.
    [
      () =>
        InvertedIndex.fromMatrix({
          ...oneRow(),
          indptr: Uint32Array.of(0, 2),
          indices: Uint32Array.of(1, 1),
          values: Float64Array.of(1, 1),
        }),
      'InvertedIndex.fromMatrix: row 0: column 1 is not ascending or not < columns (2)',
    ],
    // Queries: typed arrays of the right kinds, each checked on its own.
    [
      () =>
        InvertedIndex.fromMatrix(oneRow()).scores({
          indices: Int32Array.of(1) as unknown as Uint32Array,
          values: Float64Array.of(1),
        }),
      'InvertedIndex.scores: query.indices must be a Uint32Array and query.values a Float64Array',
    ],
    [
      () =>
        InvertedIndex.fromMatrix(oneRow()).scores({
          indices: Uint32Array.of(1),
          values: Float32Array.of(1) as unknown as Float64Array,
        }),
      'InvertedIndex.scores: query.indices must be a Uint32Array and query.values a Float64Array',
    ],
    // A repeated query term is not strictly ascending.
    [
      () =>
        InvertedIndex.fromMatrix(oneRow()).scores({
          indices: Uint32Array.of(1, 1),
          values: Float64Array.of(1, 1),
        }),
      'InvertedIndex.scores: query.indices[1] = 1 is not ascending or not < numTerms (2)',
    ],
    [
      () =>
        InvertedIndex.fromMatrix(oneRow()).scores({
          indices: Uint32Array.of(1),
          values: Float64Array.of(Infinity),
        }),
      'InvertedIndex.scores: query.values[0] = Infinity is not finite',
    ],
    [
      () =>
        InvertedIndex.fromMatrix(oneRow()).scores({
          indices: Uint32Array.of(0, 1),
          values: Float64Array.of(1, NaN),
        }),
      'InvertedIndex.scores: query.values[1] = NaN is not finite',
    ],
  ])('rejects a malformed matrix or query with its whole message %#', async (call, problem) => {
    const error = await caught(call);
    expect(error).toBeInstanceOf(InvalidVectorError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_VECTOR' });
    expect((error as Error).message).toBe(problem + advice);
  });

  it('indexes a matrix with no rows or no columns', () => {
    const noDocuments = InvertedIndex.fromMatrix({
      rows: 0,
      columns: 2,
      indptr: Uint32Array.of(0),
      indices: new Uint32Array(0),
      values: new Float64Array(0),
    });
    expect([noDocuments.numDocuments, noDocuments.numTerms]).toEqual([0, 2]);
    expect(
      Array.from(noDocuments.scores({ indices: Uint32Array.of(1), values: Float64Array.of(3) })),
    ).toEqual([]);
    const noTerms = InvertedIndex.fromMatrix({
      rows: 2,
      columns: 0,
      indptr: Uint32Array.of(0, 0, 0),
      indices: new Uint32Array(0),
      values: new Float64Array(0),
    });
    expect([noTerms.numDocuments, noTerms.numTerms]).toEqual([2, 0]);
    expect(
      Array.from(noTerms.scores({ indices: new Uint32Array(0), values: new Float64Array(0) })),
    ).toEqual([0, 0]);
  });
});
