import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
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

  it('leaves no temporary files and skips a truncated pack, naming it', async () => {
    const c = await EmbeddingCache.open(root, { model: 'trunc' }, 3);
    await c.put([hashText('p')], Float32Array.of(1, 2, 3));
    await c.put([hashText('q')], Float32Array.of(4, 5, 6));
    const files = (await readdir(c.dir)).sort();
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    const packs = files.filter((f) => f.startsWith('pack-'));
    expect(packs).toHaveLength(2);
    await truncate(join(c.dir, packs[0]!), 20);
    await writeFile(join(c.dir, 'pack-garbage.bin'), 'not a pack');
    const log: string[] = [];
    const reopened = await EmbeddingCache.open(root, { model: 'trunc' }, 3, {
      onLog: (m) => log.push(m),
    });
    expect(reopened.size).toBe(1);
    expect(log.sort()).toEqual([
      `embedding cache ${join(c.dir, packs[0]!)}: 20 bytes where its header (1 entries) means 64; not used, its texts will be encoded again`,
      `embedding cache ${join(c.dir, 'pack-garbage.bin')}: not an embedding pack (no RTKEMB02 header); not used, its texts will be encoded again`,
    ]);
    // Whichever pack survived still holds its own vector.
    const p = reopened.get(hashText('p'));
    const q = reopened.get(hashText('q'));
    expect(p === undefined ? Array.from(q!) : Array.from(p)).toEqual(
      p === undefined ? [4, 5, 6] : [1, 2, 3],
    );
  });

  it('drops an entry whose bytes changed on disk, naming the pack', async () => {
    const c = await EmbeddingCache.open(root, { model: 'flip' }, 2);
    await c.put([hashText('a'), hashText('b')], Float32Array.of(1, 2, 3, 4));
    const [pack] = (await readdir(c.dir)).filter((f) => f.startsWith('pack-'));
    const file = join(c.dir, pack!);
    const bytes = await readFile(file);
    // Layout: 16-byte header, 2 × 32-byte hashes, 2 × 4-byte checksums, then the vectors:
    // flip the low mantissa bit of entry b's first value (3 → 3.0000002).
    const at = 16 + 2 * 32 + 2 * 4 + 2 * 4;
    expect(bytes.readFloatLE(at)).toBe(3);
    bytes[at] = bytes[at]! ^ 1;
    await writeFile(file, bytes);
    const log: string[] = [];
    const reopened = await EmbeddingCache.open(root, { model: 'flip' }, 2, {
      onLog: (m) => log.push(m),
    });
    expect(Array.from(reopened.get(hashText('a'))!)).toEqual([1, 2]);
    expect(reopened.get(hashText('b'))).toBeUndefined();
    expect(log).toEqual([
      `embedding cache ${file}: 1 of 2 entries do not match their checksum; not used, its texts will be encoded again`,
    ]);
  });

  it('drops entries holding NaN or ±Infinity even when their checksum matches', async () => {
    const c = await EmbeddingCache.open(root, { model: 'nan' }, 2);
    // A pack built by hand in the documented layout, with a correct checksum for each entry.
    const entries: [string, number[]][] = [
      [hashText('ok'), [0.5, 0.25]],
      [hashText('nan'), [Number.NaN, 1]],
      [hashText('inf'), [1, Number.POSITIVE_INFINITY]],
    ];
    const header = Buffer.alloc(16);
    header.write('RTKEMB02', 0, 'ascii');
    header.writeUInt32LE(entries.length, 8);
    header.writeUInt32LE(2, 12);
    const hashes = entries.map(([h]) => Buffer.from(h, 'hex'));
    const vectors = entries.map(([, v]) => Buffer.from(Float32Array.from(v).buffer));
    const sums = entries.map((_, i) => {
      const sum = Buffer.alloc(4);
      sum.writeUInt32LE(crc32(vectors[i]!, crc32(hashes[i]!)));
      return sum;
    });
    const file = join(c.dir, 'pack-00000000000000-handmade.bin');
    await writeFile(file, Buffer.concat([header, ...hashes, ...sums, ...vectors]));
    const log: string[] = [];
    const reopened = await EmbeddingCache.open(root, { model: 'nan' }, 2, {
      onLog: (m) => log.push(m),
    });
    expect(reopened.size).toBe(1);
    expect(Array.from(reopened.get(hashText('ok'))!)).toEqual([0.5, 0.25]);
    expect(log).toEqual([
      `embedding cache ${file}: 2 of 3 entries hold NaN or ±Infinity; not used, its texts will be encoded again`,
    ]);
  });

  it('skips a pack of the checksum-less first format, naming it', async () => {
    const c = await EmbeddingCache.open(root, { model: 'v1' }, 1);
    const v1 = Buffer.alloc(16 + 32 + 4);
    v1.write('RTKEMB01', 0, 'ascii');
    v1.writeUInt32LE(1, 8);
    v1.writeUInt32LE(1, 12);
    v1.write(hashText('old'), 16, 'hex');
    v1.writeFloatLE(0.5, 48);
    const file = join(c.dir, 'pack-00000000000000-v1.bin');
    await writeFile(file, v1);
    const log: string[] = [];
    const reopened = await EmbeddingCache.open(root, { model: 'v1' }, 1, {
      onLog: (m) => log.push(m),
    });
    expect(reopened.size).toBe(0);
    expect(log).toEqual([
      `embedding cache ${file}: a pack of the older format without checksums; not used, its texts will be encoded again`,
    ]);
  });

  it('does not store rows holding NaN or ±Infinity', async () => {
    const c = await EmbeddingCache.open(root, { model: 'put-nan' }, 2);
    await c.put(
      [hashText('a'), hashText('b'), hashText('c')],
      Float32Array.of(1, Number.NaN, 2, 3, Number.NEGATIVE_INFINITY, 0),
    );
    expect(c.get(hashText('a'))).toBeUndefined();
    expect(Array.from(c.get(hashText('b'))!)).toEqual([2, 3]);
    const log: string[] = [];
    const reopened = await EmbeddingCache.open(root, { model: 'put-nan' }, 2, {
      onLog: (m) => log.push(m),
    });
    expect(reopened.size).toBe(1);
    expect(log).toEqual([]);
    await c.put([hashText('d')], Float32Array.of(Number.NaN, 0));
    expect((await readdir(c.dir)).filter((f) => f.startsWith('pack-'))).toHaveLength(1);
  });

  it('warns through process.emitWarning without onLog', async () => {
    const c = await EmbeddingCache.open(root, { model: 'warn' }, 1);
    const file = join(c.dir, 'pack-junk.bin');
    await writeFile(file, 'junk');
    const warnings: Error[] = [];
    const listener = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', listener);
    try {
      await EmbeddingCache.open(root, { model: 'warn' }, 1);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(warnings.map((w) => w.message)).toEqual([
      `embedding cache ${file}: not an embedding pack (no RTKEMB02 header); not used, its texts will be encoded again`,
    ]);
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
