export * from './types.js';
export type { TextRole, TextPrefixes, EmbedOptions, TextEmbedder } from './text-embedder.js';
export { E5_PREFIXES, TEXT_ROLES } from './text-embedder.js';
export type { DenseRetrieverOptions } from './dense-retriever.js';
export { DenseRetriever } from './dense-retriever.js';
export { EmbeddingCache, hashText, type EmbeddingCacheOptions } from './embedding-cache.js';
export { openEmbeddingCache } from './open-embedding-cache.js';
export type { EmbedWithCacheOptions } from './embed-with-cache.js';
export { embedWithCache } from './embed-with-cache.js';
export type { TopK } from './select-top-k.js';
export { selectTopK } from './select-top-k.js';
export type { InnerProductKernel, KernelTopK } from './inner-product-kernel.js';
export { jsKernel } from './inner-product-kernel.js';
export type { DenseMetric, DenseIndexOptions, DenseSearchBlockOptions } from './dense-index.js';
export { DenseIndex, DENSE_METRICS } from './dense-index.js';
export { l2NormalizeRows } from './l2-normalize-rows.js';
export type { DenseSearchOptions } from './dense-search.js';
export { denseSearch } from './dense-search.js';
export type { RetrievalErrorCode } from './errors.js';
export {
  RetrievalError,
  NaNScoreError,
  InvalidKError,
  InvalidOptionError,
  DimensionMismatchError,
  NonFiniteEmbeddingError,
  EngineUnavailableError,
  NotIndexedError,
} from './errors.js';
