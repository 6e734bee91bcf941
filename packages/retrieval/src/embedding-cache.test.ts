import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingCache, hashText } from './embedding-cache.js';

describe('hashText', () => {
  // Reference: `printf 'abc' | sha256sum`.
  it('is the sha256 of the UTF-8 text', () => {
    expect(hashText('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('EmbeddingCache', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rtk-emb-cache-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores and reloads entries, keyed by settings', async () => {
    const key = { model: 'm', maxLength: 512 };
    const a = await EmbeddingCache.open(root, key, 2);
    await a.put([hashText('x'), hashText('y')], Float32Array.of(1, 2, 3, 4));
    const b = await EmbeddingCache.open(root, { maxLength: 512, model: 'm' }, 2);
    expect(b.dir).toBe(a.dir);
    expect(b.size).toBe(2);
    expect(Array.from(b.get(hashText('y'))!)).toEqual([3, 4]);
    expect(b.key).toEqual({ dim: 2, maxLength: 512, model: 'm' });
    const other = await EmbeddingCache.open(root, { model: 'm', maxLength: 256 }, 2);
    expect(other.dir).not.toBe(a.dir);
    expect(other.get(hashText('x'))).toBeUndefined();
  });

  it('leaves no temporary files and skips a truncated pack', async () => {
    const c = await EmbeddingCache.open(root, { model: 'trunc' }, 3);
    await c.put([hashText('p')], Float32Array.of(1, 2, 3));
    await c.put([hashText('q')], Float32Array.of(4, 5, 6));
    const files = (await readdir(c.dir)).sort();
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    const packs = files.filter((f) => f.startsWith('pack-'));
    expect(packs).toHaveLength(2);
    await truncate(join(c.dir, packs[0]!), 20);
    await writeFile(join(c.dir, 'pack-garbage.bin'), 'not a pack');
    const reopened = await EmbeddingCache.open(root, { model: 'trunc' }, 3);
    expect(reopened.size).toBe(1);
    // Whichever pack survived still holds its own vector.
    const p = reopened.get(hashText('p'));
    const q = reopened.get(hashText('q'));
    expect(p === undefined ? Array.from(q!) : Array.from(p)).toEqual(
      p === undefined ? [4, 5, 6] : [1, 2, 3],
    );
  });

  it.each([
    [['x'], Float32Array.of(1, 2), 'hashes[0]'],
    [[hashText('x')], Float32Array.of(1), 'vectors'],
  ])('rejects put(%j, %j)', async (hashes, vectors, option) => {
    const c = await EmbeddingCache.open(root, { model: 'bad' }, 2);
    await expect(c.put(hashes, vectors)).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_INVALID_OPTION',
      option,
    });
  });

  it('rejects a bad dim', async () => {
    await expect(EmbeddingCache.open(root, {}, 0)).rejects.toMatchObject({ option: 'dim' });
  });
});
