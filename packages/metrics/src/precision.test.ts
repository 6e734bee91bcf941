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
import { precision } from './precision.js';

// Ranking a b c d e; relevant: b (rank 2, grade 2), d (rank 4), z (never retrieved); c grade 0.
const ranking = EXAMPLE_RANKING;
const grades = EXAMPLE_GRADES;

describe('precision', () => {
  it.each([
    [1, 0 / 1], // a
    [2, 1 / 2], // a b
    [3, 1 / 3], // c has grade 0
    [4, 2 / 4], // b, d
    [5, 2 / 5],
    [10, 2 / 10], // k stays 10 although only 5 docs were retrieved (trec_eval P_10)
  ])('precision@%i = %f', (k, expected) => {
    expect(precision(ranking, grades, { k })).toBeCloseTo(expected, 15);
  });

  it('is 0 for an empty ranking', () => {
    expect(precision([], grades, { k: 3 })).toBe(0);
  });

  it.each([0, 1.5, -3])('rejects k = %f', (k) => {
    expect(errorOf(() => precision(ranking, grades, { k }), InvalidCutoffError)).toMatchObject({
      code: 'ERR_METRICS_INVALID_CUTOFF',
      k,
      message: expect.stringContaining(
        `precision: cut-off k must be an integer ≥ 1, received ${k}`,
      ),
    });
  });

  it('rejects a query without relevant documents', () => {
    expect(
      errorOf(() => precision(ranking, new Map(), { k: 1 }), NoRelevantDocumentsError),
    ).toMatchObject({
      code: 'ERR_METRICS_NO_RELEVANT_DOCUMENTS',
      message: expect.stringContaining(
        'precision: the query has no relevant document (no grade > 0)',
      ),
    });
  });

  test.prop([queryCase, cutoff])('lies in [0, 1]', ({ ranking: r, grades: g }, k) => {
    const value = precision(r, g, { k });
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
  });
});
