import { EmbeddingCache, type EmbeddingCacheOptions } from './embedding-cache.js';
import type { TextEmbedder } from './text-embedder.js';

/**
 * Open the {@link EmbeddingCache} under `root` for this embedder: keyed by its `name`, `dim` and
 * `fingerprint` (which changes whenever its vectors would: model files or weights, revision,
 * dtype, pooling, prefixes, max length, normalisation), so a changed model or setting never
 * reuses stale vectors. Pass it to {@link embedWithCache} or {@link DenseRetriever}. `onLog` names
 * the pack files whose damaged entries are not used (see {@link EmbeddingCache}).
 *
 * @example
 * ```ts
 * const cache = await openEmbeddingCache('.cache/embeddings', encoder);
 * await embedWithCache(encoder, passages, { role: 'passage', cache }); // encodes, stores
 * await embedWithCache(encoder, passages, { role: 'passage', cache }); // all hits: nothing encoded
 * ```
 */
export async function openEmbeddingCache(
  root: string,
  embedder: TextEmbedder,
  options: EmbeddingCacheOptions = {},
): Promise<EmbeddingCache> {
  return EmbeddingCache.open(
    root,
    { name: embedder.name, fingerprint: embedder.fingerprint },
    embedder.dim,
    options,
  );
}
