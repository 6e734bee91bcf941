import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fsum } from './_fsum.js';

describe('fsum', () => {
  it.each([
    // [values, exact sum] — the naive left-to-right sum is wrong in each case
    [[0.1, 0.2, 0.3], 0.6], // naive: 0.6000000000000001
    [[1e16, 1, -1e16], 1], // naive: 0
    [Array<number>(10).fill(0.1), 1], // naive: 0.9999999999999999
    [[], 0],
  ])('sums %j to %f', (values, expected) => {
    expect(fsum(values)).toBe(expected);
  });

  test.prop([
    fc
      .array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 })
      .chain((values) =>
        fc.tuple(fc.constant(values), fc.shuffledSubarray(values, { minLength: values.length })),
      ),
  ])('does not depend on the order of its inputs', ([values, shuffled]) => {
    expect(fsum(shuffled)).toBe(fsum(values));
  });
});
