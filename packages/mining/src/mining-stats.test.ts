import { describe, expect, it } from 'vitest';
import { formatMiningStats, summarizeScores } from './mining-stats.js';
import type { MiningStats } from './mining-stats.js';
import { selectHardNegatives } from './select-hard-negatives.js';

describe('summarizeScores', () => {
  it.each([
    // hand-computed: sorted .2 .4 .5 .9, mean 2.0 / 4, median (.4 + .5) / 2
    [[0.2, 0.9, 0.4, 0.5], { count: 4, min: 0.2, mean: 0.5, median: 0.45, max: 0.9 }],
    [[3, 1, 2], { count: 3, min: 1, mean: 2, median: 2, max: 3 }],
  ])('%j', (scores, want) => {
    const got = summarizeScores(scores);
    for (const [k, v] of Object.entries(want))
      expect(got[k as keyof typeof got]).toBeCloseTo(v, 12);
  });
  it('is NaN for no scores', () => expect(summarizeScores([]).mean).toBeNaN());
  it('gives count 0 and NaN for every statistic of no scores', () => {
    expect(summarizeScores([])).toStrictEqual({
      count: 0,
      min: NaN,
      mean: NaN,
      median: NaN,
      max: NaN,
    });
  });
});

describe('formatMiningStats', () => {
  it('prints each guard’s removals with their share, and both score distributions', () => {
    const { stats } = selectHardNegatives(
      [
        {
          indices: [5, 1, 6, 7],
          scores: [0.95, 0.8, 0.6, 0.5],
          positives: [1],
          positiveScores: [0.8],
        },
      ],
      { numNegatives: 1, maxScore: 0.9 },
    );
    const table = formatMiningStats(stats);
    expect(table).toContain('| removed: positives');
    expect(table).toMatch(/removed: maxScore\s+\|\s+1 \(25\.00%\) \|/);
    expect(table).toMatch(
      /positive scores min \/ mean \/ median \/ max \| 0\.8000 \/ 0\.8000 \/ 0\.8000 \/ 0\.8000 \|/,
    );
    expect(table).toMatch(/negative scores .* 0\.6000 \/ 0\.6000/);
    expect(table.split('\n')[1]).toMatch(/^\| -+ \| -+: \|$/);
  });

  it('prints every row of a hard run, aligned, with shares of the candidates seen and of the queries', () => {
    const stats: MiningStats = {
      kind: 'hard',
      queries: 2,
      pairs: 3,
      corpusSize: 10,
      numNegatives: 2,
      rangeMin: 1,
      rangeMax: 4,
      candidatesPerQuery: 6,
      candidatesSeen: 12,
      removed: { positives: 3, absoluteMargin: 2, relativeMargin: 1, maxScore: 0, minScore: 2 },
      queriesShort: 1,
      negativesChosen: 3,
      rowsWritten: 4,
      rowsDropped: 1,
      deeperSearches: 1,
      positiveScores: { count: 3, min: 0.7, mean: 0.8, median: 0.8, max: 0.9 },
      negativeScores: { count: 3, min: 0.25, mean: 0.5, median: 0.5, max: 0.75 },
    };
    // Shares by hand: 3/12 = 25.00%, 2/12 = 16.67%, 1/12 = 8.33%, 0/12 = 0.00%; 1 of 2 queries
    // short = 50.00%. Column widths: the longest label (41 characters, the score rows) and the
    // longest value (33, "0.7000 / 0.8000 / 0.8000 / 0.9000"); the rule row ends in ':' (right-aligned).
    expect(formatMiningStats(stats)).toBe(
      [
        '| what                                      |                             value |',
        '| ----------------------------------------- | --------------------------------: |',
        '| queries                                   |                                 2 |',
        '| (query, positive) pairs                   |                                 3 |',
        '| corpus texts                              |                                10 |',
        '| window (rangeMin–rangeMax)                |                               1–4 |',
        '| candidates per query                      |                                 6 |',
        '| candidates seen                           |                                12 |',
        '| removed: positives                        |                        3 (25.00%) |',
        '| removed: absoluteMargin                   |                        2 (16.67%) |',
        '| removed: relativeMargin                   |                         1 (8.33%) |',
        '| removed: maxScore                         |                         0 (0.00%) |',
        '| removed: minScore                         |                        2 (16.67%) |',
        '| queries searched deeper                   |                                 1 |',
        '| negatives per query                       |                                 2 |',
        '| queries short of negatives                |                        1 (50.00%) |',
        '| negatives chosen                          |                                 3 |',
        '| rows written                              |                                 4 |',
        '| rows dropped (short queries)              |                                 1 |',
        '| positive scores min / mean / median / max | 0.7000 / 0.8000 / 0.8000 / 0.9000 |',
        '| negative scores min / mean / median / max | 0.2500 / 0.5000 / 0.5000 / 0.7500 |',
      ].join('\n'),
    );
  });

  it('prints a random run with its positives removed and no window, guard or score rows', () => {
    const stats: MiningStats = {
      kind: 'random',
      queries: 3,
      pairs: 4,
      corpusSize: 20,
      numNegatives: 2,
      rangeMin: undefined,
      rangeMax: undefined,
      candidatesPerQuery: undefined,
      candidatesSeen: 9,
      removed: { positives: 1, absoluteMargin: 0, relativeMargin: 0, maxScore: 0, minScore: 0 },
      queriesShort: 0,
      negativesChosen: 6,
      rowsWritten: 8,
      rowsDropped: 0,
      deeperSearches: 0,
      positiveScores: undefined,
      negativeScores: undefined,
    };
    // Widths: "rows dropped (short queries)" (28) and "0 (0.00%)" (9).
    expect(formatMiningStats(stats)).toBe(
      [
        '| what                         |     value |',
        '| ---------------------------- | --------: |',
        '| queries                      |         3 |',
        '| (query, positive) pairs      |         4 |',
        '| corpus texts                 |        20 |',
        '| removed: positives           |         1 |',
        '| negatives per query          |         2 |',
        '| queries short of negatives   | 0 (0.00%) |',
        '| negatives chosen             |         6 |',
        '| rows written                 |         8 |',
        '| rows dropped (short queries) |         0 |',
      ].join('\n'),
    );
  });

  it('prints no share of nothing, no deeper-search row when none, and dashes for empty scores', () => {
    const stats: MiningStats = {
      kind: 'hard',
      queries: 0,
      pairs: 0,
      corpusSize: 5,
      numNegatives: 3,
      rangeMin: 0,
      rangeMax: 10,
      candidatesPerQuery: 5,
      candidatesSeen: 0,
      removed: { positives: 0, absoluteMargin: 0, relativeMargin: 0, maxScore: 0, minScore: 0 },
      queriesShort: 0,
      negativesChosen: 0,
      rowsWritten: 0,
      rowsDropped: 0,
      deeperSearches: 0,
      positiveScores: { count: 0, min: NaN, mean: NaN, median: NaN, max: NaN },
      negativeScores: { count: 0, min: NaN, mean: NaN, median: NaN, max: NaN },
    };
    // 0 candidates seen and 0 queries: no "(x%)" after the counts; widths 41 and 13 ("– / – / – / –").
    expect(formatMiningStats(stats)).toBe(
      [
        '| what                                      |         value |',
        '| ----------------------------------------- | ------------: |',
        '| queries                                   |             0 |',
        '| (query, positive) pairs                   |             0 |',
        '| corpus texts                              |             5 |',
        '| window (rangeMin–rangeMax)                |          0–10 |',
        '| candidates per query                      |             5 |',
        '| candidates seen                           |             0 |',
        '| removed: positives                        |             0 |',
        '| removed: absoluteMargin                   |             0 |',
        '| removed: relativeMargin                   |             0 |',
        '| removed: maxScore                         |             0 |',
        '| removed: minScore                         |             0 |',
        '| negatives per query                       |             3 |',
        '| queries short of negatives                |             0 |',
        '| negatives chosen                          |             0 |',
        '| rows written                              |             0 |',
        '| rows dropped (short queries)              |             0 |',
        '| positive scores min / mean / median / max | – / – / – / – |',
        '| negative scores min / mean / median / max | – / – / – / – |',
      ].join('\n'),
    );
  });
});
