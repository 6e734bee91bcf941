import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  cutoff,
  EXAMPLE_GRADES,
  EXAMPLE_RANKING,
  queryCase,
  singleRelevantCase,
  errorOf,
} from './_test-arbitraries.js';
import { averagePrecision } from './average-precision.js';
import { InvalidCutoffError, NoRelevantDocumentsError } from './errors.js';
import { reciprocalRank } from './reciprocal-rank.js';

// Ranking a b c d e; relevant: b (rank 2, grade 2), d (rank 4), z (never retrieved); c grade 0.
const ranking = EXAMPLE_RANKING;
const grades = EXAMPLE_GRADES;

describe('reciprocalRank', () => {
  it.each([
    [undefined, 1 / 2], // full ranking: first relevant doc b at rank 2
    [1, 0], // MRR@1: b is below the cut-off
    [2, 1 / 2],
    [10, 1 / 2],
  ])('k = %s → %f', (k, expected) => {
    expect(reciprocalRank(ranking, grades, { k })).toBe(expected);
  });

  it('reads the whole ranking by default, however long', () => {
    // First relevant doc at rank 1000 → 1/1000 (MRR over the full ranking, the study's MRR).
    const long = Array.from({ length: 1000 }, (_, i) => ({ id: `d${i}`, score: -i }));
    expect(reciprocalRank(long, new Map([['d999', 1]]))).toBe(1 / 1000);
    expect(reciprocalRank(long, new Map([['d999', 1]]), { k: 999 })).toBe(0);
  });

  it('is 0 for an empty ranking or when no relevant doc is retrieved', () => {
    expect(reciprocalRank([], grades)).toBe(0);
    expect(reciprocalRank(ranking, new Map([['z', 1]]))).toBe(0);
  });

  it('rejects a bad k and a query without relevant documents', () => {
    expect(
      errorOf(() => reciprocalRank(ranking, grades, { k: 0 }), InvalidCutoffError),
    ).toMatchObject({
      code: 'ERR_METRICS_INVALID_CUTOFF',
      k: 0,
      message: expect.stringContaining(
        'reciprocalRank: cut-off k must be an integer ≥ 1, received 0',
      ),
    });
    expect(
      errorOf(() => reciprocalRank(ranking, new Map()), NoRelevantDocumentsError),
    ).toMatchObject({
      code: 'ERR_METRICS_NO_RELEVANT_DOCUMENTS',
      message: expect.stringContaining(
        'reciprocalRank: the query has no relevant document (no grade > 0)',
      ),
    });
  });

  test.prop([queryCase, cutoff])('lies in [0, 1]', ({ ranking: r, grades: g }, k) => {
    for (const value of [reciprocalRank(r, g), reciprocalRank(r, g, { k })]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  });

  test.prop([queryCase, cutoff, cutoff])(
    'MRR@k never falls as k grows and never exceeds MRR',
    ({ ranking: r, grades: g }, k1, k2) => {
      const [lo, hi] = k1 <= k2 ? [k1, k2] : [k2, k1];
      expect(reciprocalRank(r, g, { k: lo })).toBeLessThanOrEqual(reciprocalRank(r, g, { k: hi }));
      expect(reciprocalRank(r, g, { k: hi })).toBeLessThanOrEqual(reciprocalRank(r, g));
    },
  );

  test.prop([singleRelevantCase, cutoff])(
    'equals average precision when the query has one relevant document',
    ({ ranking: r, grades: g }, k) => {
      expect(reciprocalRank(r, g)).toBe(averagePrecision(r, g));
      expect(reciprocalRank(r, g, { k })).toBe(averagePrecision(r, g, { k }));
    },
  );
});
