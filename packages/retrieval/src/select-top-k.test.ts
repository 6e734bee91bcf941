import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { InvalidKError, NaNScoreError } from './errors.js';
import { selectTopK } from './select-top-k.js';

/** Brute force: sort all positions by score descending, then position ascending. */
function bruteForce(scores: readonly number[], k: number): { indices: number[]; scores: number[] } {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const kept = order.slice(0, k);
  return { indices: kept, scores: kept.map((i) => scores[i]!) };
}

// Few distinct values so that ties are frequent; infinities and signed zeros included.
const tieHeavy = fc.array(fc.constantFrom(-Infinity, -1, -0, 0, 0.5, 1, 2, Infinity), {
  maxLength: 60,
});
const anyScores = fc.array(fc.double({ noNaN: true }), { maxLength: 200 });

describe('selectTopK', () => {
  // Expected values by hand from the ranking rule: descending score, ties by lower index.
  it.each([
    { scores: [0.2, 0.9, 0.5, 0.9], k: 3, indices: [1, 3, 2] },
    { scores: [1, 1, 1, 1], k: 2, indices: [0, 1] },
    { scores: [3, 1, 2], k: 10, indices: [0, 2, 1] },
    { scores: [-1, -Infinity, Infinity], k: 2, indices: [2, 0] },
    { scores: [0, -0, 0], k: 3, indices: [0, 1, 2] },
    { scores: [], k: 5, indices: [] },
    { scores: [7], k: 1, indices: [0] },
  ])('top-$k of $scores is $indices', ({ scores, k, indices }) => {
    const top = selectTopK(scores, k);
    expect(Array.from(top.indices)).toEqual(indices);
    expect(Array.from(top.scores)).toEqual(indices.map((i) => scores[i]));
  });

  it('accepts typed arrays and returns typed arrays', () => {
    const top = selectTopK(Float32Array.of(0.25, 0.75, 0.5), 2);
    expect(top.indices).toBeInstanceOf(Uint32Array);
    expect(top.scores).toBeInstanceOf(Float64Array);
    expect(Array.from(top.indices)).toEqual([1, 2]);
    expect(Array.from(top.scores)).toEqual([0.75, 0.5]);
  });

  // fc.assert inside `it` (rather than test.prop) so the vitest lint rules see the expects.
  it('equals a full sort with many ties (property)', () => {
    fc.assert(
      fc.property(tieHeavy, fc.integer({ min: 1, max: 70 }), (scores, k) => {
        const top = selectTopK(scores, k);
        const expected = bruteForce(scores, k);
        expect(Array.from(top.indices)).toEqual(expected.indices);
        expect(Array.from(top.scores)).toEqual(expected.scores);
      }),
    );
  });

  it('equals a full sort on arbitrary doubles (property)', () => {
    fc.assert(
      fc.property(anyScores, fc.integer({ min: 1, max: 250 }), (scores, k) => {
        expect(Array.from(selectTopK(scores, k).indices)).toEqual(bruteForce(scores, k).indices);
      }),
    );
  });

  it('returns min(k, n) results with non-increasing scores (property)', () => {
    fc.assert(
      fc.property(tieHeavy, fc.integer({ min: 1, max: 30 }), (scores, k) => {
        const top = selectTopK(scores, k);
        expect(top.indices.length).toBe(Math.min(k, scores.length));
        for (let i = 1; i < top.scores.length; i++)
          expect(top.scores[i - 1]!).toBeGreaterThanOrEqual(top.scores[i]!);
      }),
    );
  });

  it('names the index of a NaN', () => {
    let error: unknown;
    try {
      selectTopK([0.1, 0.2, NaN, 0.3], 2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NaNScoreError);
    expect(error).toMatchObject({ code: 'ERR_RETRIEVAL_NAN_SCORE', index: 2 });
    expect((error as Error).message).toContain('index 2');
  });

  it.each([0, -1, 1.5, NaN, Infinity])('rejects k = %s', (k) => {
    expect(() => selectTopK([1, 2], k)).toThrow(InvalidKError);
    expect(() => selectTopK([1, 2], k)).toThrow(
      expect.objectContaining({ code: 'ERR_RETRIEVAL_INVALID_K', k }),
    );
    expect(() => selectTopK([1, 2], k)).toThrow(`received ${String(k)}`);
  });
});
