export type { EncodedBatch, EncodeBatchOptions, TextTokenizer } from './tokenizer.js';
export { loadTokenizer } from './tokenizer.js';
export type { EncoderDtype, ResolveModelOptions, ResolvedModel } from './model-source.js';
export { ENCODER_DTYPES, resolveModelFolder } from './model-source.js';
export type { Pooling, PoolOptions } from './pooling.js';
export { POOLINGS, poolEmbeddings } from './pooling.js';
export type {
  TextRole,
  TextPrefixes,
  SentenceEncoderOptions,
  EncoderSettings,
  EncodeOptions,
  SentenceEncoder,
} from './sentence-encoder.js';
export {
  DEFAULT_ENCODER_MODEL,
  E5_PREFIXES,
  SUPPORTED_MODEL_TYPES,
  loadSentenceEncoder,
} from './sentence-encoder.js';
export { EmbeddingCache, hashText } from './embedding-cache.js';
export { openEmbeddingCache } from './open-embedding-cache.js';
export type { DenseRetrieverOptions } from './dense-retriever.js';
export { DenseRetriever } from './dense-retriever.js';
export type { EncodersErrorCode } from './errors.js';
export {
  EncodersError,
  ModelFileMissingError,
  ModelFileCorruptError,
  UnsupportedModelError,
  InvalidEncoderOptionError,
  InvalidInputError,
  ModelOutputError,
  NotIndexedError,
} from './errors.js';
