import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DimensionMismatchError, InvalidOptionError } from './errors.js';
import { l2NormalizeRows } from './l2-normalize-rows.js';

describe('l2NormalizeRows', () => {
  // Hand-computed: (3, 4) has norm 5; a zero row stays zero.
  it('divides each row by its norm and leaves zero rows zero, in place by default', () => {
    const m = Float32Array.of(3, 4, 0, 0);
    const out = l2NormalizeRows(m, 2);
    expect(out).toBe(m);
    expect(Array.from(out)).toEqual([Math.fround(0.6), Math.fround(0.8), 0, 0]);
  });

  it('writes into a target and leaves the source alone', () => {
    const m = Float32Array.of(0, 2);
    const target = new Float32Array(2);
    l2NormalizeRows(m, 2, target);
    expect(Array.from(m)).toEqual([0, 2]);
    expect(Array.from(target)).toEqual([0, 1]);
  });

  test.prop([
    fc.integer({ min: 1, max: 6 }),
    fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 36 }),
  ])('gives unit rows for every non-zero row', (dim, values) => {
    const rows = Float32Array.from(values.slice(0, values.length - (values.length % dim)));
    const before = Float32Array.from(rows);
    l2NormalizeRows(rows, dim);
    for (let r = 0; r < rows.length / dim; r++) {
      const row = rows.subarray(r * dim, (r + 1) * dim);
      const original = before.subarray(r * dim, (r + 1) * dim);
      const norm = Math.hypot(...row);
      if (original.every((v) => v === 0)) expect(norm).toBe(0);
      else expect(norm).toBeCloseTo(1, 5);
    }
  });

  it('rejects a length that is not rows × dim, a bad dim and a target of another length', () => {
    expect(() => l2NormalizeRows(new Float32Array(3), 2)).toThrow(DimensionMismatchError);
    expect(() => l2NormalizeRows(new Float32Array(2), 0)).toThrow(InvalidOptionError);
    expect(() => l2NormalizeRows(new Float32Array(2), 2, new Float32Array(4))).toThrow(
      expect.objectContaining({ code: 'RETRIEVAL_INVALID_OPTION', option: 'target' }),
    );
  });
});
