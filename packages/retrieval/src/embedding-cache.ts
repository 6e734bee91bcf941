import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@rtk/files';
import { InvalidOptionError } from './errors.js';

const MAGIC = Buffer.from('RTKEMB01', 'ascii');
const HEADER_BYTES = 16;
const HASH_BYTES = 32;

/**
 * sha256 of a text's UTF-8 bytes, hex: the per-text key of {@link EmbeddingCache}.
 * {@link embedWithCache} hashes `role + ':' + text` (the embedder's fingerprint covers the
 * prefixes).
 *
 * @example
 * ```ts
 * hashText('passage: hello'); // 'eead569eadac2fcb…' (64 hex digits)
 * ```
 */
export function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Canonical JSON (sorted keys) so equal settings always give the same folder. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * An on-disk store of text embeddings for one embedder (one key), so re-running a task does not
 * re-encode an unchanged corpus.
 *
 * Layout: `{root}/{sha256(settings)[:32]}/` holds `key.json` (the settings, for people) and
 * `pack-*.bin` files, each a batch of entries: magic `RTKEMB01`, uint32 count, uint32 dim,
 * `count` raw sha256 text hashes, then `count × dim` little-endian float32. Packs are written to
 * a temporary name and renamed, so a crash leaves whole packs or none; a pack whose size does
 * not match its header (e.g. copied half-way) is skipped and its texts are encoded again.
 * Several processes may share a folder: each writes its own packs.
 *
 * All packs are read into memory by {@link EmbeddingCache.open} (the vectors are needed for the
 * index anyway). Use {@link openEmbeddingCache} to key a cache on a {@link TextEmbedder}.
 *
 * @example
 * ```ts
 * const cache = await EmbeddingCache.open('/tmp/emb', { model: 'm', dim: 2 }, 2);
 * await cache.put([hashText('a')], Float32Array.of(0.6, 0.8));
 * console.log(cache.get(hashText('a'))); // Float32Array(2) [ 0.6…, 0.8… ]
 * ```
 */
export class EmbeddingCache {
  /** The folder of this key's packs. */
  readonly dir: string;
  /** Embedding width of every entry. */
  readonly dim: number;
  /** Hash of the canonical key (the folder name). */
  readonly keyHash: string;
  /** The key the cache was opened with (what `key.json` holds, `dim` included). */
  readonly key: Readonly<Record<string, unknown>>;
  readonly #entries: Map<string, Float32Array>;

  private constructor(
    dir: string,
    dim: number,
    keyHash: string,
    key: Readonly<Record<string, unknown>>,
    entries: Map<string, Float32Array>,
  ) {
    this.dir = dir;
    this.dim = dim;
    this.keyHash = keyHash;
    this.key = key;
    this.#entries = entries;
  }

  /**
   * Open (creating if needed) the cache folder for `key` under `root` and load its entries.
   *
   * @param root - Cache root folder (created if missing).
   * @param key - Everything that determines an embedding (for an embedder: its name and
   *   fingerprint, see {@link openEmbeddingCache}); JSON-serialisable. Different keys never share
   *   entries.
   * @param dim - Embedding width; packs of another width are skipped.
   * @throws {@link InvalidOptionError} when `dim` is not a positive integer.
   */
  static async open(
    root: string,
    key: Readonly<Record<string, unknown>>,
    dim: number,
  ): Promise<EmbeddingCache> {
    if (!Number.isInteger(dim) || dim < 1)
      throw new InvalidOptionError('dim', 'EmbeddingCache.open', 'an integer ≥ 1', dim);
    const text = canonical({ ...key, dim });
    const keyHash = createHash('sha256').update(text).digest('hex').slice(0, 32);
    const dir = join(root, keyHash);
    await mkdir(dir, { recursive: true });
    const keyFile = join(dir, 'key.json');
    const canonicalKey = JSON.parse(text) as Record<string, unknown>;
    await writeFileAtomic(keyFile, `${JSON.stringify(canonicalKey, null, 2)}\n`);
    const entries = new Map<string, Float32Array>();
    const packs = (await readdir(dir))
      .filter((f) => f.startsWith('pack-') && f.endsWith('.bin'))
      .sort();
    for (const pack of packs) {
      const buf = await readFile(join(dir, pack));
      if (buf.length < HEADER_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC)) continue;
      const count = buf.readUInt32LE(8);
      const packDim = buf.readUInt32LE(12);
      if (packDim !== dim || buf.length !== HEADER_BYTES + count * (HASH_BYTES + dim * 4)) continue;
      const vectorsStart = HEADER_BYTES + count * HASH_BYTES;
      // Copy into an aligned buffer: readFile's Buffer may sit at an odd offset of a shared pool.
      const vectors = new Float32Array(
        buf.buffer.slice(buf.byteOffset + vectorsStart, buf.byteOffset + buf.length),
      );
      for (let i = 0; i < count; i++) {
        const hash = buf.toString(
          'hex',
          HEADER_BYTES + i * HASH_BYTES,
          HEADER_BYTES + (i + 1) * HASH_BYTES,
        );
        entries.set(hash, vectors.subarray(i * dim, (i + 1) * dim));
      }
    }
    return new EmbeddingCache(dir, dim, keyHash, Object.freeze(canonicalKey), entries);
  }

  /** Number of distinct texts stored. */
  get size(): number {
    return this.#entries.size;
  }

  /** The stored embedding of a text hash ({@link hashText}), or undefined. Do not modify it. */
  get(hash: string): Float32Array | undefined {
    return this.#entries.get(hash);
  }

  /**
   * Store embeddings: `hashes[i]` ↦ row `i` of `vectors` (`hashes.length × dim` values). Written
   * as one new pack, atomically; also kept in memory.
   *
   * @throws {@link InvalidOptionError} when a hash is not 64 hex digits or the sizes disagree.
   */
  async put(hashes: readonly string[], vectors: Float32Array): Promise<void> {
    const { dim } = this;
    if (vectors.length !== hashes.length * dim) {
      throw new InvalidOptionError(
        'vectors',
        'EmbeddingCache.put',
        `hashes.length × dim = ${hashes.length * dim} values`,
        vectors.length,
      );
    }
    if (hashes.length === 0) return;
    const buf = Buffer.alloc(HEADER_BYTES + hashes.length * (HASH_BYTES + dim * 4));
    MAGIC.copy(buf, 0);
    buf.writeUInt32LE(hashes.length, 8);
    buf.writeUInt32LE(dim, 12);
    hashes.forEach((h, i) => {
      if (!/^[0-9a-f]{64}$/.test(h))
        throw new InvalidOptionError(
          `hashes[${i}]`,
          'EmbeddingCache.put',
          'a sha256 hex digest (hashText)',
          h,
        );
      buf.write(h, HEADER_BYTES + i * HASH_BYTES, 'hex');
    });
    const vectorsStart = HEADER_BYTES + hashes.length * HASH_BYTES;
    for (let i = 0; i < vectors.length; i++) buf.writeFloatLE(vectors[i]!, vectorsStart + i * 4);
    const name = `pack-${Date.now().toString().padStart(14, '0')}-${process.pid}-${randomBytes(4).toString('hex')}.bin`;
    await writeFileAtomic(join(this.dir, name), buf);
    const copy = vectors.slice();
    hashes.forEach((h, i) => this.#entries.set(h, copy.subarray(i * dim, (i + 1) * dim)));
  }
}
