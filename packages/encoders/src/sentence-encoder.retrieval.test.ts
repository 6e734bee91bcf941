// The ONNX SentenceEncoder as the TextEmbedder of @rtk/retrieval's DenseRetriever, against the
// PyTorch vectors of the fixture.
import { DenseRetriever, NotIndexedError } from '@rtk/retrieval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, TINY_BERT_DIR } from './_test-fixture.js';
import { loadSentenceEncoder, type SentenceEncoder } from './sentence-encoder.js';

const CORPUS = [
  { id: 'd-pop', text: 'The city has a population of two million people.' },
  { id: 'd-pkg', text: 'A package is a file with programs and data for a linux system.' },
  { id: 'd-unk', text: 'Unknown wörds like Zyxqv and ÉCOLE get split or mapped to unk.' },
];

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, x, i) => s + x * b[i]!, 0);
}

describe('DenseRetriever over a SentenceEncoder', () => {
  let encoder: SentenceEncoder;
  beforeAll(async () => {
    encoder = await loadSentenceEncoder({ model: TINY_BERT_DIR, threads: 1 });
  });
  afterAll(async () => {
    await encoder.dispose();
  });

  // Expected ranking: cosines of the PyTorch vectors in expected.json (samples 0 vs 1, 3, 4).
  it('ranks by cosine of the E5-prefixed embeddings, as PyTorch vectors do', async () => {
    const r = new DenseRetriever({ embedder: encoder, batchSize: 2 });
    expect(r.name).toBe(TINY_BERT_DIR);
    await r.index(CORPUS);
    const [ranking] = await r.search(['how many people live in the city'], { k: 3 });
    const q = EXPECTED[0]!.mean_normalized;
    const expected = [
      { id: 'd-pop', score: dot(q, EXPECTED[1]!.mean_normalized) },
      { id: 'd-pkg', score: dot(q, EXPECTED[3]!.mean_normalized) },
      { id: 'd-unk', score: dot(q, EXPECTED[4]!.mean_normalized) },
    ].sort((a, b) => b.score - a.score);
    expect(ranking!.map((d) => d.id)).toEqual(expected.map((d) => d.id));
    ranking!.forEach((d, i) => expect(d.score).toBeCloseTo(expected[i]!.score, 5));
  });

  it('keeps corpus order for equal scores and caps k at the corpus size', async () => {
    const r = new DenseRetriever({ embedder: encoder });
    await r.index([
      { id: 'b', text: 'same text' },
      { id: 'a', text: 'same text' },
    ]);
    const [ranking] = await r.search(['query'], { k: 10 });
    expect(ranking!.map((d) => d.id)).toEqual(['b', 'a']);
  });

  it('reports indexing progress and handles no queries', async () => {
    const r = new DenseRetriever({ embedder: encoder, batchSize: 2 });
    const seen: number[] = [];
    await r.index(CORPUS, { onProgress: (d) => seen.push(d) });
    expect(seen).toEqual([0, 2, 3]);
    expect(await r.search([], { k: 1 })).toEqual([]);
  });

  it('throws before index, on duplicate ids and on a bad k', async () => {
    const r = new DenseRetriever({ embedder: encoder });
    await expect(r.search(['q'], { k: 1 })).rejects.toThrow(NotIndexedError);
    await expect(r.index([CORPUS[0]!, CORPUS[0]!])).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_INVALID_OPTION',
      option: 'corpus',
    });
    await r.index(CORPUS);
    await expect(r.search(['q'], { k: 0 })).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_INVALID_K',
    });
  });
});

describe('DenseRetriever.firstRelevantRank over a SentenceEncoder', () => {
  let encoder: SentenceEncoder;
  beforeAll(async () => {
    encoder = await loadSentenceEncoder({ model: TINY_BERT_DIR, threads: 1 });
  });
  afterAll(async () => {
    await encoder.dispose();
  });

  // Reference: the position of the first relevant id in search() with k = corpus size.
  it.each([true, false])(
    'equals the first relevant position of the full search ranking (normalize %s)',
    async (normalize) => {
      const enc = normalize
        ? encoder
        : await loadSentenceEncoder({ model: TINY_BERT_DIR, threads: 1, normalize: false });
      try {
        const r = new DenseRetriever({ embedder: enc });
        const corpus = [...CORPUS, { id: 'dup', text: CORPUS[0]!.text }, { id: 'empty', text: '' }];
        await r.index(corpus);
        const queries = ['how many people live in the city', 'what is a debian package', 'zyxqv'];
        const full = await r.search(queries, { k: corpus.length });
        const relevantSets = [new Set(['dup', 'd-pkg']), new Set(['empty']), new Set(['missing'])];
        const ranks = await r.firstRelevantRank(queries, relevantSets);
        ranks.forEach((rank, i) => {
          const pos = full[i]!.findIndex((d) => relevantSets[i]!.has(d.id));
          expect(rank).toBe(pos < 0 ? Number.POSITIVE_INFINITY : pos + 1);
        });
        expect(ranks[2]).toBe(Number.POSITIVE_INFINITY);
      } finally {
        if (!normalize) await enc.dispose();
      }
    },
  );

  it('rejects a relevant list of another length, and use before index', async () => {
    const r = new DenseRetriever({ embedder: encoder });
    await expect(r.firstRelevantRank(['q'], [new Set()])).rejects.toThrow(NotIndexedError);
    await r.index(CORPUS);
    await expect(r.firstRelevantRank(['q', 'r'], [new Set()])).rejects.toMatchObject({
      option: 'relevant',
    });
  });
});
