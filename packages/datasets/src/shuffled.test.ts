import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from './mulberry32.js';
import { shuffled } from './shuffled.js';

describe('shuffled', () => {
  it('swaps position i with floor(random() · (i + 1)), from the end', () => {
    // By hand: i = 2 → floor(0.1 · 3) = 0: [c, b, a]; i = 1 → floor(0.9 · 2) = 1: unchanged.
    const draws = [0.1, 0.9];
    expect(shuffled(['a', 'b', 'c'], () => draws.shift()!)).toEqual(['c', 'b', 'a']);
    expect(draws).toEqual([]);
  });

  it('gives the pinned order for mulberry32(42), and leaves the input alone', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(shuffled(items, mulberry32(42))).toEqual(['a', 'e', 'c', 'b', 'd']);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test.prop([fc.array(fc.integer(), { maxLength: 30 }), fc.integer()])(
    'is a permutation of its input',
    (items, seed) => {
      const out = shuffled(items, mulberry32(seed));
      expect(out).toHaveLength(items.length);
      expect([...out].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
    },
  );
});
