import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@rtk/datasets';
import { selectHardNegatives, type QueryCandidates } from './select-hard-negatives.js';
import { resolveMiningSettings, type HardNegativeOptions } from './settings.js';
import { InvalidMiningOptionError, InvalidPairsError, InvalidScoresError } from './errors.js';

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

  it('removes every positive found among the candidates, five or more included', () => {
    // Five positives 1 … 5, all among the candidates: removed, leaving 6, 7, 8, 9 in rank order.
    const many: QueryCandidates = {
      indices: [1, 6, 2, 7, 3, 4, 8, 5, 9],
      scores: [0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5],
      positives: [1, 2, 3, 4, 5],
      positiveScores: [0.9, 0.8, 0.7, 0.65, 0.55],
    };
    const got = selectHardNegatives([many], { numNegatives: 3, rangeMax: 9 });
    expect(got.negatives).toEqual([[6, 7, 8]]);
    expect(got.scores).toEqual([[0.85, 0.75, 0.6]]);
    expect(got.stats.removed).toEqual({ ...none, positives: 5 });
  });

  it('keeps the first of equal lowest positive scores as the reference', () => {
    // 0 and −0 are equal (neither is below the other), so the first one seen stays.
    const withPositives = (positiveScores: number[]): QueryCandidates => ({
      indices: [2, 3],
      scores: [-0.25, -0.5],
      positives: [0, 1],
      positiveScores,
    });
    const plusFirst = selectHardNegatives([withPositives([0, -0])], { numNegatives: 1 });
    expect(Object.is(plusFirst.referenceScores[0], 0)).toBe(true);
    const minusFirst = selectHardNegatives([withPositives([-0, 0])], { numNegatives: 1 });
    expect(Object.is(minusFirst.referenceScores[0], -0)).toBe(true);
  });

  it('accepts candidates with equal scores, keeping their order', () => {
    const tied: QueryCandidates = {
      indices: [3, 1, 2],
      scores: [0.5, 0.5, 0.5],
      positives: [0],
      positiveScores: [0.75],
    };
    expect(selectHardNegatives([tied], { numNegatives: 3 }).negatives).toEqual([[3, 1, 2]]);
  });

  it('reads an array-like of scores at 0 … length − 1 only', () => {
    // Key −1 is not a candidate: the order check starts with candidate 1 against candidate 0.
    const scoresLike: ArrayLike<number> = { length: 2, 0: 0.5, 1: 0.25, [-1]: 0.125 };
    const got = selectHardNegatives(
      [{ indices: [1, 2], scores: scoresLike, positives: [0], positiveScores: [0.75] }],
      { numNegatives: 2 },
    );
    expect(got.negatives).toEqual([[1, 2]]);
    expect(got.scores).toEqual([[0.5, 0.25]]);
  });

  // The bad query is the second one (query 1); the first is well formed.
  it.each<[string, Partial<QueryCandidates>, number | undefined, string]>([
    [
      'more scores than indices',
      { indices: [1], scores: [0.5, 0.25] },
      undefined,
      '1 indices but 2 scores',
    ],
    [
      'fewer scores than indices',
      { indices: [1, 2], scores: [0.5] },
      undefined,
      '2 indices but 1 scores',
    ],
    [
      'more positive scores than positives',
      { positives: [0], positiveScores: [0.75, 0.5] },
      undefined,
      '1 positives but 2 positive scores',
    ],
    [
      'a positive score that is not finite',
      { positives: [0, 4], positiveScores: [0.75, -Infinity] },
      undefined,
      'positive score 1 is -Infinity',
    ],
    [
      'a candidate score that is not finite',
      { scores: [0.5, NaN, 0.125] },
      undefined,
      'candidate 1 scores NaN',
    ],
    [
      'candidates not best first',
      { scores: [0.5, 0.125, 0.25] },
      undefined,
      'candidate 2 scores 0.25, above candidate 1 (0.125): candidates must be best first',
    ],
    [
      'a row that is not an integer',
      { indices: [1, 1.5, 3] },
      undefined,
      'candidate 1 is row 1.5, not a corpus row',
    ],
    [
      'a negative row',
      { indices: [1, -1, 3] },
      undefined,
      'candidate 1 is row -1, not a corpus row',
    ],
    [
      'a row outside the corpus',
      { indices: [1, 2, 4] },
      4,
      'candidate 2 is row 4, not a corpus row',
    ],
  ])('rejects %s, naming the query', (_name, patch, corpusSize, problem) => {
    const good: QueryCandidates = {
      indices: [1, 2, 3],
      scores: [0.5, 0.25, 0.125],
      positives: [0],
      positiveScores: [0.75],
    };
    const error = (() => {
      try {
        selectHardNegatives([good, { ...good, ...patch }], { numNegatives: 1, corpusSize });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidScoresError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_SCORES', query: 1 });
    expect((error as Error).message).toBe(`selectHardNegatives: query 1 (0-based): ${problem}.`);
  });

  it('rejects a query without positives', () => {
    const good: QueryCandidates = {
      indices: [1, 2],
      scores: [0.5, 0.25],
      positives: [0],
      positiveScores: [0.75],
    };
    const error = (() => {
      try {
        selectHardNegatives([good, { ...good, positives: [], positiveScores: [] }]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidPairsError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_PAIRS', index: undefined });
    expect((error as Error).message).toBe(
      'selectHardNegatives: query 1 has no positives. ' +
        'Every pair needs a non-empty query and a non-empty positive passage.',
    );
  });

  it('reports the sizes, the derived window and no rows in its statistics', () => {
    // A: positives 0, 1 (scores .5, .25), 4 candidates; B: positive 2 (.75), 6 candidates.
    // maxPositives 2, so rangeMax = 0 + 1·1 + 2 = 3 and settings.candidatesPerQuery = 3 + 2 = 5;
    // the stats' candidatesPerQuery is the longest list given, 6. No guard: A takes 5, B takes 7.
    const a: QueryCandidates = {
      indices: [5, 0, 6, 1],
      scores: [0.75, 0.5, 0.375, 0.25],
      positives: [0, 1],
      positiveScores: [0.5, 0.25],
    };
    const b: QueryCandidates = {
      indices: [7, 2, 8, 9, 3, 4],
      scores: [0.875, 0.75, 0.5, 0.25, 0.125, 0.125],
      positives: [2],
      positiveScores: [0.75],
    };
    const got = selectHardNegatives([a, b], { numNegatives: 1, corpusSize: 10 });
    expect(got.negatives).toEqual([[5], [7]]);
    expect(got.settings).toEqual({
      rangeMin: 0,
      rangeMax: 3,
      absoluteMargin: undefined,
      relativeMargin: undefined,
      maxScore: undefined,
      minScore: undefined,
      numNegatives: 1,
      sampling: 'top',
      seed: 42,
      maxPositives: 2,
      candidatesPerQuery: 5,
    });
    expect(got.stats).toEqual({
      kind: 'hard',
      queries: 2,
      pairs: 3,
      corpusSize: 10,
      numNegatives: 1,
      rangeMin: 0,
      rangeMax: 3,
      candidatesPerQuery: 6,
      candidatesSeen: 10,
      removed: { ...none, positives: 3 },
      queriesShort: 0,
      negativesChosen: 2,
      rowsWritten: 0,
      rowsDropped: 0,
      deeperSearches: 0,
      // positives .25 .5 .75: mean 1.5 / 3; negatives .75 .875: mean and median 1.625 / 2
      positiveScores: { count: 3, min: 0.25, mean: 0.5, median: 0.5, max: 0.75 },
      negativeScores: { count: 2, min: 0.75, mean: 0.8125, median: 0.8125, max: 0.875 },
    });
    // without corpusSize the corpus is unknown
    expect(selectHardNegatives([a, b], { numNegatives: 1 }).stats.corpusSize).toBeNaN();
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
