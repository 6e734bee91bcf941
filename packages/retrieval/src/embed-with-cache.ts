import { hashText, type EmbeddingCache } from './embedding-cache.js';
import { InvalidOptionError } from './errors.js';
import { TEXT_ROLES, type EmbedOptions, type TextEmbedder } from './text-embedder.js';

/** Options for {@link embedWithCache}. */
export interface EmbedWithCacheOptions extends EmbedOptions {
  /** Reuse and store embeddings here; texts already in it are not encoded again. */
  readonly cache?: EmbeddingCache;
}

/** New vectors are stored every this many texts, so an interrupted run keeps its work. */
const CACHE_FLUSH_TEXTS = 2048;

/**
 * `embedder.encode(texts, options)` through an {@link EmbeddingCache}: texts already in the
 * cache (same role, same text) are served from it, the others are encoded (in chunks of 2048
 * texts, each stored as soon as it is done) and stored. Rows come back in input order either
 * way. `onProgress` counts cached texts as done at once. Without a cache it is `encode`.
 *
 * The per-text key is {@link hashText} of `role + ':' + text`; the cache itself must belong to
 * this embedder (opened with {@link openEmbeddingCache}), which is checked on its fingerprint.
 *
 * @throws {@link InvalidOptionError} for a cache of another width or another embedder, or a
 *   role other than `query`/`passage`.
 * @example
 * ```ts
 * const cache = await openEmbeddingCache('.cache/embeddings', encoder);
 * const rows = await embedWithCache(encoder, ['a text'], { role: 'passage', cache });
 * ```
 */
export async function embedWithCache(
  embedder: TextEmbedder,
  texts: readonly string[],
  options: EmbedWithCacheOptions = {},
): Promise<Float32Array[]> {
  const where = 'embedWithCache';
  const { cache, ...embedOptions } = options;
  if (cache === undefined) return embedder.encode(texts, embedOptions);
  const role = options.role ?? 'query';
  if (!TEXT_ROLES.includes(role))
    throw new InvalidOptionError('role', where, TEXT_ROLES.join(' or '), role);
  if (cache.dim !== embedder.dim) {
    throw new InvalidOptionError(
      'cache',
      where,
      `a cache of width ${embedder.dim} opened with openEmbeddingCache(root, embedder)`,
      `width ${cache.dim}`,
    );
  }
  const owner = cache.key['fingerprint'];
  if (owner !== undefined && owner !== embedder.fingerprint) {
    throw new InvalidOptionError(
      'cache',
      where,
      `the cache of ${embedder.name} (fingerprint ${embedder.fingerprint.slice(0, 12)}…), opened with openEmbeddingCache(root, embedder)`,
      `a cache for fingerprint ${JSON.stringify(owner).slice(0, 14)}…`,
    );
  }
  const n = texts.length;
  const out = new Array<Float32Array>(n);
  const hashes = texts.map((t) => hashText(`${role}:${t}`));
  const todo: number[] = [];
  for (let i = 0; i < n; i++) {
    const hit = cache.get(hashes[i]!);
    if (hit === undefined) todo.push(i);
    else out[i] = hit.slice();
  }
  const hits = n - todo.length;
  options.onProgress?.(hits, n);
  for (let start = 0; start < todo.length; start += CACHE_FLUSH_TEXTS) {
    const chunk = todo.slice(start, start + CACHE_FLUSH_TEXTS);
    const rows = await embedder.encode(
      chunk.map((i) => texts[i]!),
      {
        ...embedOptions,
        role,
        onProgress:
          options.onProgress === undefined
            ? undefined
            : (done) => options.onProgress!(hits + start + done, n),
      },
    );
    const vectors = new Float32Array(chunk.length * embedder.dim);
    chunk.forEach((i, r) => {
      out[i] = rows[r]!;
      vectors.set(rows[r]!, r * embedder.dim);
    });
    await cache.put(
      chunk.map((i) => hashes[i]!),
      vectors,
    );
  }
  return out;
}
