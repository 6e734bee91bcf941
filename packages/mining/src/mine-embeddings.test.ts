import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mineHardNegativesFromEmbeddings } from './mine-embeddings.js';
import type { HardNegativeOptions } from './settings.js';
import { InvalidMiningOptionError, InvalidPairsError } from './errors.js';

const dir = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
const f32 = (name: string): Float32Array => {
  const buf = readFileSync(dir + name);
  return new Float32Array(new Uint8Array(buf).buffer);
};
const meta = JSON.parse(readFileSync(`${dir}positives.json`, 'utf8')) as {
  dim: number;
  positives: number[][];
};
const input = {
  queries: f32('queries.f32'),
  corpus: f32('corpus.f32'),
  dim: meta.dim,
  positives: meta.positives,
};

interface Golden {
  range_max: number;
  candidates_per_query: number;
  removed: Record<
    'positives' | 'absolute_margin' | 'relative_margin' | 'max_score' | 'min_score',
    number
  >;
  queries_short_of_negatives: number;
  queries: { negatives: number[]; scores: number[]; eligible: number[]; positive_score: number }[];
}
const golden = (name: string): Golden =>
  JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as Golden;

// The settings make-golden.sh gave the oracle, per golden file.
const CASES: [string, HardNegativeOptions][] = [
  ['defaults', { numNegatives: 3 }],
  [
    'guards',
    {
      numNegatives: 5,
      rangeMin: 2,
      rangeMax: 30,
      absoluteMargin: 0.01,
      relativeMargin: 0.02,
      maxScore: 0.7,
    },
  ],
  ['relative', { numNegatives: 4, relativeMargin: 0.05 }],
  ['min-score', { numNegatives: 6, rangeMin: 1, rangeMax: 12, minScore: 0.55 }],
];

describe('mineHardNegativesFromEmbeddings', () => {
  it.each(CASES)('picks the oracle’s negatives and counts (%s)', async (name, options) => {
    const want = golden(name);
    const got = await mineHardNegativesFromEmbeddings(input, { ...options, metric: 'dot' });
    expect(got.settings.rangeMax).toBe(want.range_max);
    expect(got.stats.candidatesPerQuery).toBe(want.candidates_per_query);
    expect(got.negatives).toEqual(want.queries.map((q) => q.negatives));
    got.scores.forEach((s, q) =>
      s.forEach((x, i) => expect(x).toBeCloseTo(want.queries[q]!.scores[i]!, 5)),
    );
    got.referenceScores.forEach((s, q) =>
      expect(s).toBeCloseTo(want.queries[q]!.positive_score, 6),
    );
    expect(got.stats.removed).toEqual({
      positives: want.removed.positives,
      absoluteMargin: want.removed.absolute_margin,
      relativeMargin: want.removed.relative_margin,
      maxScore: want.removed.max_score,
      minScore: want.removed.min_score,
    });
    expect(got.stats.queriesShort).toBe(want.queries_short_of_negatives);
  });

  it('samples random negatives only from the oracle’s eligible set, as many as it allows, seeded', async () => {
    const want = golden('guards');
    const options = {
      ...CASES[1]![1],
      metric: 'dot' as const,
      sampling: 'random' as const,
      seed: 7,
    };
    const got = await mineHardNegativesFromEmbeddings(input, options);
    got.negatives.forEach((negs, q) => {
      const eligible = want.queries[q]!.eligible;
      expect(negs.length).toBe(Math.min(5, eligible.length));
      for (const n of negs) expect(eligible).toContain(n);
      // kept in rank order
      expect([...negs].sort((a, b) => eligible.indexOf(a) - eligible.indexOf(b))).toEqual(negs);
    });
    // random is not top: some query differs from the top-5
    expect(got.negatives).not.toEqual(want.queries.map((q) => q.negatives));
    const again = await mineHardNegativesFromEmbeddings(input, options);
    expect(again.negatives).toEqual(got.negatives);
    const other = await mineHardNegativesFromEmbeddings(input, { ...options, seed: 8 });
    expect(other.negatives).not.toEqual(got.negatives);
  });

  it('never returns a positive, and the cosine metric equals dot on unit rows', async () => {
    const got = await mineHardNegativesFromEmbeddings(input, { numNegatives: 5, rangeMax: 40 });
    got.negatives.forEach((negs, q) =>
      negs.forEach((n) => expect(meta.positives[q]).not.toContain(n)),
    );
    const dot = await mineHardNegativesFromEmbeddings(input, {
      numNegatives: 5,
      rangeMax: 40,
      metric: 'dot',
    });
    expect(got.negatives).toEqual(dot.negatives);
  });

  it('rejects bad positives and options before searching', async () => {
    await expect(
      mineHardNegativesFromEmbeddings({ ...input, positives: meta.positives.slice(1) }),
    ).rejects.toBeInstanceOf(InvalidPairsError);
    const bad = meta.positives.map((p, q) => (q === 3 ? [600] : p));
    await expect(
      mineHardNegativesFromEmbeddings({ ...input, positives: bad }),
    ).rejects.toMatchObject({
      code: 'ERR_MINING_INVALID_PAIRS',
      index: 3,
    });
    await expect(
      mineHardNegativesFromEmbeddings(input, { rangeMin: 5, rangeMax: 5 }),
    ).rejects.toMatchObject({ code: 'ERR_MINING_INVALID_OPTION', option: 'rangeMax' });
    await expect(
      mineHardNegativesFromEmbeddings(input, { queryBlockSize: 0 }),
    ).rejects.toBeInstanceOf(InvalidMiningOptionError);
  });
});
