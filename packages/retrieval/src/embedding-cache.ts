import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from '@rtk/files';
import { InvalidOptionError } from './errors.js';

const MAGIC = Buffer.from('RTKEMB02', 'ascii');
/** The first format, without per-entry checksums: its packs are not read (their texts are encoded again). */
const MAGIC_V1 = Buffer.from('RTKEMB01', 'ascii');
const HEADER_BYTES = 16;
const HASH_BYTES = 32;
const CHECKSUM_BYTES = 4;

/** Options for {@link EmbeddingCache.open}. */
export interface EmbeddingCacheOptions {
  /**
   * One-line notices naming a pack file whose entries are not used (a pack cut short, of another
   * width or format, or entries whose checksum does not match or that hold NaN or ±Infinity):
   * their texts are encoded again. Default: a Node.js process warning (`process.emitWarning`).
   */
  readonly onLog?: (message: string) => void;
}

/** CRC-32 of an entry: its text hash followed by its vector's bytes, as stored. */
function entryChecksum(buf: Buffer, hashAt: number, vectorAt: number, dim: number): number {
  return crc32(
    buf.subarray(vectorAt, vectorAt + dim * 4),
    crc32(buf.subarray(hashAt, hashAt + HASH_BYTES)),
  );
}

function defaultLog(message: string): void {
  process.emitWarning(message, { code: 'RTK_EMBEDDING_CACHE' });
}

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
 * `pack-*.bin` files, each a batch of entries: magic `RTKEMB02`, uint32 count, uint32 dim,
 * `count` raw sha256 text hashes, `count` uint32 CRC-32 checksums (of each entry's hash and
 * vector bytes), then `count × dim` little-endian float32. Packs are written to a temporary name
 * and renamed, so a crash leaves whole packs or none. What cannot be trusted is not used, and
 * `onLog` names the pack: a pack whose size does not match its header (e.g. copied half-way), of
 * another width or of the older checksum-less format `RTKEMB01` is skipped; an entry whose
 * checksum does not match (bytes changed on disk) or whose vector holds NaN or ±Infinity is
 * dropped. Their texts are then encoded again by {@link embedWithCache}. Several processes may
 * share a folder: each writes its own packs.
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
   * @param options - `onLog` for the packs and entries that are not used.
   * @throws {@link InvalidOptionError} when `dim` is not a positive integer.
   */
  static async open(
    root: string,
    key: Readonly<Record<string, unknown>>,
    dim: number,
    options: EmbeddingCacheOptions = {},
  ): Promise<EmbeddingCache> {
    const log = options.onLog ?? defaultLog;
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
      const file = join(dir, pack);
      const buf = await readFile(file);
      const skip = (why: string): void =>
        log(`embedding cache ${file}: ${why}; not used, its texts will be encoded again`);
      if (buf.length >= MAGIC_V1.length && buf.subarray(0, MAGIC_V1.length).equals(MAGIC_V1)) {
        skip('a pack of the older format without checksums');
        continue;
      }
      if (buf.length < HEADER_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
        skip(`not an embedding pack (no ${MAGIC.toString('ascii')} header)`);
        continue;
      }
      const count = buf.readUInt32LE(8);
      const packDim = buf.readUInt32LE(12);
      if (packDim !== dim) {
        skip(`width ${packDim}, expected ${dim}`);
        continue;
      }
      const expected = HEADER_BYTES + count * (HASH_BYTES + CHECKSUM_BYTES + dim * 4);
      if (buf.length !== expected) {
        skip(`${buf.length} bytes where its header (${count} entries) means ${expected}`);
        continue;
      }
      const checksumsStart = HEADER_BYTES + count * HASH_BYTES;
      const vectorsStart = checksumsStart + count * CHECKSUM_BYTES;
      // Copy into an aligned buffer: readFile's Buffer may sit at an odd offset of a shared pool.
      const vectors = new Float32Array(
        buf.buffer.slice(buf.byteOffset + vectorsStart, buf.byteOffset + buf.length),
      );
      let mismatched = 0;
      let nonFinite = 0;
      for (let i = 0; i < count; i++) {
        const hashAt = HEADER_BYTES + i * HASH_BYTES;
        const stored = buf.readUInt32LE(checksumsStart + i * CHECKSUM_BYTES);
        if (entryChecksum(buf, hashAt, vectorsStart + i * dim * 4, dim) !== stored) {
          mismatched++;
          continue;
        }
        const vector = vectors.subarray(i * dim, (i + 1) * dim);
        if (!vector.every(Number.isFinite)) {
          nonFinite++;
          continue;
        }
        entries.set(buf.toString('hex', hashAt, hashAt + HASH_BYTES), vector);
      }
      if (mismatched > 0) skip(`${mismatched} of ${count} entries do not match their checksum`);
      if (nonFinite > 0) skip(`${nonFinite} of ${count} entries hold NaN or ±Infinity`);
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
   * as one new pack, atomically, with a checksum per entry; also kept in memory. Rows holding NaN
   * or ±Infinity are not stored (the index they go into reports them).
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
    hashes.forEach((h, i) => {
      if (!/^[0-9a-f]{64}$/.test(h))
        throw new InvalidOptionError(
          `hashes[${i}]`,
          'EmbeddingCache.put',
          'a sha256 hex digest (hashText)',
          h,
        );
    });
    const rows = hashes
      .map((_, i) => i)
      .filter((i) => vectors.subarray(i * dim, (i + 1) * dim).every(Number.isFinite));
    if (rows.length === 0) return;
    const count = rows.length;
    const buf = Buffer.alloc(HEADER_BYTES + count * (HASH_BYTES + CHECKSUM_BYTES + dim * 4));
    MAGIC.copy(buf, 0);
    buf.writeUInt32LE(count, 8);
    buf.writeUInt32LE(dim, 12);
    const checksumsStart = HEADER_BYTES + count * HASH_BYTES;
    const vectorsStart = checksumsStart + count * CHECKSUM_BYTES;
    const copy = new Float32Array(count * dim);
    rows.forEach((row, r) => {
      const hashAt = HEADER_BYTES + r * HASH_BYTES;
      buf.write(hashes[row]!, hashAt, 'hex');
      const vector = vectors.subarray(row * dim, (row + 1) * dim);
      copy.set(vector, r * dim);
      const vectorAt = vectorsStart + r * dim * 4;
      for (let j = 0; j < dim; j++) buf.writeFloatLE(vector[j]!, vectorAt + j * 4);
      buf.writeUInt32LE(
        entryChecksum(buf, hashAt, vectorAt, dim),
        checksumsStart + r * CHECKSUM_BYTES,
      );
    });
    const name = `pack-${Date.now().toString().padStart(14, '0')}-${process.pid}-${randomBytes(4).toString('hex')}.bin`;
    await writeFileAtomic(join(this.dir, name), buf);
    rows.forEach((row, r) =>
      this.#entries.set(hashes[row]!, copy.subarray(r * dim, (r + 1) * dim)),
    );
  }
}
