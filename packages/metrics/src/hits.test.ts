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
import { hits } from './hits.js';
import { recall } from './recall.js';

// Ranking a b c d e; relevant: b (rank 2, grade 2), d (rank 4), z (never retrieved); c grade 0.
const ranking = EXAMPLE_RANKING;
const grades = EXAMPLE_GRADES;

describe('hits', () => {
  it.each([
    [1, 0], // a only
    [2, 1], // b
    [3, 1], // c has grade 0: not relevant
    [4, 2], // b and d
    [50, 2], // z is never retrieved
  ])('hits@%i = %i', (k, expected) => {
    expect(hits(ranking, grades, { k })).toBe(expected);
  });

  it('is 0 for an empty ranking; rejects k = 0 and a query without relevant documents', () => {
    expect(hits([], grades, { k: 5 })).toBe(0);
    expect(errorOf(() => hits(ranking, grades, { k: 0 }), InvalidCutoffError)).toMatchObject({
      code: 'ERR_METRICS_INVALID_CUTOFF',
      k: 0,
      message: expect.stringContaining('hits: cut-off k must be an integer ≥ 1, received 0'),
    });
    expect(
      errorOf(() => hits(ranking, new Map([['a', 0]]), { k: 1 }), NoRelevantDocumentsError),
    ).toMatchObject({
      code: 'ERR_METRICS_NO_RELEVANT_DOCUMENTS',
      message: expect.stringContaining('hits: the query has no relevant document (no grade > 0)'),
    });
  });

  test.prop([queryCase, cutoff])(
    'is recall × |R|, and hit is whether it is ≥ 1',
    ({ ranking: r, grades: g }, k) => {
      const relevant = [...g.values()].filter((x) => x > 0).length;
      const n = hits(r, g, { k });
      expect(Number.isInteger(n)).toBe(true);
      expect(n).toBeCloseTo(recall(r, g, { k }) * relevant, 10);
      expect(hit(r, g, { k })).toBe(n > 0 ? 1 : 0);
    },
  );
});
