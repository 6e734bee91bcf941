import { describe, expect, it } from 'vitest';
import { InvalidKError } from '@rtk/retrieval';
import { caught } from './_test-errors.js';
import { Bm25Retriever } from './bm25-retriever.js';
import { InvalidOptionError, InvalidTextError, NotFittedError } from './errors.js';
import { TfidfRetriever } from './tfidf-retriever.js';
import { checkCorpus } from './_sparse-search.js';

const corpusOf = (texts: string[]): { id: string; text: string }[] =>
  texts.map((text, i) => ({ id: `d${i}`, text }));

/** The tail every InvalidTextError message ends with. */
const PASS_STRINGS = 'Pass an array of strings (use "" for an empty document).';

/** Every (done, total) pair an onProgress callback receives. */
function recorder(): {
  calls: [number, number | undefined][];
  onProgress: (done: number, total: number | undefined) => void;
} {
  const calls: [number, number | undefined][] = [];
  return { calls, onProgress: (done, total) => void calls.push([done, total]) };
}

/**
 * The progress calls expected for `n` queries, written from the rule "every
 * max(1, floor(n / 100)) queries, and once at the end": for n = 2 that is every query; for
 * n = 301 it is every 3rd query (3, 6, …, 300) and then 301, which no multiple of 3 reaches.
 */
function expectedProgress(n: number, every: number): [number, number][] {
  const calls: [number, number][] = [];
  for (let done = every; done <= n; done += every) calls.push([done, n]);
  if (calls.at(-1)?.[0] !== n) calls.push([n, n]);
  return calls;
}

describe('checkCorpus', () => {
  it('returns ids, texts and positions in corpus order', () => {
    const got = checkCorpus(
      [
        { id: 'b', text: 'xx' },
        { id: 'a', text: '' },
      ],
      'Here.index',
    );
    expect(got.ids).toEqual(['b', 'a']);
    expect(got.texts).toEqual(['xx', '']);
    expect([...got.position]).toEqual([
      ['b', 0],
      ['a', 1],
    ]);
  });

  it.each<[string, unknown, string]>([
    ['undefined', undefined, 'undefined'],
    ['a string', 'abc', '"abc"'],
    ['an object', { id: 'a', text: 'xx' }, 'object'],
  ])('rejects a corpus that is not an array: %s', async (_, corpus, shown) => {
    const error = await caught(() => checkCorpus(corpus as never, 'Here.index'));
    expect(error).toBeInstanceOf(InvalidTextError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_TEXT', index: -1 });
    expect((error as Error).message).toBe(
      `Here.index: text at index -1 must be a string, received ${shown}. ${PASS_STRINGS}`,
    );
  });

  // Each bad entry sits at index 1, after a good one; `show` renders objects as "object".
  it.each<[string, unknown, string]>([
    ['undefined (a hole)', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a number', 42, '42'],
    ['a string', 'xx', '"xx"'],
    ['an object without an id', { text: 'xx' }, 'object'],
    ['a numeric id', { id: 5, text: 'xx' }, 'object'],
    ['a numeric text', { id: 'b', text: 5 }, 'object'],
    ['no text', { id: 'b' }, 'object'],
  ])('rejects a corpus entry that is %s', async (_, entry, shown) => {
    const error = await caught(() =>
      checkCorpus([{ id: 'a', text: 'aa' }, entry] as never, 'Here.index'),
    );
    expect(error).toBeInstanceOf(InvalidTextError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_TEXT', index: 1 });
    expect((error as Error).message).toBe(
      `Here.index: text at index 1 must be a string, received ${shown}. ${PASS_STRINGS}`,
    );
  });
});

describe('searchModel', () => {
  it('says how to fix a search before index', async () => {
    const error = await caught(() => new TfidfRetriever().search(['aa'], { k: 1 }));
    expect(error).toBeInstanceOf(NotFittedError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_NOT_FITTED' });
    expect((error as Error).message).toBe(
      'TfidfRetriever.search: nothing fitted yet. Call index(corpus) first.',
    );
  });

  it.each<[string, unknown]>([
    ['zero', 0],
    ['negative', -1],
    ['a fraction', 1.5],
    ['a numeric string', '2'],
    ['NaN', NaN],
  ])('rejects k before scoring, naming the search: %s', async (_, k) => {
    const r = new TfidfRetriever();
    await r.index(corpusOf(['aa bb', 'cc']));
    const error = await caught(() => r.search(['aa'], { k: k as number }));
    expect(error).toBeInstanceOf(InvalidKError);
    expect(error).toMatchObject({ code: 'ERR_RETRIEVAL_INVALID_K', k });
    expect((error as Error).message).toBe(
      'TfidfRetriever.search: k must be an integer ≥ 1 (k larger than the number of candidates ' +
        `returns all of them); received ${String(k)}.`,
    );
  });

  it.each([
    ['two queries (every query)', 2, 1],
    ['301 queries (every 3rd, then the last)', 301, 3],
  ])('reports search progress for %s', async (_, n, every) => {
    const r = new TfidfRetriever();
    await r.index(corpusOf(['aa bb', 'cc']));
    const { calls, onProgress } = recorder();
    const queries = Array.from({ length: n }, () => 'aa');
    const rankings = await r.search(queries, { k: 1, onProgress });
    expect(rankings).toHaveLength(n);
    expect(calls).toEqual(expectedProgress(n, every));
  });
});

describe('firstRelevantRanks', () => {
  it('ranks the best relevant document: higher score first, then lower index', async () => {
    // Query "aa": d0 and d2 are both the unit vector of "aa" (cosine 1, an exact tie), d1 holds
    // no "aa" (cosine 0). Full ranking: d0 (1), d2 (2, loses the tie by index), d1 (3).
    const r = new TfidfRetriever();
    await r.index(corpusOf(['aa', 'bb', 'aa']));
    const relevant = [
      new Set(['d2', 'd0']), // tie: d0 wins by index → 1
      new Set(['d1', 'd0']), // d0 scores higher, listed second → 1
      new Set(['d0', 'd1']), // d0 scores higher, listed first → 1
      new Set(['d2', 'd1']), // d2 scores higher although d1 has the lower index → 2
      new Set(['d1']), // → 3
      new Set(['missing', 'd2']), // unknown ids are ignored → 2
    ];
    const got = await r.firstRelevantRank(
      relevant.map(() => 'aa'),
      relevant,
    );
    expect(got).toEqual([1, 1, 1, 2, 3, 2]);
  });

  // The list of relevant sets is checked as an argument of its own (InvalidOptionError on
  // `relevant`, as DenseRetriever does), not as a text: the message gives both lengths.
  const listMessage = (queries: number, shown: string): string =>
    `TfidfRetriever.firstRelevantRank: option relevant must be an array of ${queries} set(s) of ` +
    `relevant document ids, one per query (queries has ${queries}), received ${shown}. ` +
    'Pass relevant[i] for queries[i], in the same order.';
  it.each<[string, unknown, string[], string]>([
    ['shorter than queries', [], ['aa'], 'array(0)'],
    ['longer than queries', [new Set(), new Set()], ['aa'], 'array(2)'],
    ['undefined', undefined, ['aa', 'bb'], 'undefined'],
    ['a single Set, not an array of them', new Set(['d0']), ['aa'], 'object'],
  ])('rejects a relevant list that is %s', async (_, relevant, queries, shown) => {
    const r = new TfidfRetriever();
    await r.index(corpusOf(['aa bb']));
    const error = await caught(() => r.firstRelevantRank(queries, relevant as never));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({
      code: 'ERR_TFIDF_INVALID_OPTION',
      option: 'relevant',
      value: relevant,
    });
    expect((error as Error).message).toBe(listMessage(queries.length, shown));
  });

  // Each bad entry sits at index 1, after a good one; a string would be iterated as characters.
  it.each<[string, unknown, string]>([
    ['undefined (a hole)', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a number', 5, '5'],
    ['a string', 'd0', '"d0"'],
    ['an object that is not iterable', { d0: true }, 'object'],
  ])('rejects a relevant entry that is %s, naming its index', async (_, entry, shown) => {
    const r = new Bm25Retriever();
    await r.index(corpusOf(['aa bb', 'cc']));
    const error = await caught(() =>
      r.firstRelevantRank(['aa', 'cc'], [new Set(['d0']), entry] as never),
    );
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({
      code: 'ERR_TFIDF_INVALID_OPTION',
      option: 'relevant[1]',
      value: entry,
    });
    expect((error as Error).message).toBe(
      'Bm25Retriever.firstRelevantRank: option relevant[1] must be a Set (or another iterable, ' +
        `not a string) of document ids, received ${shown}. ` +
        'Give every query its set of relevant ids (an empty Set when it has none).',
    );
  });

  it('accepts any iterable of ids per query, arrays and empty sets included', async () => {
    const r = new TfidfRetriever();
    await r.index(corpusOf(['aa', 'bb']));
    // "bb": d1 scores 1, d0 scores 0 → d1 is rank 1, d0 rank 2; nothing relevant → Infinity.
    const got = await r.firstRelevantRank(
      ['bb', 'bb', 'bb'],
      [
        ['d0'] as unknown as ReadonlySet<string>,
        new Map([['d1', 1]]).keys() as unknown as ReadonlySet<string>,
        new Set(),
      ],
    );
    expect(got).toEqual([2, 1, Infinity]);
  });

  it('says how to fix a firstRelevantRank before index', async () => {
    const error = await caught(() => new TfidfRetriever().firstRelevantRank(['aa'], [new Set()]));
    expect(error).toBeInstanceOf(NotFittedError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_NOT_FITTED' });
    expect((error as Error).message).toBe(
      'TfidfRetriever.firstRelevantRank: nothing fitted yet. Call index(corpus) first.',
    );
  });

  it.each([
    ['two queries (every query)', 2, 1],
    ['301 queries (every 3rd, then the last)', 301, 3],
  ])('reports firstRelevantRank progress for %s', async (_, n, every) => {
    const r = new TfidfRetriever();
    await r.index(corpusOf(['aa bb', 'cc']));
    const { calls, onProgress } = recorder();
    const queries = Array.from({ length: n }, () => 'aa');
    const relevant = queries.map(() => new Set(['d0']));
    const ranks = await r.firstRelevantRank(queries, relevant, { onProgress });
    expect(ranks).toEqual(queries.map(() => 1));
    expect(calls).toEqual(expectedProgress(n, every));
  });
});

describe('rankOfId', () => {
  it('rejects a query that is not a string, naming rankOf', async () => {
    const r = new TfidfRetriever();
    await r.index(corpusOf(['aa bb']));
    const error = await caught(() => r.rankOf(42 as unknown as string, 'd0'));
    expect(error).toBeInstanceOf(InvalidTextError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_TEXT', index: 0 });
    expect((error as Error).message).toBe(
      `TfidfRetriever.rankOf: text at index 0 must be a string, received 42. ${PASS_STRINGS}`,
    );
  });
});
