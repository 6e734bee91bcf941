import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { DenseRetriever } from '@rtk/retrieval';
import { mineHardNegatives } from './mine-hard-negatives.js';
import { FunctionRetriever, LetterEmbedder } from './_test-retrievers.js';
import { formatMiningStats } from './mining-stats.js';

// Score = the number in the passage when the query is 'q' (so rankings are chosen by hand).
const byNumber = (_q: string, text: string): number => Number(/\d+/.exec(text)?.[0] ?? 0) / 100;

describe('mineHardNegatives', () => {
  it('groups duplicate queries, merges duplicate texts, and excludes every positive', async () => {
    const retriever = new FunctionRetriever(byNumber);
    const mined = await mineHardNegatives(
      [
        { query: 'q', passage: 'pos 70' },
        { query: 'q', passage: 'pos 80' },
        { query: 'q', passage: 'pos 70' }, // exact duplicate pair: counted once
      ],
      {
        retriever,
        corpus: ['bait 95', 'pos 80', 'n 72', 'n 69', 'n 66', 'n 60', 'n 50'],
        numNegatives: 2,
        absoluteMargin: 0.02,
      },
    );
    expect(mined.data.corpus).toEqual([
      'bait 95',
      'pos 80',
      'n 72',
      'n 69',
      'n 66',
      'n 60',
      'n 50',
      'pos 70',
    ]);
    expect(mined.data.positives).toEqual([[7, 1]]);
    expect(mined.stats.pairs).toBe(2);
    // reference .70 (the lowest positive): .95, .72, .69 fail the margin; .66 and .60 remain
    expect(mined.rows).toEqual([
      { query: 'q', positive: 'pos 70', negative: 'n 66' },
      { query: 'q', positive: 'pos 70', negative: 'n 60' },
      { query: 'q', positive: 'pos 80', negative: 'n 66' },
      { query: 'q', positive: 'pos 80', negative: 'n 60' },
    ]);
    expect(mined.stats.removed).toMatchObject({ positives: 2, absoluteMargin: 3 });
    expect(mined.stats.positiveScores).toMatchObject({ min: 0.7, max: 0.8, median: 0.75 });
    expect(retriever.ks).toEqual([8]); // rangeMax 0 + 20 + 2 = 22 capped at the 8 texts
  });

  it('keepPairs keeps the pairs of queries without a negative as plain rows, in query order', async () => {
    const pairs = [
      { query: 'a', passage: 'p 90' },
      { query: 'b', passage: 'p 10' },
    ];
    // Both queries see .90 .50 .10; maxScore .45 leaves only .10: b's own positive (excluded for
    // b), a negative for a. So b gets no negative.
    const options = {
      retriever: new FunctionRetriever(byNumber),
      corpus: ['n 50'],
      numNegatives: 1,
      maxScore: 0.45,
    };
    const dropped = await mineHardNegatives(pairs, options);
    expect(dropped.rows).toEqual([{ query: 'a', positive: 'p 90', negative: 'p 10' }]);
    const kept = await mineHardNegatives(pairs, { ...options, keepPairs: true });
    expect(kept.rows).toEqual([
      { query: 'a', positive: 'p 90', negative: 'p 10' },
      { query: 'b', positive: 'p 10' },
    ]);
    const tuples = await mineHardNegatives(pairs, {
      ...options,
      numNegatives: 2,
      format: 'ntuple',
      keepPairs: true,
    });
    // a is short (one negative of two): its row keeps the one it has; nothing is dropped.
    expect(tuples.rows).toEqual([
      { query: 'a', positive: 'p 90', negative_1: 'p 10' },
      { query: 'b', positive: 'p 10' },
    ]);
    expect(tuples.stats.rowsDropped).toBe(0);
    await expect(
      mineHardNegatives(pairs, { ...options, keepPairs: 'yes' as unknown as boolean }),
    ).rejects.toMatchObject({ code: 'ERR_MINING_INVALID_OPTION', option: 'keepPairs' });
  });

  it('n-tuples drop the rows of queries short of negatives and count them', async () => {
    const mined = await mineHardNegatives(
      [
        { query: 'a', passage: 'p 90' },
        { query: 'b', passage: 'p 10' },
        { query: 'b', passage: 'p 11' },
      ],
      {
        retriever: new FunctionRetriever(byNumber),
        corpus: ['n 50', 'n 40', 'n 5'],
        numNegatives: 2,
        maxScore: 0.45,
        format: 'ntuple',
      },
    );
    // both queries see the same scores: .90 .50 .40 .11 .10 .05; maxScore .45 leaves .40 and .05 (+ the other query's positives)
    expect(mined.rows).toEqual([
      { query: 'a', positive: 'p 90', negative_1: 'n 40', negative_2: 'p 11' },
      { query: 'b', positive: 'p 10', negative_1: 'n 40', negative_2: 'n 5' },
      { query: 'b', positive: 'p 11', negative_1: 'n 40', negative_2: 'n 5' },
    ]);
    expect(mined.stats.rowsWritten).toBe(3);
    expect(mined.stats.rowsDropped).toBe(0);
    const short = await mineHardNegatives(
      [
        { query: 'a', passage: 'p 90' },
        { query: 'b', passage: 'p 10' },
        { query: 'b', passage: 'p 11' },
      ],
      {
        retriever: new FunctionRetriever(byNumber),
        corpus: ['n 50', 'n 40', 'n 5'],
        numNegatives: 3,
        rangeMax: 5,
        maxScore: 0.45,
        minScore: 0.06,
        format: 'ntuple',
      },
    );
    // minScore .06 removes n 5: 'a' keeps n 40, p 11, p 10; 'b' only n 40, so its two rows go
    expect(short.stats.queriesShort).toBe(1);
    expect(short.stats.rowsDropped).toBe(2);
    expect(short.rows).toEqual([
      { query: 'a', positive: 'p 90', negative_1: 'n 40', negative_2: 'p 11', negative_3: 'p 10' },
    ]);
  });

  it('searches deeper when a positive is outside the candidates, so the margin uses its score', async () => {
    const retriever = new FunctionRetriever(byNumber);
    const corpus = Array.from({ length: 40 }, (_, i) => `n ${i + 50}`); // all above the positive
    const mined = await mineHardNegatives([{ query: 'q', passage: 'p 20' }], {
      retriever,
      corpus,
      numNegatives: 2,
      rangeMax: 4,
      relativeMargin: 0,
    });
    expect(retriever.ks).toEqual([5, 10, 20, 40, 41]);
    expect(mined.stats.deeperSearches).toBe(1);
    expect(mined.stats.removed.relativeMargin).toBe(5); // every candidate scores above .20
    expect(mined.negatives).toEqual([[]]);
    expect(mined.stats.candidatesSeen).toBe(5);
  });

  it('works over DenseRetriever and is deterministic under a seed', async () => {
    const pairs = [
      { query: 'apple pie', passage: 'an apple pie recipe' },
      { query: 'zebra zoo', passage: 'zebras at the zoo' },
      { query: 'apple pie', passage: 'pie with apples' },
    ];
    const corpus = [
      'apple tart',
      'a zoo of zebras',
      'car engine',
      'pie crust',
      'bright stars',
      'zany zigzag',
    ];
    const run = (seed: number) =>
      mineHardNegatives(pairs, {
        retriever: new DenseRetriever({ embedder: new LetterEmbedder() }),
        corpus,
        numNegatives: 2,
        rangeMax: 6,
        sampling: 'random',
        seed,
      });
    const a = await run(1);
    expect((await run(1)).rows).toEqual(a.rows);
    expect(a.rows).toHaveLength(6);
    const table = formatMiningStats(a.stats);
    expect(table).toContain('| removed: positives');
    expect(table).toMatch(/negative scores min \/ mean \/ median \/ max \|\s+0\.\d{4} \/ /);
  });

  test.prop(
    [
      fc.array(fc.tuple(fc.stringMatching(/^[ab]{1,2}$/), fc.stringMatching(/^[abc]{1,3}$/)), {
        minLength: 1,
        maxLength: 12,
      }),
      fc.array(fc.stringMatching(/^[abc]{1,3}$/), { maxLength: 12 }),
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom<'top' | 'random'>('top', 'random'),
    ],
    { numRuns: 40 },
  )(
    'never returns a positive of the query nor a text equal to one (property)',
    async (raw, corpus, numNegatives, sampling) => {
      const pairs = raw.map(([query, passage]) => ({ query, passage }));
      const mined = await mineHardNegatives(pairs, {
        retriever: new FunctionRetriever((q, t) => (t.startsWith(q[0]!) ? 1 : 0) + t.length / 10),
        corpus,
        numNegatives,
        sampling,
      });
      const positivesOf = new Map<string, Set<string>>();
      for (const p of pairs)
        positivesOf.set(p.query, (positivesOf.get(p.query) ?? new Set()).add(p.passage));
      for (const row of mined.rows) {
        expect(positivesOf.get(row.query)!.has((row as { negative: string }).negative)).toBe(false);
      }
      mined.negatives.forEach((negs) => expect(new Set(negs).size).toBe(negs.length));
    },
  );

  it('rejects a retriever without index() and bad options before indexing', async () => {
    const pairs = [{ query: 'q', passage: 'p' }];
    const search = () => Promise.resolve([]);
    await expect(
      mineHardNegatives(pairs, { retriever: { name: 'x', search } as never }),
    ).rejects.toMatchObject({
      code: 'ERR_MINING_INVALID_RETRIEVER',
      message: expect.stringContaining('index()'),
    });
    const retriever = new FunctionRetriever(byNumber);
    let indexed = false;
    retriever.index = () => ((indexed = true), Promise.resolve());
    for (const options of [
      { rangeMin: 3, rangeMax: 2 },
      { numNegatives: 0 },
      { format: 'csv' as never },
      { searchBatchSize: 0 },
    ]) {
      await expect(mineHardNegatives(pairs, { retriever, ...options })).rejects.toMatchObject({
        code: 'ERR_MINING_INVALID_OPTION',
      });
    }
    await expect(
      mineHardNegatives([{ query: 'q', passage: '' }], { retriever }),
    ).rejects.toMatchObject({
      code: 'ERR_MINING_INVALID_PAIRS',
      index: 0,
    });
    expect(indexed).toBe(false);
  });

  it('rejects unknown ids and NaN scores from the retriever', async () => {
    const pairs = [{ query: 'q', passage: 'p 1' }];
    const nan = new FunctionRetriever(() => NaN);
    await expect(mineHardNegatives(pairs, { retriever: nan, corpus: ['x'] })).rejects.toMatchObject(
      { code: 'ERR_MINING_INVALID_SCORES' },
    );
    const stranger = new FunctionRetriever(byNumber);
    stranger.search = () => Promise.resolve([[{ id: 'd9', score: 1 }]]);
    await expect(mineHardNegatives(pairs, { retriever: stranger })).rejects.toMatchObject({
      code: 'ERR_MINING_INVALID_RETRIEVER',
      message: expect.stringContaining('"d9"'),
    });
  });
});
