import { describe, expect, it } from 'vitest';
import { median } from './_stats.js';

describe('median', () => {
  // Hand-computed: odd counts take the middle of the sorted values, even counts the mean of the two.
  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 1, 1], 1],
    [[2.5, 0.5], 1.5],
    [[7, 7, 1, 100], 7],
  ])('median(%j) = %d', (values, want) => {
    expect(median(values)).toBe(want);
  });

  it('leaves its input in order', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it.each([[[]], [[1, NaN]], [[Infinity, 1, 2]]])('rejects %j', (values) => {
    expect(() => median(values)).toThrow(RangeError);
  });
});
