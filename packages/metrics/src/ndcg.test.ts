import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  cutoff,
  EXAMPLE_GRADES,
  EXAMPLE_RANKING,
  queryCase,
  errorOf,
} from './_test-arbitraries.js';
import { InvalidCutoffError, NoRelevantDocumentsError } from './errors.js';
import { ndcg } from './ndcg.js';

// Ranking a b c d e; grades b = 2 (rank 2), d = 1 (rank 4), z = 1 (never retrieved), c = 0.
// Gains by rank: [0, 2, 0, 1, 0]; ideal gains: [2, 1, 1]. Discount at rank r: log2(r + 1).
const ranking = EXAMPLE_RANKING;
const grades = EXAMPLE_GRADES;
const log2 = Math.log2;

describe('ndcg', () => {
  it.each([
    // k = 1: DCG = 0 (a is not relevant).
    [1, 0],
    // k = 2: DCG = 2/log2(3); IDCG = 2/log2(2) + 1/log2(3).
    [2, 2 / log2(3) / (2 / log2(2) + 1 / log2(3))],
    // k = 4: DCG = 2/log2(3) + 1/log2(5); IDCG = 2/1 + 1/log2(3) + 1/log2(4).
    [4, (2 / log2(3) + 1 / log2(5)) / (2 + 1 / log2(3) + 1 / log2(4))],
    // k = 10: same sums, the ranking ends at 5 and the ideal list at 3.
    [10, (2 / log2(3) + 1 / log2(5)) / (2 + 1 / log2(3) + 1 / log2(4))],
    // no cut-off: trec_eval `ndcg`, everything.
    [undefined, (2 / log2(3) + 1 / log2(5)) / (2 + 1 / log2(3) + 1 / log2(4))],
  ])('k = %s → %f', (k, expected) => {
    expect(ndcg(ranking, grades, { k })).toBeCloseTo(expected, 14);
  });

  it('is 1 for the ideal ordering and uses linear gain', () => {
    // Ideal: grade 3 first, then 1. Swapped: DCG = 1 + 3/log2(3); IDCG = 3 + 1/log2(3).
    // (With exponential gain 2^g − 1 the value would be (1 + 7/log2(3)) / (7 + 1/log2(3)).)
    const g = new Map([
      ['x', 3],
      ['y', 1],
    ]);
    const ideal = [
      { id: 'x', score: 2 },
      { id: 'y', score: 1 },
    ];
    expect(ndcg(ideal, g, { k: 2 })).toBe(1);
    expect(ndcg([...ideal].reverse(), g, { k: 2 })).toBeCloseTo(
      (1 + 3 / log2(3)) / (3 + 1 / log2(3)),
      14,
    );
  });

  it('is 0 for an empty ranking', () => {
    expect(ndcg([], grades, { k: 10 })).toBe(0);
  });

  it('rejects a bad k and a query without relevant documents', () => {
    expect(errorOf(() => ndcg(ranking, grades, { k: -1 }), InvalidCutoffError)).toMatchObject({
      code: 'ERR_METRICS_INVALID_CUTOFF',
      k: -1,
      message: expect.stringContaining('ndcg: cut-off k must be an integer ≥ 1, received -1'),
    });
    expect(
      errorOf(() => ndcg(ranking, new Map([['a', 0]])), NoRelevantDocumentsError),
    ).toMatchObject({
      code: 'ERR_METRICS_NO_RELEVANT_DOCUMENTS',
      message: expect.stringContaining('ndcg: the query has no relevant document (no grade > 0)'),
    });
  });

  test.prop([queryCase, cutoff])('lies in [0, 1]', ({ ranking: r, grades: g }, k) => {
    for (const value of [ndcg(r, g), ndcg(r, g, { k })]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1 + 1e-12);
    }
  });
});
