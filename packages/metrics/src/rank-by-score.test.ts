import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compareScoredDocs } from './compare-scored-docs.js';
import {
  DuplicateDocumentError,
  InvalidCutoffError,
  LengthMismatchError,
  NonFiniteScoreError,
} from './errors.js';
import { rankByScore } from './rank-by-score.js';
import { errorOf } from './_test-arbitraries.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `d${i}`);

describe('rankByScore', () => {
  it.each([
    // [scores, expected order]: descending score, ties → lower input index first
    [
      [0.2, 0.7, 0.2],
      ['d1', 'd0', 'd2'],
    ],
    [
      [0, 0, 0, 0],
      ['d0', 'd1', 'd2', 'd3'],
    ], // all tied: input order (golden case all_tied)
    [
      [1, 3, 2, 3, 1],
      ['d1', 'd3', 'd2', 'd0', 'd4'],
    ],
    [
      [-1, -0.5, -2],
      ['d1', 'd0', 'd2'],
    ],
    [[], []],
  ])('orders %j as %j', (scores, expected) => {
    expect(rankByScore(ids(scores.length), scores).map((d) => d.id)).toEqual(expected);
  });

  it('keeps the top k, and accepts a Float32Array', () => {
    const ranking = rankByScore(ids(4), Float32Array.from([0.5, 0.25, 1, 0.75]), { k: 2 });
    expect(ranking).toEqual([
      { id: 'd2', score: 1 },
      { id: 'd3', score: 0.75 },
    ]);
    expect(rankByScore(ids(2), [1, 2], { k: 10 })).toHaveLength(2);
  });

  it.each([NaN, Infinity, -Infinity])('rejects a %f score, naming its index', (bad) => {
    expect(() => rankByScore(ids(3), [0.1, 0.2, bad])).toThrow(
      expect.objectContaining({ code: 'ERR_METRICS_NON_FINITE_SCORE', index: 2 }) as Error,
    );
    expect(() => rankByScore(ids(3), [bad, 0.2, 0.3])).toThrow(NonFiniteScoreError);
    expect(errorOf(() => rankByScore(ids(3), [0.1, bad, 0.3]), NonFiniteScoreError)).toMatchObject({
      index: 1,
      message: expect.stringMatching(
        new RegExp(
          `^rankByScore: score at index 1 is ${String(bad)}; scores must be finite numbers\\.`,
        ),
      ),
    });
  });

  it('rejects mismatched lengths, duplicate ids and a bad k', () => {
    expect(errorOf(() => rankByScore(ids(3), [1, 2]), LengthMismatchError)).toMatchObject({
      code: 'ERR_METRICS_LENGTH_MISMATCH',
      expected: 3,
      received: 2,
      message: expect.stringContaining('rankByScore: expected 3 scores (one per id), received 2.'),
    });
    expect(
      errorOf(() => rankByScore(['a', 'b', 'a'], [1, 2, 3]), DuplicateDocumentError),
    ).toMatchObject({
      code: 'ERR_METRICS_DUPLICATE_DOCUMENT',
      docId: 'a',
      firstIndex: 0,
      secondIndex: 2,
      message: expect.stringContaining(
        'rankByScore: document "a" appears twice in one ranking, at positions 0 and 2',
      ),
    });
    expect(errorOf(() => rankByScore(ids(2), [1, 2], { k: 0 }), InvalidCutoffError)).toMatchObject({
      code: 'ERR_METRICS_INVALID_CUTOFF',
      k: 0,
      message: expect.stringContaining('rankByScore: cut-off k must be an integer ≥ 1, received 0'),
    });
  });

  test.prop([fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 40 })])(
    'equals a stable sort with compareScoredDocs (NumPy argsort(-s, kind="stable"))',
    (scores) => {
      const docs = scores.map((score, i) => ({ id: `d${i}`, score }));
      expect(rankByScore(ids(scores.length), scores)).toEqual([...docs].sort(compareScoredDocs));
    },
  );

  test.prop([fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 40 })])(
    'returns a permutation with non-increasing scores, ties in input order',
    (scores) => {
      const ranking = rankByScore(ids(scores.length), scores);
      expect(ranking.map((d) => d.id).sort()).toEqual(ids(scores.length).sort());
      for (let r = 1; r < ranking.length; r++) {
        const a = ranking[r - 1]!;
        const b = ranking[r]!;
        expect(a.score).toBeGreaterThanOrEqual(b.score);
        if (a.score === b.score) expect(Number(a.id.slice(1))).toBeLessThan(Number(b.id.slice(1)));
      }
    },
  );
});
