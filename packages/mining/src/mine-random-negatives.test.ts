import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { mineRandomNegatives } from './mine-random-negatives.js';

describe('mineRandomNegatives', () => {
  const pairs = [
    { query: 'q1', passage: 'a' },
    { query: 'q1', passage: 'b' },
    { query: 'q2', passage: 'c' },
  ];
  const corpus = ['a', 'x', 'y', 'z', 'w', 'v', 'b'];

  it('is seeded: same seed same negatives, another seed other negatives', () => {
    const one = mineRandomNegatives(pairs, { corpus, numNegatives: 2, seed: 3 });
    expect(mineRandomNegatives(pairs, { corpus, numNegatives: 2, seed: 3 }).rows).toEqual(one.rows);
    const seen = new Set<string>();
    for (let seed = 0; seed < 20; seed++)
      seen.add(
        JSON.stringify(mineRandomNegatives(pairs, { corpus, numNegatives: 2, seed }).negatives),
      );
    expect(seen.size).toBeGreaterThan(5);
    expect(one.rows).toHaveLength(6); // q1: 2 positives × 2, q2: 1 × 2
    expect(one.stats).toMatchObject({
      kind: 'random',
      queries: 2,
      pairs: 3,
      corpusSize: 8,
      queriesShort: 0,
    });
  });

  it('gives a query with few eligible texts all of them and counts it short', () => {
    const mined = mineRandomNegatives([{ query: 'q', passage: 'a' }], {
      corpus: ['a', 'b'],
      numNegatives: 3,
      format: 'ntuple',
    });
    expect(mined.negatives).toEqual([[1]]);
    expect(mined.stats.queriesShort).toBe(1);
    expect(mined.stats.rowsDropped).toBe(1);
  });

  it('rejects bad options', () => {
    expect(() => mineRandomNegatives(pairs, { numNegatives: 0 })).toThrow(/numNegatives/);
    expect(() => mineRandomNegatives(pairs, { seed: -1 })).toThrow(/seed/);
    expect(() => mineRandomNegatives(pairs, { format: 'tsv' as never })).toThrow(/format/);
  });

  test.prop(
    [
      fc.array(fc.tuple(fc.stringMatching(/^[ab]$/), fc.stringMatching(/^[a-e]{1,2}$/)), {
        minLength: 1,
        maxLength: 10,
      }),
      fc.array(fc.stringMatching(/^[a-e]{1,2}$/), { maxLength: 30 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 0, max: 1000 }),
    ],
    { numRuns: 60 },
  )(
    'never draws a positive or a text equal to one, nor the same text twice (property)',
    (raw, corpus, numNegatives, seed) => {
      const ps = raw.map(([query, passage]) => ({ query, passage }));
      const mined = mineRandomNegatives(ps, { corpus, numNegatives, seed });
      mined.negatives.forEach((negs, q) => {
        const positives = new Set(mined.data.positives[q]!.map((r) => mined.data.corpus[r]));
        for (const n of negs) expect(positives.has(mined.data.corpus[n])).toBe(false);
        expect(new Set(negs).size).toBe(negs.length);
        const eligible = mined.data.corpus.length - positives.size;
        expect(negs.length).toBe(Math.min(numNegatives, eligible));
      });
    },
  );
});
