import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { InvalidIndexError, NonFiniteScoreError } from './errors.js';
import { rankByScore } from './rank-by-score.js';
import { rankOf } from './rank-of.js';
import { thrown } from './_test-arbitraries.js';

describe('rankOf', () => {
  // Expected by hand: descending score, equal scores → lower index first.
  it.each([
    { scores: [0.5, 0.9, 0.5, 0], doc: 2, rank: 3 },
    { scores: [0.5, 0.9, 0.5, 0], doc: 0, rank: 2 },
    { scores: [0.5, 0.9, 0.5, 0], doc: 1, rank: 1 },
    { scores: [0.5, 0.9, 0.5, 0], doc: 3, rank: 4 },
    { scores: [0, 0, 0], doc: 1, rank: 2 },
    { scores: [1], doc: 0, rank: 1 },
    { scores: [0, -0, 0], doc: 2, rank: 3 }, // -0 === 0: a tie, so index order
  ])('rank of $doc in $scores is $rank', ({ scores, doc, rank }) => {
    expect(rankOf(scores, doc)).toBe(rank);
  });

  it('accepts a Float32Array', () => {
    expect(rankOf(Float32Array.of(0.25, 0.75, 0.75), 2)).toBe(2);
  });

  test.prop([
    fc.array(fc.constantFrom(0, 0.25, 0.5, 1, 2), { minLength: 1, maxLength: 40 }),
    fc.nat(),
  ])('equals the position in rankByScore’s full ranking', (scores, pick) => {
    const doc = pick % scores.length;
    const ids = scores.map((_, i) => `d${i}`);
    const ranking = rankByScore(ids, scores).map((d) => d.id);
    expect(rankOf(scores, doc)).toBe(ranking.indexOf(`d${doc}`) + 1);
  });

  it.each([
    [[1, 2], 2, 'received 2'],
    [[1, 2], -1, 'received -1'],
    [[1, 2], 0.5, 'received 0.5'],
    [[], 0, 'in [0, 0)'],
  ])('rejects index %j of %j with InvalidIndexError', (scores, doc, fact) => {
    const error = thrown(() => rankOf(scores, doc));
    expect(error).toBeInstanceOf(InvalidIndexError);
    expect(error).toMatchObject({ code: 'ERR_METRICS_INVALID_INDEX', index: doc });
    expect((error as Error).message).toContain('rankOf');
    expect((error as Error).message).toContain(fact);
  });

  it.each([
    // [scores, doc, index of the bad score]: the document's own score, before and after it
    [[1, NaN], 1, 1],
    [[1, NaN], 0, 1],
    [[NaN, 1], 1, 0],
    [[Infinity, 1], 1, 0],
    [[1, -Infinity], 0, 1],
  ])('rejects a non-finite score in %j (doc %i) at index %i', (scores, doc, index) => {
    const error = thrown(() => rankOf(scores, doc));
    expect(error).toBeInstanceOf(NonFiniteScoreError);
    expect(error).toMatchObject({ code: 'ERR_METRICS_NON_FINITE_SCORE', index });
    expect((error as Error).message).toContain(`rankOf: score at index ${index}`);
  });
});
