import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { cutoff, EXAMPLE_GRADES, EXAMPLE_RANKING, queryCase } from './_test-arbitraries.js';
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
    expect(() => precision(ranking, grades, { k })).toThrow(InvalidCutoffError);
  });

  it('rejects a query without relevant documents', () => {
    expect(() => precision(ranking, new Map(), { k: 1 })).toThrow(NoRelevantDocumentsError);
  });

  test.prop([queryCase, cutoff])('lies in [0, 1]', ({ ranking: r, grades: g }, k) => {
    const value = precision(r, g, { k });
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
  });
});
