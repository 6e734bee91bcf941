import { describe, expect, it } from 'vitest';
import { denseSearch } from './dense-search.js';
import { bruteForceDense } from './_test-brute-force.js';

describe('denseSearch', () => {
  // Hand-computed dot products of (0,2) with (1,0), (0,1), (1,1): 0, 2, 2 → rows 1 and 2 tie.
  it('returns top-k by dot product with the tie rule', async () => {
    const tops = await denseSearch(Float32Array.of(0, 2), Float32Array.of(1, 0, 0, 1, 1, 1), {
      dim: 2,
      k: 2,
      metric: 'dot',
    });
    expect(Array.from(tops[0]!.indices)).toEqual([1, 2]);
    expect(Array.from(tops[0]!.scores)).toEqual([2, 2]);
  });

  it('matches brute force on a seeded random case spanning several blocks', async () => {
    // Deterministic integer data (a linear congruential sequence), so scores are exact.
    let x = 12345;
    const next = (): number => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return (x % 7) - 3;
    };
    const dim = 8;
    const corpus = Float32Array.from({ length: 300 * dim }, next);
    const queries = Float32Array.from({ length: 20 * dim }, next);
    const tops = await denseSearch(queries, corpus, {
      dim,
      k: 10,
      metric: 'dot',
      queryBlockSize: 6,
      corpusBlockSize: 64,
    });
    const expected = bruteForceDense(queries, corpus, dim, 10, 'dot');
    expect(tops.map((t) => Array.from(t.indices))).toEqual(expected.map((e) => e.indices));
  });
});
