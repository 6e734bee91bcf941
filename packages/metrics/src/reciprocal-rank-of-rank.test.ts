import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { EmptyEvaluationError, InvalidCutoffError, InvalidRankError } from './errors.js';
import { meanReciprocalRank, reciprocalRankOfRank } from './reciprocal-rank-of-rank.js';
import { reciprocalRank } from './reciprocal-rank.js';
import { errorOf } from './_test-arbitraries.js';

describe('reciprocalRankOfRank', () => {
  it.each([
    // [rank, k, expected]: 1 / rank, 0 past the cut-off or for Infinity (by definition)
    [1, undefined, 1],
    [4, undefined, 0.25],
    [4, 4, 0.25],
    [4, 3, 0],
    [Infinity, undefined, 0],
    [Infinity, 10, 0],
  ])('rank %d, k %s → %d', (rank, k, expected) => {
    expect(reciprocalRankOfRank(rank, { k })).toBe(expected);
  });

  it.each([0, -1, 1.5, NaN, -Infinity])('rejects rank %d', (rank) => {
    expect(errorOf(() => reciprocalRankOfRank(rank), InvalidRankError)).toMatchObject({
      code: 'ERR_METRICS_INVALID_RANK',
      rank,
      index: undefined,
      message: expect.stringContaining(
        `reciprocalRankOfRank: rank must be an integer ≥ 1 (1 = first) or Infinity (no relevant document ranked), received ${rank}.`,
      ),
    });
  });

  it('rejects a bad cut-off', () => {
    expect(errorOf(() => reciprocalRankOfRank(1, { k: 0 }), InvalidCutoffError)).toMatchObject({
      code: 'ERR_METRICS_INVALID_CUTOFF',
      k: 0,
      message: expect.stringContaining(
        'reciprocalRankOfRank: cut-off k must be an integer ≥ 1, received 0',
      ),
    });
  });

  test.prop([fc.integer({ min: 1, max: 30 }), fc.option(fc.integer({ min: 1, max: 30 }))])(
    'equals reciprocalRank of a ranking whose first relevant document is at that rank',
    (rank, k) => {
      const ranking = Array.from({ length: rank }, (_, i) => ({ id: `d${i}`, score: -i }));
      const grades = new Map([[`d${rank - 1}`, 1]]);
      const options = { k: k ?? undefined };
      expect(reciprocalRankOfRank(rank, options)).toBe(reciprocalRank(ranking, grades, options));
    },
  );
});

describe('meanReciprocalRank', () => {
  it('averages 1 / rank, Infinity counting 0', () => {
    // (1 + 1/2 + 0 + 1/4) / 4
    expect(meanReciprocalRank([1, 2, Infinity, 4])).toBeCloseTo(0.4375, 15);
    // k = 2: (1 + 1/2 + 0 + 0) / 4
    expect(meanReciprocalRank([1, 2, Infinity, 4], { k: 2 })).toBeCloseTo(0.375, 15);
    expect(meanReciprocalRank(Uint32Array.from([2, 2]))).toBe(0.5);
  });

  it('rejects an empty input and names the bad index', () => {
    expect(() => meanReciprocalRank([])).toThrow(EmptyEvaluationError);
    expect(() => meanReciprocalRank([1, 3, 0])).toThrow(InvalidRankError);
    expect(() => meanReciprocalRank([1, 3, 0])).toThrow('index 2');
  });

  it('names itself in its errors', () => {
    expect(errorOf(() => meanReciprocalRank([1, 3, 0]), InvalidRankError)).toMatchObject({
      rank: 0,
      index: 2,
      message: expect.stringMatching(
        /^meanReciprocalRank: rank at index 2 must be an integer ≥ 1 \(1 = first\) or Infinity/,
      ),
    });
    expect(errorOf(() => meanReciprocalRank([]), EmptyEvaluationError)).toMatchObject({
      message: expect.stringMatching(
        /^meanReciprocalRank: no query to average over \(empty input\)/,
      ),
    });
    expect(errorOf(() => meanReciprocalRank([1], { k: 0 }), InvalidCutoffError)).toMatchObject({
      k: 0,
      message: expect.stringContaining(
        'meanReciprocalRank: cut-off k must be an integer ≥ 1, received 0',
      ),
    });
  });

  test.prop([fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 40 })])(
    'does not depend on the order of queries and lies in [0, 1]',
    (ranks) => {
      const mean = meanReciprocalRank(ranks);
      expect(meanReciprocalRank([...ranks].reverse())).toBe(mean);
      expect(mean).toBeGreaterThan(0);
      expect(mean).toBeLessThanOrEqual(1);
    },
  );
});
