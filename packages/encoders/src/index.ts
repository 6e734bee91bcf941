export type { EncodedBatch, EncodeBatchOptions, TextTokenizer } from './tokenizer.js';
export { loadTokenizer } from './tokenizer.js';
export type {
  EncoderDtype,
  ModelFormat,
  ResolveModelOptions,
  ResolvedModel,
} from './model-source.js';
export {
  ENCODER_DTYPES,
  MODEL_FORMATS,
  OPTIONAL_MODEL_FILES,
  resolveModelFolder,
} from './model-source.js';
export type { Pooling, PoolOptions } from './pooling.js';
export { POOLINGS, poolEmbeddings } from './pooling.js';
export type { PoolingConfig } from './pooling-config.js';
export { readPoolingConfig } from './pooling-config.js';
export type {
  SentenceEncoderOptions,
  EncoderSettings,
  SentenceEncoder,
} from './sentence-encoder.js';
export {
  DEFAULT_ENCODER_MODEL,
  SUPPORTED_MODEL_TYPES,
  loadSentenceEncoder,
} from './sentence-encoder.js';
export { TRANSFORMERS_PINNED_VERSION } from './_transformers-internals.js';
export type { EncodersErrorCode } from './errors.js';
export {
  EncodersError,
  ModelFileMissingError,
  ModelFileCorruptError,
  UnsupportedModelError,
  InvalidEncoderOptionError,
  InvalidInputError,
  ModelOutputError,
  TransformersInternalsError,
} from './errors.js';
