// The ONNX SentenceEncoder through @rtk/retrieval's embedding cache: a re-run is served from
// disk without running the model.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddingCache, embedWithCache, openEmbeddingCache } from '@rtk/retrieval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, maxAbsDiff, TINY_BERT_DIR } from './_test-fixture.js';
import { loadSentenceEncoder, type SentenceEncoder } from './sentence-encoder.js';

describe('openEmbeddingCache and embedWithCache with a SentenceEncoder', () => {
  let encoder: SentenceEncoder;
  let root: string;
  beforeAll(async () => {
    encoder = await loadSentenceEncoder({ model: TINY_BERT_DIR, prefixes: false, threads: 1 });
    root = await mkdtemp(join(tmpdir(), 'rtk-emb-enc-'));
  });
  afterAll(async () => {
    await encoder.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('serves a re-run from the cache without re-encoding, with equal vectors', async () => {
    const texts = EXPECTED.map((s) => s.text);
    const cache = await openEmbeddingCache(root, encoder);
    const first = await embedWithCache(encoder, texts, { role: 'passage', cache });
    const afterFirst = encoder.textsEncoded;
    expect(afterFirst).toBe(texts.length);

    const reopened = await openEmbeddingCache(root, encoder);
    expect(reopened.dir).toBe(cache.dir);
    const progress: number[] = [];
    const second = await embedWithCache(encoder, texts, {
      role: 'passage',
      cache: reopened,
      onProgress: (d) => progress.push(d),
    });
    expect(encoder.textsEncoded).toBe(afterFirst);
    expect(progress).toEqual([texts.length]);
    first.forEach((r, i) => expect(maxAbsDiff(r, second[i]!)).toBe(0));

    // One new text: only it goes through the model, and order is kept.
    const third = await embedWithCache(encoder, ['a new text', ...texts], {
      role: 'passage',
      cache: reopened,
    });
    expect(encoder.textsEncoded).toBe(afterFirst + 1);
    first.forEach((r, i) => expect(maxAbsDiff(third[i + 1]!, r)).toBe(0));
  });

  it('keys on settings: another max length opens another folder', async () => {
    const short = await loadSentenceEncoder({
      model: TINY_BERT_DIR,
      prefixes: false,
      maxLength: 16,
      threads: 1,
    });
    try {
      const a = await openEmbeddingCache(root, encoder);
      const b = await openEmbeddingCache(root, short);
      expect(b.dir).not.toBe(a.dir);
      expect(b.size).toBe(0);
    } finally {
      await short.dispose();
    }
  });

  it('refuses a cache of another width', async () => {
    const wrong = await EmbeddingCache.open(root, { model: 'other' }, 8);
    await expect(
      embedWithCache(encoder, ['a'], { role: 'query', cache: wrong }),
    ).rejects.toMatchObject({
      option: 'cache',
    });
  });
});
