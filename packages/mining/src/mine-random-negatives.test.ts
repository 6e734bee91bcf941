import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { InvalidMiningOptionError } from './errors.js';
import { mineRandomNegatives } from './mine-random-negatives.js';
import type { MiningStats } from './mining-stats.js';

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

  // mulberry32(42) draws 0.6011037519201636, 0.44829055899754167, 0.8524657934904099 (the
  // values @rtk/datasets documents for seed 42, then its third).
  /** The whole stats of a random run over one pair that got all the `numNegatives` it asked for. */
  function onePairStats(corpusSize: number, numNegatives: number): MiningStats {
    return {
      kind: 'random',
      queries: 1,
      pairs: 1,
      corpusSize,
      numNegatives,
      rangeMin: undefined,
      rangeMax: undefined,
      candidatesPerQuery: undefined,
      candidatesSeen: 0,
      removed: { positives: 0, absoluteMargin: 0, relativeMargin: 0, maxScore: 0, minScore: 0 },
      queriesShort: 0,
      negativesChosen: numNegatives,
      rowsWritten: numNegatives,
      rowsDropped: 0,
      deeperSearches: 0,
      positiveScores: undefined,
      negativeScores: undefined,
    };
  }

  it('draws by rejection when more than twice numNegatives texts are eligible (seed 42)', () => {
    // corpus rows a0 b1 c2 d3, positive a: 3 eligible > 2·1. Draw ⌊0.601·4⌋ = 2 (c), not excluded.
    const mined = mineRandomNegatives([{ query: 'q', passage: 'a' }], {
      corpus: ['a', 'b', 'c', 'd'],
      numNegatives: 1,
      seed: 42,
    });
    expect(mined.negatives).toEqual([[2]]);
    expect(mined.rows).toEqual([{ query: 'q', positive: 'a', negative: 'c' }]);
    expect(mined.stats).toEqual(onePairStats(4, 1));
  });

  it('shuffles the eligible texts when at most twice numNegatives are (seed 42)', () => {
    // corpus rows a0 b1 c2 d3 e4, positive a: 4 eligible ≤ 2·2, so Fisher–Yates on [1, 2, 3, 4]:
    // i=3 j=⌊0.601·4⌋=2 → [1, 2, 4, 3]; i=2 j=⌊0.448·3⌋=1 → [1, 4, 2, 3]; i=1 j=⌊0.852·2⌋=1 →
    // unchanged; first two [1, 4]. (Rejection would give ⌊0.601·5⌋=3, ⌊0.448·5⌋=2.)
    const mined = mineRandomNegatives([{ query: 'q', passage: 'a' }], {
      corpus: ['a', 'b', 'c', 'd', 'e'],
      numNegatives: 2,
      seed: 42,
    });
    expect(mined.negatives).toEqual([[1, 4]]);
    expect(mined.rows).toEqual([
      { query: 'q', positive: 'a', negative: 'b' },
      { query: 'q', positive: 'a', negative: 'e' },
    ]);
    // got all 2 asked for: not short
    expect(mined.stats).toEqual(onePairStats(5, 2));
  });

  it('counts the negatives of every query, short ones included', () => {
    // q1 (positives a, b): eligible c only, 1 of 2; q2 (positive c): eligible a, b, both
    const mined = mineRandomNegatives(
      [
        { query: 'q1', passage: 'a' },
        { query: 'q1', passage: 'b' },
        { query: 'q2', passage: 'c' },
      ],
      { numNegatives: 2 },
    );
    expect(mined.negatives.map((negs) => [...negs].sort((a, b) => a - b))).toEqual([[2], [0, 1]]);
    expect(mined.stats).toMatchObject({ queriesShort: 1, negativesChosen: 3, rowsWritten: 4 });
  });

  it('accepts the largest seed', () => {
    // 2 eligible texts for 2 negatives: both are drawn whatever the generator says
    const mined = mineRandomNegatives([{ query: 'q', passage: 'a' }], {
      corpus: ['b', 'c'],
      numNegatives: 2,
      seed: 4294967295,
    });
    expect(mined.data.corpus).toEqual(['b', 'c', 'a']);
    expect([...mined.negatives[0]!].sort((a, b) => a - b)).toEqual([0, 1]);
    expect(mined.stats.queriesShort).toBe(0);
  });

  it.each<{ case: string; options: object; message: string }>([
    {
      case: 'no negatives',
      options: { numNegatives: 0 },
      message: 'option numNegatives must be an integer ≥ 1, received 0.',
    },
    {
      case: 'a negative seed',
      options: { seed: -1 },
      message: 'option seed must be an integer in [0, 4294967295], received -1.',
    },
    {
      case: 'a seed past 2^32 - 1',
      options: { seed: 4294967296 },
      message: 'option seed must be an integer in [0, 4294967295], received 4294967296.',
    },
    {
      case: 'an unknown format',
      options: { format: 'tsv' },
      message: 'option format must be one of triplet, ntuple, received "tsv".',
    },
  ])('rejects $case with where, expected and received', ({ options, message }) => {
    let error: unknown;
    try {
      mineRandomNegatives(pairs, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidMiningOptionError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_OPTION' });
    expect((error as Error).message).toBe(`mineRandomNegatives: ${message}`);
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
