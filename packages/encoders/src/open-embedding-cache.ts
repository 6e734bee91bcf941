import { EmbeddingCache } from './embedding-cache.js';
import type { SentenceEncoder } from './sentence-encoder.js';

/**
 * Open the {@link EmbeddingCache} under `root` for this encoder: keyed by every
 * {@link EncoderSettings} field (model, revision, dtype, max length, prefixes, pooling,
 * normalisation, width, ONNX file) plus {@link SentenceEncoder.fingerprint} (sha256 of the
 * graph, tokenizer.json and config.json), so a changed model or setting never reuses stale
 * vectors. Pass it as `encode(texts, { role, cache })` or to {@link DenseRetriever}.
 *
 * @example
 * ```ts
 * const cache = await openEmbeddingCache('.cache/embeddings', encoder);
 * await encoder.encode(passages, { role: 'passage', cache }); // encodes, stores
 * await encoder.encode(passages, { role: 'passage', cache }); // all hits: encoder.textsEncoded unchanged
 * ```
 */
export async function openEmbeddingCache(
  root: string,
  encoder: SentenceEncoder,
): Promise<EmbeddingCache> {
  return EmbeddingCache.open(
    root,
    { ...encoder.settings, fingerprint: await encoder.fingerprint() },
    encoder.dim,
  );
}
