import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { InvalidOptionError, NaNScoreError } from '@rtk/retrieval';
import { rankOf } from './rank-of.js';

describe('rankOf', () => {
  // Expected by hand: descending score, equal scores → lower index first.
  it.each([
    { scores: [0.5, 0.9, 0.5, 0], doc: 2, rank: 3 },
    { scores: [0.5, 0.9, 0.5, 0], doc: 0, rank: 2 },
    { scores: [0.5, 0.9, 0.5, 0], doc: 3, rank: 4 },
    { scores: [0, 0, 0], doc: 1, rank: 2 },
    { scores: [1], doc: 0, rank: 1 },
    { scores: [0, -0, 0], doc: 2, rank: 3 },
  ])('rank of $doc in $scores is $rank', ({ scores, doc, rank }) => {
    expect(rankOf(scores, doc)).toBe(rank);
  });

  test.prop([
    fc.array(fc.constantFrom(0, 0.25, 0.5, 1, 2), { minLength: 1, maxLength: 40 }),
    fc.nat(),
  ])('equals the position in a full sort', (scores, pick) => {
    const doc = pick % scores.length;
    const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    expect(rankOf(scores, doc)).toBe(order.indexOf(doc) + 1);
  });

  it('rejects a bad index and NaN scores', () => {
    expect(() => rankOf([1, 2], 2)).toThrow(InvalidOptionError);
    expect(() => rankOf([1, 2], -1)).toThrow(InvalidOptionError);
    expect(() => rankOf([1, NaN], 0)).toThrow(NaNScoreError);
    expect(() => rankOf([NaN, 1], 0)).toThrow(NaNScoreError);
  });
});
