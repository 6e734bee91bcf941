import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DenseIndex } from './dense-index.js';
import { DimensionMismatchError, InvalidOptionError, NonFiniteEmbeddingError } from './errors.js';
import { l2NormalizeRows } from './l2-normalize-rows.js';

describe('l2NormalizeRows', () => {
  it('normalises each row in place and keeps zero rows zero', () => {
    // By hand: (3, 4) / 5 = (0.6, 0.8); (0, -2) / 2 = (0, -1); (0, 0) has no direction.
    const data = Float32Array.of(3, 4, 0, -2, 0, 0);
    const out = l2NormalizeRows(data, 2);
    expect(out).toBe(data);
    const expected = [0.6, 0.8, 0, -1, 0, 0];
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 6));
  });

  test.prop([
    fc.integer({ min: 1, max: 6 }),
    fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { maxLength: 36 }),
  ])('gives rows of norm 1 (or 0), pointing the same way', (dim, values) => {
    const rows = Math.floor(values.length / dim);
    const before = Float32Array.from(values.slice(0, rows * dim));
    const after = l2NormalizeRows(before.slice(), dim);
    for (let r = 0; r < rows; r++) {
      let norm = 0;
      let dot = 0;
      for (let t = 0; t < dim; t++) {
        norm += after[r * dim + t]! ** 2;
        dot += after[r * dim + t]! * before[r * dim + t]!;
      }
      const zero = before.subarray(r * dim, (r + 1) * dim).every((v) => v === 0);
      if (zero) expect(norm).toBe(0);
      else {
        expect(Math.sqrt(norm)).toBeCloseTo(1, 5);
        expect(dot).toBeGreaterThan(0);
      }
    }
  });

  it('scores with metric dot exactly as DenseIndex scores with metric cosine', async () => {
    const corpus = Float32Array.of(1, 2, 3, 0, 0, 0, -1, 5, 2, 0.5, 0.25, 8);
    const queries = Float32Array.of(2, 1, 0, 0, 0, 1);
    const cosine = await new DenseIndex(corpus, { dim: 3 }).search(queries, { k: 4 });
    const dot = await new DenseIndex(l2NormalizeRows(corpus.slice(), 3), {
      dim: 3,
      metric: 'dot',
    }).search(l2NormalizeRows(queries.slice(), 3), { k: 4 });
    expect(dot).toEqual(cosine);
  });

  it.each([
    [
      () => l2NormalizeRows(new Float32Array(4), 0),
      InvalidOptionError,
      'ERR_RETRIEVAL_INVALID_OPTION',
      'option `dim`',
    ],
    [
      () => l2NormalizeRows([1, 2] as unknown as Float32Array, 2),
      InvalidOptionError,
      'ERR_RETRIEVAL_INVALID_OPTION',
      'option `data` must be a Float32Array',
    ],
    [
      () => l2NormalizeRows(new Float32Array(5), 2),
      DimensionMismatchError,
      'ERR_RETRIEVAL_DIMENSION_MISMATCH',
      'data has 5 values',
    ],
    [
      () => l2NormalizeRows(Float32Array.of(1, 0, Infinity, 1), 2),
      NonFiniteEmbeddingError,
      'ERR_RETRIEVAL_NON_FINITE_EMBEDDING',
      'data row 1, column 0 is Infinity',
    ],
  ])('rejects bad input %#', (call, type, code, fact) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toContain(`l2NormalizeRows: ${fact}`);
  });
});
