import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  cutoff,
  EXAMPLE_GRADES,
  EXAMPLE_RANKING,
  queryCase,
  errorOf,
} from './_test-arbitraries.js';
import { averagePrecision } from './average-precision.js';
import { InvalidCutoffError, NoRelevantDocumentsError } from './errors.js';

// Ranking a b c d e; relevant: b (rank 2, grade 2), d (rank 4), z (never retrieved); c grade 0.
// |R| = 3. Precision at the relevant ranks: P@2 = 1/2, P@4 = 2/4.
const ranking = EXAMPLE_RANKING;
const grades = EXAMPLE_GRADES;

describe('averagePrecision', () => {
  it.each([
    [undefined, (1 / 2 + 2 / 4) / 3], // full ranking; z counts as precision 0
    [1, 0],
    [2, 1 / 2 / 3], // map_cut: still divided by |R| = 3, not min(k, |R|) = 2
    [3, 1 / 2 / 3],
    [4, (1 / 2 + 2 / 4) / 3],
    [100, (1 / 2 + 2 / 4) / 3],
  ])('k = %s → %f', (k, expected) => {
    expect(averagePrecision(ranking, grades, { k })).toBeCloseTo(expected, 15);
  });

  it('uses binary relevance: grades above 1 weigh no more', () => {
    // Same positions, grades 1 instead of 2: same AP.
    const binary = new Map([...grades].map(([id, g]) => [id, g > 0 ? 1 : 0]));
    expect(averagePrecision(ranking, binary)).toBe(averagePrecision(ranking, grades));
  });

  it('is 0 for an empty ranking', () => {
    expect(averagePrecision([], grades)).toBe(0);
  });

  it('rejects a bad k and a query without relevant documents', () => {
    expect(
      errorOf(() => averagePrecision(ranking, grades, { k: 0.5 }), InvalidCutoffError),
    ).toMatchObject({
      code: 'ERR_METRICS_INVALID_CUTOFF',
      k: 0.5,
      message: expect.stringContaining(
        'averagePrecision: cut-off k must be an integer ≥ 1, received 0.5',
      ),
    });
    expect(
      errorOf(() => averagePrecision(ranking, new Map()), NoRelevantDocumentsError),
    ).toMatchObject({
      code: 'ERR_METRICS_NO_RELEVANT_DOCUMENTS',
      message: expect.stringContaining(
        'averagePrecision: the query has no relevant document (no grade > 0)',
      ),
    });
  });

  test.prop([queryCase, cutoff])('lies in [0, 1]', ({ ranking: r, grades: g }, k) => {
    for (const value of [averagePrecision(r, g), averagePrecision(r, g, { k })]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1 + 1e-12);
    }
  });

  test.prop([queryCase, cutoff, cutoff])(
    'AP@k never falls as k grows and never exceeds AP',
    ({ ranking: r, grades: g }, k1, k2) => {
      const [lo, hi] = k1 <= k2 ? [k1, k2] : [k2, k1];
      expect(averagePrecision(r, g, { k: lo })).toBeLessThanOrEqual(
        averagePrecision(r, g, { k: hi }),
      );
      expect(averagePrecision(r, g, { k: hi })).toBeLessThanOrEqual(averagePrecision(r, g));
    },
  );
});
