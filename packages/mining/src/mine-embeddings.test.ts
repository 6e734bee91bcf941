import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mineHardNegativesFromEmbeddings } from './mine-embeddings.js';
import type { HardNegativeOptions } from './settings.js';
import { InvalidMiningOptionError, InvalidPairsError } from './errors.js';
import type { InnerProductKernel } from '@rtk/retrieval';

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

// A 2-d corpus whose rows are not unit length, so cosine and dot differ: c0 (3, 4) ‖5‖,
// c1 (1, 0), c2 (0, 2), c3 the zero row, c4 (2, 2) ‖2√2‖, c5 (−1, 2) ‖√5‖; queries q0 (2, 0),
// q1 (0, 3), q2 (1, 1) ‖√2‖. Built per test (Stryker maps coverage per test).
const smallInput = (): {
  queries: Float32Array;
  corpus: Float32Array;
  dim: number;
  positives: number[][];
} => ({
  queries: Float32Array.of(2, 0, 0, 3, 1, 1),
  corpus: Float32Array.of(3, 4, 1, 0, 0, 2, 0, 0, 2, 2, -1, 2),
  dim: 2,
  positives: [[0, 1], [2, 4], [3]],
});

/** A plain double loop behind the kernel interface, recording the query rows of each call. */
class CountingKernel implements InnerProductKernel {
  readonly name = 'counting';
  readonly queryRows: number[] = [];

  innerProducts(a: Float32Array, b: Float32Array, dim: number, out: Float32Array): void {
    const aRows = a.length / dim;
    const bRows = b.length / dim;
    this.queryRows.push(aRows);
    for (let i = 0; i < aRows; i++)
      for (let j = 0; j < bRows; j++) {
        let s = 0;
        for (let t = 0; t < dim; t++) s += a[i * dim + t]! * b[j * dim + t]!;
        out[i * bRows + j] = s;
      }
  }
}

const closeRows = (got: number[][], want: number[][]): void => {
  expect(got.map((r) => r.length)).toEqual(want.map((r) => r.length));
  got.forEach((r, q) => r.forEach((x, i) => expect(x).toBeCloseTo(want[q]![i]!, 5)));
};

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

  describe('on raw rows', () => {
    it('scores candidates and positives by cosine by default', async () => {
      const got = await mineHardNegativesFromEmbeddings(smallInput());
      // numNegatives 3, maxPositives 2: rangeMax 5, candidates min(7, 6) = the whole corpus.
      // Cosines by hand (row ← score), positives removed, top 3 (equal scores: lower row first):
      // q0 (1, 0): c1 1, c4 1/√2, c0 3/5, c2 0, c3 0, c5 −1/√5 → [4, 2, 3]
      // q1 (0, 1): c2 1, c5 2/√5, c0 4/5, c4 1/√2, c1 0, c3 0 → [5, 0, 1]
      // q2 (1, 1)/√2: c4 1, c0 7/(5√2), c1 1/√2, c2 1/√2, c5 1/√10, c3 0 → [4, 0, 1]
      expect(got.negatives).toEqual([
        [4, 2, 3],
        [5, 0, 1],
        [4, 0, 1],
      ]);
      closeRows(got.scores, [
        [Math.SQRT1_2, 0, 0],
        [2 / Math.sqrt(5), 0.8, 0],
        [1, 7 / (5 * Math.SQRT2), Math.SQRT1_2],
      ]);
      // Lowest positive cosine: q0 min(6/(2·5), 2/(2·1)) = 0.6; q1 min(6/(3·2), 6/(3·2√2)) = 1/√2;
      // q2 the zero row c3 scores 0.
      closeRows([got.referenceScores], [[0.6, Math.SQRT1_2, 0]]);
      expect(got.stats).toMatchObject({
        queries: 3,
        pairs: 5,
        corpusSize: 6,
        candidatesPerQuery: 6,
        rowsWritten: 0,
        rowsDropped: 0,
      });
      // positive scores 0.6, 1, 1, 1/√2, 0
      const pos = got.stats.positiveScores!;
      expect(pos.count).toBe(5);
      expect(pos.min).toBeCloseTo(0, 6);
      expect(pos.max).toBeCloseTo(1, 6);
      expect(pos.median).toBeCloseTo(Math.SQRT1_2, 6);
      expect(pos.mean).toBeCloseTo((0.6 + 1 + 1 + Math.SQRT1_2 + 0) / 5, 6);
    });

    it('scores candidates and positives by raw inner products with metric dot', async () => {
      const got = await mineHardNegativesFromEmbeddings(smallInput(), { metric: 'dot' });
      // Dot products by hand, positives removed, top 3 (equal scores: lower row first):
      // q0 (2, 0): c0 6, c4 4, c1 2, c2 0, c3 0, c5 −2 → [4, 2, 3]
      // q1 (0, 3): c0 12, c2 6, c4 6, c5 6, c1 0, c3 0 → [0, 5, 1]
      // q2 (1, 1): c0 7, c4 4, c2 2, c1 1, c5 1, c3 0 → [0, 4, 2]
      expect(got.negatives).toEqual([
        [4, 2, 3],
        [0, 5, 1],
        [0, 4, 2],
      ]);
      closeRows(got.scores, [
        [4, 0, 0],
        [12, 6, 0],
        [7, 4, 2],
      ]);
      // Lowest positive dot: q0 min(6, 2), q1 min(6, 6), q2 0.
      closeRows([got.referenceScores], [[2, 6, 0]]);
      expect(got.stats).toMatchObject({ queries: 3, pairs: 5, rowsWritten: 0, rowsDropped: 0 });
    });

    it.each<[number, number[], number[]]>([
      // [queryBlockSize, query rows per search (one kernel call each: the corpus is one block), progress]
      [1, [1, 1, 1], [1, 2, 3]],
      [2, [2, 1], [2, 3]],
      [3, [3], [3]],
      [1024, [3], [3]],
    ])(
      'searches in query blocks of %s through the injected kernel, reporting each block',
      async (queryBlockSize, calls, done) => {
        const kernel = new CountingKernel();
        const progress: [number, number | undefined][] = [];
        const got = await mineHardNegativesFromEmbeddings(smallInput(), {
          kernel,
          queryBlockSize,
          onProgress: (d, total) => progress.push([d, total]),
        });
        expect(kernel.queryRows).toEqual(calls);
        expect(progress).toEqual(done.map((d) => [d, 3]));
        // the cosine negatives of the test above
        expect(got.negatives).toEqual([
          [4, 2, 3],
          [5, 0, 1],
          [4, 0, 1],
        ]);
        closeRows([got.referenceScores], [[0.6, Math.SQRT1_2, 0]]);
      },
    );

    it('rejects malformed embeddings input with messages naming the problem', async () => {
      const tail = ' Every pair needs a non-empty query and a non-empty positive passage.';
      const where = 'mineHardNegativesFromEmbeddings: ';
      const cases: [
        Parameters<typeof mineHardNegativesFromEmbeddings>[0],
        number | undefined,
        string,
      ][] = [
        [
          { ...smallInput(), queries: Float32Array.of(2, 0, 0, 3, 1) },
          undefined,
          'queries hold 5 values, not a multiple of dim 2.',
        ],
        [
          {
            ...smallInput(),
            positives: [
              [0, 1],
              [2, 4],
            ],
          },
          undefined,
          '2 positive lists for 3 queries.',
        ],
        [
          { ...smallInput(), positives: [[0, 1], [], [3]] },
          1,
          'pair 1 (0-based): the query has no positives.',
        ],
      ];
      for (const [input, index, problem] of cases) {
        const error: unknown = await mineHardNegativesFromEmbeddings(input).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InvalidPairsError);
        expect(error).toMatchObject({
          code: 'ERR_MINING_INVALID_PAIRS',
          index,
          message: where + problem + tail,
        });
      }
    });

    it.each([6, -1, 1.5])('rejects the positive row %s outside the corpus', async (row) => {
      const input = { ...smallInput(), positives: [[0, 1], [2, 4], [row]] };
      const error: unknown = await mineHardNegativesFromEmbeddings(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidPairsError);
      expect(error).toMatchObject({
        code: 'ERR_MINING_INVALID_PAIRS',
        index: 2,
        message:
          `mineHardNegativesFromEmbeddings: pair 2 (0-based): positive row ${row} is outside the corpus (6 rows).` +
          ' Every pair needs a non-empty query and a non-empty positive passage.',
      });
    });

    it.each([0, 1.5])('rejects the query block size %s', async (queryBlockSize) => {
      const error: unknown = await mineHardNegativesFromEmbeddings(smallInput(), {
        queryBlockSize,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidMiningOptionError);
      expect(error).toMatchObject({
        code: 'ERR_MINING_INVALID_OPTION',
        option: 'queryBlockSize',
        value: queryBlockSize,
        message: `mineHardNegativesFromEmbeddings: option queryBlockSize must be an integer ≥ 1, received ${queryBlockSize}.`,
      });
    });
  });
});
