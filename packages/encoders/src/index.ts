export type { EncodedBatch, EncodeBatchOptions, TextTokenizer } from './tokenizer.js';
export { loadTokenizer } from './tokenizer.js';
export type { EncodersErrorCode } from './errors.js';
export {
  EncodersError,
  ModelFileMissingError,
  ModelFileCorruptError,
  UnsupportedModelError,
  InvalidEncoderOptionError,
  InvalidInputError,
  ModelOutputError,
  EmbeddingCacheCorruptError,
} from './errors.js';
