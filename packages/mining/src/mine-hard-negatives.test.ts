import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { ScoredDoc } from '@rtk/metrics';
import {
  DenseRetriever,
  type IndexedText,
  type IndexOptions,
  type SearchOptions,
} from '@rtk/retrieval';
import { InvalidMiningOptionError, InvalidRetrieverError, InvalidScoresError } from './errors.js';
import { mineHardNegatives, type MiningStage } from './mine-hard-negatives.js';
import { FunctionRetriever, LetterEmbedder } from './_test-retrievers.js';
import { formatMiningStats } from './mining-stats.js';

// Score = the number in the passage when the query is 'q' (so rankings are chosen by hand).
const byNumber = (_q: string, text: string): number => Number(/\d+/.exec(text)?.[0] ?? 0) / 100;

// The fix every InvalidRetrieverError message ends with (errors.ts).
const CONTRACT =
  'Pass an object satisfying the Retriever contract of @rtk/retrieval (index(corpus), ' +
  'search(queries, { k }) returning ids of the indexed corpus, best first).';

/** The error a promise rejects with (a test fails when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A FunctionRetriever that reports indexing progress once and records every search's queries. */
class RecordingRetriever extends FunctionRetriever {
  readonly searched: string[][] = [];

  override index(corpus: readonly IndexedText[], options: IndexOptions = {}): Promise<void> {
    options.onProgress?.(corpus.length, corpus.length);
    return super.index(corpus);
  }

  override search(queries: readonly string[], options?: SearchOptions): Promise<ScoredDoc[][]> {
    this.searched.push([...queries]);
    return super.search(queries, options);
  }
}

/** A retriever whose every search answers `answer(queries)`, counting its calls. */
function answering(answer: (queries: readonly string[]) => unknown): FunctionRetriever & {
  calls: number;
} {
  const retriever = Object.assign(new FunctionRetriever(byNumber), { calls: 0 });
  retriever.search = (queries) => {
    retriever.calls++;
    return Promise.resolve(answer(queries) as ScoredDoc[][]);
  };
  return retriever;
}

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

  it.each([
    // [what is passed, the value, how the message shows it]
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a number', 5, '5'],
    ['a string', 'bm25', '"bm25"'],
  ])('rejects %s as the retriever, with the whole message', async (_what, value, shown) => {
    const error = await rejectionOf(
      mineHardNegatives([{ query: 'q', passage: 'p' }], { retriever: value as never }),
    );
    expect(error).toBeInstanceOf(InvalidMiningOptionError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_OPTION', option: 'retriever', value });
    expect((error as Error).message).toBe(
      `mineHardNegatives: option retriever must be a Retriever (index and search methods), received ${shown}.`,
    );
  });

  it('names a retriever without index() or search() in the whole message, before indexing', async () => {
    const pairs = [{ query: 'q', passage: 'p' }];
    const search = () => Promise.resolve([]);
    // No string name: the message shows String(name), or String(retriever) when there is none.
    const nameless = await rejectionOf(
      mineHardNegatives(pairs, { retriever: { search } as never }),
    );
    expect(nameless).toBeInstanceOf(InvalidRetrieverError);
    expect(nameless).toMatchObject({
      code: 'ERR_MINING_INVALID_RETRIEVER',
      retriever: '[object Object]',
      message:
        'mineHardNegatives: retriever "[object Object]" has no index() method, so it cannot index ' +
        `the mining corpus. ${CONTRACT}`,
    });
    const numbered = await rejectionOf(
      mineHardNegatives(pairs, { retriever: { name: 42, search } as never }),
    );
    expect(numbered).toMatchObject({
      retriever: '42',
      message: `mineHardNegatives: retriever "42" has no index() method, so it cannot index the mining corpus. ${CONTRACT}`,
    });
    let indexed = false;
    const index = () => ((indexed = true), Promise.resolve());
    const searchless = await rejectionOf(
      mineHardNegatives(pairs, { retriever: { name: 'x', index } as never }),
    );
    expect(searchless).toBeInstanceOf(InvalidRetrieverError);
    expect(searchless).toMatchObject({
      code: 'ERR_MINING_INVALID_RETRIEVER',
      retriever: 'x',
      message: `mineHardNegatives: retriever "x" has no search() method. ${CONTRACT}`,
    });
    expect(indexed).toBe(false);
  });

  it('rejects a bad searchBatchSize or keepPairs with the whole message', async () => {
    const pairs = [{ query: 'q', passage: 'p' }];
    const retriever = new FunctionRetriever(byNumber);
    for (const [options, option, value, shown] of [
      [{ searchBatchSize: 0 }, 'searchBatchSize', 0, 'an integer ≥ 1, received 0'],
      [{ searchBatchSize: 1.5 }, 'searchBatchSize', 1.5, 'an integer ≥ 1, received 1.5'],
      [{ keepPairs: 'yes' as never }, 'keepPairs', 'yes', 'true or false, received "yes"'],
    ] as const) {
      const error = await rejectionOf(mineHardNegatives(pairs, { retriever, ...options }));
      expect(error).toBeInstanceOf(InvalidMiningOptionError);
      expect(error).toMatchObject({
        code: 'ERR_MINING_INVALID_OPTION',
        option,
        value,
        message: `mineHardNegatives: option ${option} must be ${shown}.`,
      });
    }
    expect(retriever.ks).toEqual([]);
  });

  it('searches searchBatchSize queries at a time and reports index, then search progress', async () => {
    const pairs = [
      { query: 'a', passage: 'p 90' },
      { query: 'b', passage: 'p 80' },
      { query: 'c', passage: 'p 70' },
    ];
    // corpus rows: 0 n 50, 1 p 90, 2 p 80, 3 p 70; every query ranks 1, 2, 3, 0 and k = rangeMax 2
    // + 1 positive = 3, so each query's negative is the best of the other two positives.
    const expected = [
      { query: 'a', positive: 'p 90', negative: 'p 80' },
      { query: 'b', positive: 'p 80', negative: 'p 90' },
      { query: 'c', positive: 'p 70', negative: 'p 90' },
    ];
    const mine = async (searchBatchSize: number) => {
      const retriever = new RecordingRetriever(byNumber);
      const calls: [MiningStage, number, number | undefined][] = [];
      const mined = await mineHardNegatives(pairs, {
        retriever,
        corpus: ['n 50'],
        numNegatives: 1,
        searchBatchSize,
        onProgress: (stage, done, total) => calls.push([stage, done, total]),
      });
      return { mined, retriever, calls };
    };
    const one = await mine(1);
    expect(one.mined.rows).toEqual(expected);
    expect(one.retriever.searched).toEqual([['a'], ['b'], ['c']]);
    expect(one.retriever.ks).toEqual([3, 3, 3]);
    expect(one.calls).toEqual([
      ['index', 4, 4],
      ['search', 1, 3],
      ['search', 2, 3],
      ['search', 3, 3],
    ]);
    const two = await mine(2);
    expect(two.mined.rows).toEqual(expected);
    expect(two.retriever.searched).toEqual([['a', 'b'], ['c']]);
    expect(two.calls).toEqual([
      ['index', 4, 4],
      ['search', 2, 3],
      ['search', 3, 3], // min(2 + 2, 3)
    ]);
  });

  it('searches deeper only for the query whose positive is outside the candidates', async () => {
    const retriever = new FunctionRetriever(byNumber);
    const mined = await mineHardNegatives(
      [
        { query: 'a', passage: 'p 90' },
        { query: 'b', passage: 'p 20' },
      ],
      { retriever, corpus: Array.from({ length: 10 }, (_, i) => `n ${i + 50}`), numNegatives: 1 },
    );
    // rows 0-9 n 50 … n 59, 10 p 90, 11 p 20; k = rangeMax 2 + 1 = 3: the top 3 are 10, 9, 8.
    // a finds its positive there; b's (.20, last of 12) needs k 6, then 12, and is cut back to 3.
    expect(retriever.ks).toEqual([3, 6, 12]);
    expect(mined.stats.deeperSearches).toBe(1);
    expect(mined.stats.candidatesSeen).toBe(6);
    expect(mined.negatives).toEqual([[9], [10]]);
    expect(mined.rows).toEqual([
      { query: 'a', positive: 'p 90', negative: 'n 59' },
      { query: 'b', positive: 'p 20', negative: 'p 90' },
    ]);
  });

  it('rejects a retriever that never ranks a positive once k reaches the corpus size', async () => {
    const pairs = [{ query: 'q', passage: 'p 1' }];
    const corpus = Array.from({ length: 9 }, (_, i) => `n ${i + 10}`); // the positive is row 9
    const message = `mineHardNegatives: retriever "function" never ranked a positive of query 0, even with k = the corpus size 10. ${CONTRACT}`;
    const hiding = new FunctionRetriever(byNumber);
    const search = hiding.search.bind(hiding);
    hiding.search = async (queries, options) => {
      if (hiding.ks.length >= 10) throw new Error('searched too often'); // a loop that never ends
      const rankings = await search(queries, options);
      return rankings.map((ranking) => ranking.filter((d) => d.id !== '9'));
    };
    const error = await rejectionOf(mineHardNegatives(pairs, { retriever: hiding, corpus }));
    expect(error).toBeInstanceOf(InvalidRetrieverError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_RETRIEVER', message });
    expect(hiding.ks).toEqual([5, 10]); // k = rangeMax (3 + 1) + 1 positive = 5, then all 10
    // A deeper search answered with no ranking at all (a contract break the batch check does
    // not see there) counts as an empty ranking.
    const silent = answering((queries) =>
      silent.calls === 1 ? queries.map(() => [{ id: '0', score: 0.5 }]) : [],
    );
    const empty = await rejectionOf(mineHardNegatives(pairs, { retriever: silent, corpus }));
    expect(empty).toMatchObject({ code: 'ERR_MINING_INVALID_RETRIEVER', message });
    expect(silent.calls).toBe(2);
  });

  it('rejects a wrong number of rankings with the whole message', async () => {
    const pairs = [{ query: 'q', passage: 'p 1' }];
    for (const [answer, count] of [
      [[], '0'],
      [[[], []], '2'],
      [undefined, 'no'],
      [{ 0: [] }, 'no'],
    ] as const) {
      const error = await rejectionOf(
        mineHardNegatives(pairs, { retriever: answering(() => answer) }),
      );
      expect(error).toBeInstanceOf(InvalidRetrieverError);
      expect(error).toMatchObject({
        code: 'ERR_MINING_INVALID_RETRIEVER',
        message: `mineHardNegatives: retriever "function" answered ${count} rankings for 1 queries. ${CONTRACT}`,
      });
    }
  });

  it.each([
    // [what the id is, the id]
    ['not a number', 'd9'],
    ['a number followed by letters', '1x'],
    ['the corpus size', '2'],
    ['past the corpus', '7'],
  ])('rejects an id that is %s, with the whole message', async (_what, id) => {
    // corpus rows: 0 x, 1 p 1 (the positive): valid ids are '0' and '1'
    const retriever = answering((queries) => queries.map(() => [{ id, score: 1 }]));
    const error = await rejectionOf(
      mineHardNegatives([{ query: 'q', passage: 'p 1' }], { retriever, corpus: ['x'] }),
    );
    expect(error).toBeInstanceOf(InvalidRetrieverError);
    expect(error).toMatchObject({
      code: 'ERR_MINING_INVALID_RETRIEVER',
      retriever: 'function',
      message: `mineHardNegatives: retriever "function" returned id ${JSON.stringify(id)}, not in the corpus it was given (query 0). ${CONTRACT}`,
    });
  });

  it('rejects an infinite score with the whole message', async () => {
    const retriever = answering((queries) => queries.map(() => [{ id: '1', score: Infinity }]));
    const error = await rejectionOf(
      mineHardNegatives([{ query: 'q', passage: 'p 1' }], { retriever, corpus: ['x'] }),
    );
    expect(error).toBeInstanceOf(InvalidScoresError);
    expect(error).toMatchObject({
      code: 'ERR_MINING_INVALID_SCORES',
      query: 0,
      message: 'mineHardNegatives: query 0 (0-based): the retriever scored row 1 Infinity.',
    });
  });
});
