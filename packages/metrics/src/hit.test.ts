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
import { hit } from './hit.js';

// Ranking a b c d e; relevant: b (rank 2, grade 2), d (rank 4), z (never retrieved); c grade 0.
const ranking = EXAMPLE_RANKING;
const grades = EXAMPLE_GRADES;

describe('hit', () => {
  it.each([
    [1, 0], // a only
    [2, 1], // b is the first relevant doc
    [4, 1], // two relevant docs still give 1
    [50, 1],
  ])('hit@%i = %i', (k, expected) => {
    expect(hit(ranking, grades, { k })).toBe(expected);
  });

  it('is 0 when no relevant doc is retrieved, and for an empty ranking', () => {
    expect(hit(ranking, new Map([['z', 1]]), { k: 5 })).toBe(0);
    expect(hit([], grades, { k: 5 })).toBe(0);
  });

  it('rejects k = 0 and a query without relevant documents', () => {
    expect(errorOf(() => hit(ranking, grades, { k: 0 }), InvalidCutoffError)).toMatchObject({
      code: 'ERR_METRICS_INVALID_CUTOFF',
      k: 0,
      message: expect.stringContaining('hit: cut-off k must be an integer ≥ 1, received 0'),
    });
    expect(
      errorOf(() => hit(ranking, new Map([['a', -1]]), { k: 1 }), NoRelevantDocumentsError),
    ).toMatchObject({
      code: 'ERR_METRICS_NO_RELEVANT_DOCUMENTS',
      message: expect.stringContaining('hit: the query has no relevant document (no grade > 0)'),
    });
  });

  test.prop([queryCase, cutoff])('is 0 or 1', ({ ranking: r, grades: g }, k) => {
    expect([0, 1]).toContain(hit(r, g, { k }));
  });

  test.prop([queryCase, cutoff, cutoff])(
    'never falls as k grows',
    ({ ranking: r, grades: g }, k1, k2) => {
      const [lo, hi] = k1 <= k2 ? [k1, k2] : [k2, k1];
      expect(hit(r, g, { k: lo })).toBeLessThanOrEqual(hit(r, g, { k: hi }));
    },
  );
});
