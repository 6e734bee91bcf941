import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedWithCache } from './embed-with-cache.js';
import { EmbeddingCache } from './embedding-cache.js';
import { openEmbeddingCache } from './open-embedding-cache.js';
import { LetterCountEmbedder } from './_test-embedder.js';

describe('embedWithCache', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rtk-embed-cache-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('serves cached texts, encodes only new ones and keeps input order', async () => {
    const embedder = new LetterCountEmbedder();
    const cache = await openEmbeddingCache(root, embedder);
    const first = await embedWithCache(embedder, ['ab', 'c'], { role: 'passage', cache });
    expect(embedder.calls).toHaveLength(2);
    const progress: number[] = [];
    const second = await embedWithCache(embedder, ['new', 'ab', 'c'], {
      role: 'passage',
      cache: await openEmbeddingCache(root, embedder),
      onProgress: (d) => progress.push(d),
    });
    expect(embedder.calls.map((c) => c.text)).toEqual(['ab', 'c', 'new']);
    expect(progress).toEqual([2, 3]);
    expect(second.slice(1)).toEqual(first);
    expect(second[0]).toEqual((await embedder.encode(['new'], { role: 'passage' }))[0]);
  });

  it('encodes again, saying so, the texts whose cached entry was damaged on disk', async () => {
    const embedder = new LetterCountEmbedder('damaged');
    const cache = await openEmbeddingCache(root, embedder);
    const first = await embedWithCache(embedder, ['ab', 'cd'], { role: 'passage', cache });
    const [pack] = (await readdir(cache.dir)).filter((f) => f.startsWith('pack-'));
    const file = join(cache.dir, pack!);
    const bytes = await readFile(file);
    // Entry 'cd' (the second): its vector starts after the header, hashes, checksums and entry 1.
    const at = 16 + 2 * 32 + 2 * 4 + 8 * 4;
    bytes.writeFloatLE(Number.NaN, at);
    await writeFile(file, bytes);
    const log: string[] = [];
    const reopened = await openEmbeddingCache(root, embedder, { onLog: (m) => log.push(m) });
    const again = await embedWithCache(embedder, ['ab', 'cd'], {
      role: 'passage',
      cache: reopened,
    });
    expect(log).toEqual([
      `embedding cache ${file}: 1 of 2 entries do not match their checksum; not used, its texts will be encoded again`,
    ]);
    expect(embedder.calls.map((c) => c.text)).toEqual(['ab', 'cd', 'cd']);
    expect(again).toEqual(first);
  });

  it('keeps the roles apart and defaults to query', async () => {
    const embedder = new LetterCountEmbedder('roles', { query: 'a', passage: 'b' });
    const cache = await openEmbeddingCache(root, embedder);
    const [asPassage] = await embedWithCache(embedder, ['c'], { role: 'passage', cache });
    const [asQuery] = await embedWithCache(embedder, ['c'], { cache });
    expect(embedder.calls.map((c) => c.role)).toEqual(['passage', 'query']);
    expect(Array.from(asPassage!)).toEqual([0, 1, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(asQuery!)).toEqual([1, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('is plain encode without a cache', async () => {
    const embedder = new LetterCountEmbedder();
    expect(await embedWithCache(embedder, ['ab'])).toEqual(await embedder.encode(['ab']));
  });

  it('refuses a cache of another width or of another embedder', async () => {
    const embedder = new LetterCountEmbedder();
    const narrow = await EmbeddingCache.open(root, { model: 'other' }, 4);
    await expect(embedWithCache(embedder, ['a'], { cache: narrow })).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_INVALID_OPTION',
      option: 'cache',
    });
    const otherPrefixes = new LetterCountEmbedder('letters', { query: 'x', passage: 'y' });
    const foreign = await openEmbeddingCache(root, otherPrefixes);
    await expect(embedWithCache(embedder, ['a'], { cache: foreign })).rejects.toMatchObject({
      option: 'cache',
      message: expect.stringContaining('fingerprint') as unknown,
    });
  });
});
