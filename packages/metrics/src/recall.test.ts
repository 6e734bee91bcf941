import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  cutoff,
  EXAMPLE_GRADES,
  EXAMPLE_RANKING,
  queryCase,
  singleRelevantCase,
  thrown,
  errorOf,
} from './_test-arbitraries.js';
import {
  DuplicateDocumentError,
  InvalidCutoffError,
  InvalidGradeError,
  NoRelevantDocumentsError,
} from './errors.js';
import { hit } from './hit.js';
import { recall } from './recall.js';

// Ranking a b c d e; relevant: b (grade 2, rank 2), d (grade 1, rank 4), z (grade 1, never
// retrieved); c is judged non-relevant (grade 0). |R| = 3.
const ranking = EXAMPLE_RANKING;
const grades = EXAMPLE_GRADES;

describe('recall', () => {
  it.each([
    [1, 0], // top 1 = a: no relevant doc
    [2, 1 / 3], // b found: 1 of |R| = 3 (grade 2 still counts once)
    [3, 1 / 3], // c has grade 0: not relevant
    [4, 2 / 3], // b and d
    [5, 2 / 3],
    [100, 2 / 3], // k past the end: z was never retrieved
  ])('recall@%i = %f', (k, expected) => {
    expect(recall(ranking, grades, { k })).toBeCloseTo(expected, 15);
  });

  it('is 0 for an empty ranking', () => {
    expect(recall([], grades, { k: 10 })).toBe(0);
  });

  it('treats negative grades as non-relevant', () => {
    // a has grade -1: only b counts, |R| = 1.
    const g = new Map([
      ['a', -1],
      ['b', 1],
    ]);
    expect(recall(ranking, g, { k: 1 })).toBe(0);
    expect(recall(ranking, g, { k: 2 })).toBe(1);
  });

  it.each([0, -1, 2.5, NaN, Infinity])('rejects k = %f', (k) => {
    expect(errorOf(() => recall(ranking, grades, { k }), InvalidCutoffError)).toMatchObject({
      code: 'ERR_METRICS_INVALID_CUTOFF',
      k,
      message: expect.stringContaining(`recall: cut-off k must be an integer ≥ 1, received ${k}`),
    });
  });

  it('rejects a query without relevant documents', () => {
    const error = thrown(() => recall(ranking, new Map([['a', 0]]), { k: 1 }));
    expect(error).toBeInstanceOf(NoRelevantDocumentsError);
    expect(error).toMatchObject({ code: 'ERR_METRICS_NO_RELEVANT_DOCUMENTS' });
    expect((error as Error).message).toContain(
      'recall: the query has no relevant document (no grade > 0)',
    );
  });

  it('rejects duplicate ids, naming both positions', () => {
    const dup = [...ranking, { id: 'b', score: 0 }];
    expect(() => recall(dup, grades, { k: 1 })).toThrow(
      expect.objectContaining({
        code: 'ERR_METRICS_DUPLICATE_DOCUMENT',
        docId: 'b',
        firstIndex: 1,
        secondIndex: 5,
      }) as Error,
    );
    expect(() => recall(dup, grades, { k: 1 })).toThrow(DuplicateDocumentError);
  });

  it('rejects a NaN grade', () => {
    expect(
      errorOf(() => recall(ranking, new Map([['b', NaN]]), { k: 1 }), InvalidGradeError),
    ).toMatchObject({
      code: 'ERR_METRICS_INVALID_GRADE',
      docId: 'b',
      grade: NaN,
      message:
        'recall: grade of document "b" is NaN, expected a finite number. Use 1 for relevant and 0 ' +
        'for judged non-relevant (higher integers for graded qrels).',
    });
  });

  test.prop([queryCase, cutoff])('lies in [0, 1]', ({ ranking: r, grades: g }, k) => {
    const value = recall(r, g, { k });
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
  });

  test.prop([queryCase, cutoff, cutoff])(
    'never falls as k grows',
    ({ ranking: r, grades: g }, k1, k2) => {
      const [lo, hi] = k1 <= k2 ? [k1, k2] : [k2, k1];
      expect(recall(r, g, { k: lo })).toBeLessThanOrEqual(recall(r, g, { k: hi }));
    },
  );

  test.prop([singleRelevantCase, cutoff])(
    'equals hit@k when the query has one relevant document',
    ({ ranking: r, grades: g }, k) => {
      expect(recall(r, g, { k })).toBe(hit(r, g, { k }));
    },
  );
});
