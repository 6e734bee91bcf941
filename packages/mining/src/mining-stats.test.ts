import { describe, expect, it } from 'vitest';
import { formatMiningStats, summarizeScores } from './mining-stats.js';
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
});
