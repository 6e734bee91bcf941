import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@rtk/datasets';
import { selectHardNegatives, type QueryCandidates } from './select-hard-negatives.js';
import { resolveMiningSettings, type HardNegativeOptions } from './settings.js';
import { InvalidMiningOptionError, InvalidScoresError } from './errors.js';

// A worked example derived by hand from sentence_transformers/util/hard_negatives.py.
// One query, positives 1 (score 0.80) and 2 (0.70): the margins' reference is the LOWEST, 0.70.
// Candidates, best first (row: score): 5: .95 (near-duplicate bait), 1: .80 (positive), 6: .72,
// 2: .70 (positive), 7: .69, 8: .66, 9: .60, 10: .50, 11: .30, 12: .10.
const indices = [5, 1, 6, 2, 7, 8, 9, 10, 11, 12];
const scores = [0.95, 0.8, 0.72, 0.7, 0.69, 0.66, 0.6, 0.5, 0.3, 0.1];
const query: QueryCandidates = {
  indices,
  scores,
  positives: [1, 2],
  positiveScores: [0.8, 0.7],
};
const none = { positives: 2, absoluteMargin: 0, relativeMargin: 0, maxScore: 0, minScore: 0 };

describe('selectHardNegatives', () => {
  it.each<[string, HardNegativeOptions, number[], Partial<typeof none>]>([
    // no guard: the top survivors are the bait 5 and the near-positives 6, 7 (false negatives)
    ['no guard', { numNegatives: 3, rangeMax: 10 }, [5, 6, 7], {}],
    // absoluteMargin .02 removes neg + .02 > .70, i.e. .95, .72, .69 (.66 + .02 = .68 stays)
    [
      'absoluteMargin',
      { numNegatives: 3, absoluteMargin: 0.02 },
      [8, 9, 10],
      { absoluteMargin: 3 },
    ],
    // relativeMargin .1 removes neg > .70 − .07 = .63: .95, .72, .69, .66
    [
      'relativeMargin',
      { numNegatives: 3, relativeMargin: 0.1 },
      [9, 10, 11],
      { relativeMargin: 4 },
    ],
    // maxScore .9 removes .95 only
    ['maxScore', { numNegatives: 3, maxScore: 0.9 }, [6, 7, 8], { maxScore: 1 }],
    // minScore .2 removes .10 only; the window 7 .. 8 of the survivors [5,6,7,8,9,10,11] is [9, 10]
    [
      'minScore',
      { numNegatives: 2, rangeMin: 4, rangeMax: 6, minScore: 0.2 },
      [9, 10],
      { minScore: 1 },
    ],
    // each rule works on what the previous left: absolute takes 3, relative the one more (.66)
    [
      'absolute then relative',
      { numNegatives: 3, absoluteMargin: 0.02, relativeMargin: 0.1 },
      [9, 10, 11],
      { absoluteMargin: 3, relativeMargin: 1 },
    ],
    // survivors [9, 10, 11] after both margins and minScore; window rangeMin 1 .. rangeMax 3 = [10, 11]
    [
      'window after guards',
      {
        numNegatives: 2,
        rangeMin: 1,
        rangeMax: 3,
        absoluteMargin: 0.02,
        relativeMargin: 0.1,
        minScore: 0.2,
      },
      [10, 11],
      { absoluteMargin: 3, relativeMargin: 1, minScore: 1 },
    ],
  ])('%s', (_name, options, negatives, removed) => {
    const got = selectHardNegatives([query], options);
    expect(got.negatives).toEqual([negatives]);
    expect(got.referenceScores).toEqual([0.7]);
    expect(got.stats.removed).toEqual({ ...none, ...removed });
    expect(got.stats.candidatesSeen).toBe(10);
  });

  it('counts a query short when its window holds fewer than numNegatives', () => {
    const got = selectHardNegatives([query], {
      numNegatives: 4,
      rangeMax: 10,
      relativeMargin: 0.1,
    });
    expect(got.negatives).toEqual([[9, 10, 11, 12]]);
    const short = selectHardNegatives([query], {
      numNegatives: 5,
      rangeMax: 10,
      relativeMargin: 0.1,
    });
    expect(short.negatives).toEqual([[9, 10, 11, 12]]);
    expect(short.stats.queriesShort).toBe(1);
  });

  it('uses the sign-safe relative margin for negative positive scores', () => {
    // ref −0.5, m 0.1: bound −0.5 − 0.05 = −0.55, so −0.52 is removed (upstream's pos·(1 − m) = −0.45 would keep it)
    const neg: QueryCandidates = {
      indices: [1, 2, 0],
      scores: [-0.52, -0.6, -0.7],
      positives: [0],
      positiveScores: [-0.5],
    };
    const got = selectHardNegatives([neg], { numNegatives: 1, relativeMargin: 0.1 });
    expect(got.negatives).toEqual([[2]]);
    expect(got.stats.removed.relativeMargin).toBe(1);
  });

  it('random sampling draws from the window only, in rank order, seeded', () => {
    const options = {
      numNegatives: 2,
      rangeMax: 10,
      absoluteMargin: 0.02,
      sampling: 'random' as const,
    };
    const draws = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const [negs] = selectHardNegatives([query], { ...options, seed }).negatives;
      expect(negs!.length).toBe(2);
      for (const n of negs!) expect([8, 9, 10, 11, 12]).toContain(n);
      expect(
        [...negs!].sort((a, b) => scores[indices.indexOf(b)]! - scores[indices.indexOf(a)]!),
      ).toEqual(negs);
      draws.add(negs!.join());
      expect(selectHardNegatives([query], { ...options, seed }).negatives[0]).toEqual(negs);
    }
    expect(draws.size).toBeGreaterThan(5);
  });

  // Each guard is strict (as sentence-transformers' `>`/`<`): a score exactly at the bound stays.
  // The values are exact in binary, so the sums and products below have no rounding.
  it.each<[string, HardNegativeOptions, number, number[]]>([
    // 0.5 + 0.25 = 0.75 is not > the reference 0.75
    ['absoluteMargin', { absoluteMargin: 0.25 }, 0.75, [0.5, 0.25]],
    // the bound 0.5 − 0.5·0.5 = 0.25: 0.25 is not > 0.25
    ['relativeMargin', { relativeMargin: 0.5 }, 0.5, [0.25, 0.125]],
    ['maxScore', { maxScore: 0.5 }, 0.75, [0.5, 0.25]],
    ['minScore', { minScore: 0.25 }, 0.75, [0.25]],
  ])('%s keeps a score exactly at its bound', (_name, options, reference, candidateScores) => {
    const atBound: QueryCandidates = {
      indices: candidateScores.map((_, i) => i + 1),
      scores: candidateScores,
      positives: [0],
      positiveScores: [reference],
    };
    const got = selectHardNegatives([atBound], { numNegatives: 1, rangeMax: 4, ...options });
    expect(got.negatives).toEqual([[1]]);
    expect(Object.values(got.stats.removed).every((n) => n === 0)).toBe(true);
  });

  it('random sampling: a partial Fisher–Yates draw per query from one seeded stream', () => {
    // Reference: the draw as the selector documents it, written out. Query A's window holds
    // exactly numNegatives, so it needs no draw and takes none from the stream; query B's
    // draw is then the stream's first two numbers.
    const a: QueryCandidates = {
      indices: [1, 2],
      scores: [0.5, 0.4],
      positives: [0],
      positiveScores: [0.9],
    };
    const rows = [3, 4, 5, 6, 7, 8];
    const b: QueryCandidates = {
      indices: rows,
      scores: [0.6, 0.5, 0.4, 0.3, 0.2, 0.1],
      positives: [0],
      positiveScores: [0.9],
    };
    for (let seed = 0; seed < 10; seed++) {
      const random = mulberry32(seed);
      const expected: number[][] = [];
      for (const batch of [0, 1]) {
        const pool = rows.map((_, i) => i);
        for (let i = 0; i < 2; i++) {
          const j = i + Math.floor(random() * (pool.length - i));
          [pool[i], pool[j]] = [pool[j]!, pool[i]!];
        }
        expected[batch] = pool
          .slice(0, 2)
          .sort((x, y) => x - y)
          .map((i) => rows[i]!);
      }
      const options = { numNegatives: 2, rangeMax: 10, sampling: 'random' as const, seed };
      expect(selectHardNegatives([a, b, b], options).negatives).toEqual([
        [1, 2],
        expected[0],
        expected[1],
      ]);
    }
  });

  it('rejects NaN scores, unsorted candidates and mismatched lengths', () => {
    const bad = (q: Partial<QueryCandidates>): QueryCandidates => ({ ...query, ...q });
    for (const q of [
      bad({ scores: [NaN, ...scores.slice(1)] }),
      bad({ scores: [0.1, 0.9], indices: [5, 6] }),
      bad({ scores: [0.9] }),
      bad({ positiveScores: [0.8, Infinity] }),
    ]) {
      expect(() => selectHardNegatives([query, q], { numNegatives: 1 })).toThrow(
        InvalidScoresError,
      );
    }
    expect(() => selectHardNegatives([query], { numNegatives: 1, corpusSize: 12 })).toThrow(
      /row 12/,
    );
  });
});

describe('resolveMiningSettings', () => {
  it.each<[HardNegativeOptions, number, number]>([
    // sentence-transformers: range_min + num_negatives + max_positives without margins/max_score
    [{ numNegatives: 3 }, 1, 4],
    [{ numNegatives: 3, rangeMin: 2 }, 2, 7],
    // … and range_min + 10·num_negatives + max_positives with one (minScore does not count)
    [{ numNegatives: 5, rangeMin: 10, relativeMargin: 0.05 }, 2, 62],
    [{ numNegatives: 2, absoluteMargin: 0 }, 1, 21],
    [{ numNegatives: 2, maxScore: 0.9 }, 3, 23],
    [{ numNegatives: 2, minScore: 0.1 }, 3, 5],
  ])('%j with %i positives: rangeMax %i', (options, maxPositives, rangeMax) => {
    const s = resolveMiningSettings(options, maxPositives);
    expect(s.rangeMax).toBe(rangeMax);
    expect(s.candidatesPerQuery).toBe(rangeMax + maxPositives);
  });

  it.each<[HardNegativeOptions, string]>([
    [{ rangeMin: 10, rangeMax: 10 }, 'rangeMax'],
    [{ rangeMin: 10, rangeMax: 5 }, 'rangeMax'],
    [{ rangeMin: -1 }, 'rangeMin'],
    [{ numNegatives: 0 }, 'numNegatives'],
    [{ numNegatives: -2 }, 'numNegatives'],
    [{ numNegatives: 1.5 }, 'numNegatives'],
    [{ numNegatives: 6, rangeMin: 10, rangeMax: 15 }, 'numNegatives'],
    [{ absoluteMargin: NaN }, 'absoluteMargin'],
    [{ relativeMargin: Infinity }, 'relativeMargin'],
    [{ maxScore: 0.1, minScore: 0.5 }, 'minScore'],
    [{ sampling: 'best' as never }, 'sampling'],
    [{ seed: 2 ** 32 }, 'seed'],
  ])('rejects %j naming %s', (options, option) => {
    const error = (() => {
      try {
        resolveMiningSettings(options, 1);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidMiningOptionError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_OPTION', option });
    expect((error as Error).message).toContain(option);
  });
});
