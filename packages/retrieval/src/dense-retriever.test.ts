import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DenseRetriever } from './dense-retriever.js';
import { NotIndexedError } from './errors.js';
import { openEmbeddingCache } from './open-embedding-cache.js';
import { DEFAULT_SEARCH_K } from './types.js';
import { LetterCountEmbedder } from './_test-embedder.js';

// Letter counts a–h with prefixes 'q'/'p' (which fall outside a–h, so they add nothing).
const CORPUS = [
  { id: 'd-ab', text: 'ab' },
  { id: 'd-cd', text: 'cd' },
  { id: 'd-aa', text: 'aa' },
];

describe('DenseRetriever', () => {
  // Query "a" = (1, 0, …): cosines 1/√2 with "ab", 0 with "cd", 1 with "aa" (hand-computed).
  it('ranks by cosine of any TextEmbedder rows, normalising them', async () => {
    const r = new DenseRetriever({ embedder: new LetterCountEmbedder() });
    expect(r.name).toBe('letters');
    await r.index(CORPUS);
    const [ranking] = await r.search(['a'], { k: 3 });
    expect(ranking!.map((d) => d.id)).toEqual(['d-aa', 'd-ab', 'd-cd']);
    expect(ranking![0]!.score).toBeCloseTo(1, 6);
    expect(ranking![1]!.score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(ranking![2]!.score).toBe(0);
  });

  it('encodes passages with the passage role and queries with the query role', async () => {
    const embedder = new LetterCountEmbedder();
    const r = new DenseRetriever({ embedder, name: 'named' });
    expect(r.name).toBe('named');
    await r.index(CORPUS);
    await r.search(['a']);
    expect(embedder.calls.map((c) => c.role)).toEqual(['passage', 'passage', 'passage', 'query']);
  });

  it(`returns the top ${DEFAULT_SEARCH_K} when no k is given`, async () => {
    const r = new DenseRetriever({ embedder: new LetterCountEmbedder() });
    const corpus = Array.from({ length: 12 }, (_, i) => ({ id: `d${i}`, text: 'a'.repeat(i + 1) }));
    await r.index(corpus);
    const [withoutOptions] = await r.search(['a']);
    const [withoutK] = await r.search(['a'], {});
    expect(DEFAULT_SEARCH_K).toBe(10);
    expect(withoutOptions).toHaveLength(10);
    expect(withoutK).toEqual(withoutOptions);
  });

  it('keeps corpus order for equal scores and caps k at the corpus size', async () => {
    const r = new DenseRetriever({ embedder: new LetterCountEmbedder() });
    await r.index([
      { id: 'b', text: 'same text' },
      { id: 'a', text: 'same text' },
    ]);
    const [ranking] = await r.search(['query'], { k: 10 });
    expect(ranking!.map((d) => d.id)).toEqual(['b', 'a']);
  });

  it('reports indexing progress and handles no queries', async () => {
    const r = new DenseRetriever({ embedder: new LetterCountEmbedder(), batchSize: 2 });
    const seen: number[] = [];
    await r.index(CORPUS, { onProgress: (d) => seen.push(d) });
    expect(seen).toEqual([2, 3]);
    expect(await r.search([], { k: 1 })).toEqual([]);
  });

  it('throws before index, on duplicate ids and on a bad k', async () => {
    const r = new DenseRetriever({ embedder: new LetterCountEmbedder() });
    await expect(r.search(['q'], { k: 1 })).rejects.toThrow(NotIndexedError);
    await expect(r.search(['q'])).rejects.toMatchObject({ code: 'ERR_RETRIEVAL_NOT_INDEXED' });
    await expect(r.index([CORPUS[0]!, CORPUS[0]!])).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_INVALID_OPTION',
      option: 'corpus',
    });
    await r.index(CORPUS);
    await expect(r.search(['q'], { k: 0 })).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_INVALID_K',
    });
  });

  it('refuses rows of the wrong width from the embedder', async () => {
    const embedder = new LetterCountEmbedder();
    const wrong = {
      name: 'wrong',
      dim: 4,
      fingerprint: 'x',
      encode: (texts: readonly string[]) => embedder.encode(texts),
    };
    await expect(new DenseRetriever({ embedder: wrong }).index(CORPUS)).rejects.toMatchObject({
      option: 'embedder',
      message: expect.stringContaining('row 0 of width 8') as unknown,
    });
  });
});

describe('DenseRetriever with an embedding cache', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rtk-dense-cache-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('indexes a second time from the cache with the same ranking', async () => {
    const embedder = new LetterCountEmbedder();
    const cache = await openEmbeddingCache(root, embedder);
    const first = new DenseRetriever({ embedder, cache });
    await first.index(CORPUS);
    const before = await first.search(['a', 'cd']);
    const encoded = embedder.calls.length;
    const second = new DenseRetriever({
      embedder,
      cache: await openEmbeddingCache(root, embedder),
    });
    await second.index(CORPUS);
    expect(embedder.calls.length).toBe(encoded); // passages all served from the cache
    expect(await second.search(['a', 'cd'])).toEqual(before);
  });
});

describe('DenseRetriever.firstRelevantRank', () => {
  // Reference: the position of the first relevant id in search() with k = corpus size.
  it('equals the first relevant position of the full search ranking', async () => {
    const r = new DenseRetriever({ embedder: new LetterCountEmbedder() });
    const corpus = [...CORPUS, { id: 'dup', text: 'ab' }, { id: 'empty', text: '' }];
    await r.index(corpus);
    const queries = ['ab', 'cdd', 'zzz'];
    const full = await r.search(queries, { k: corpus.length });
    const relevantSets = [new Set(['dup', 'd-cd']), new Set(['empty']), new Set(['missing'])];
    const ranks = await r.firstRelevantRank(queries, relevantSets);
    ranks.forEach((rank, i) => {
      const pos = full[i]!.findIndex((d) => relevantSets[i]!.has(d.id));
      expect(rank).toBe(pos < 0 ? Number.POSITIVE_INFINITY : pos + 1);
    });
    expect(ranks[0]).toBe(2); // 'd-ab' comes first (corpus order), then its duplicate
    expect(ranks[2]).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a relevant list of another length, and use before index', async () => {
    const r = new DenseRetriever({ embedder: new LetterCountEmbedder() });
    await expect(r.firstRelevantRank(['q'], [new Set()])).rejects.toThrow(NotIndexedError);
    await r.index(CORPUS);
    await expect(r.firstRelevantRank(['q', 'r'], [new Set()])).rejects.toMatchObject({
      option: 'relevant',
    });
  });
});
