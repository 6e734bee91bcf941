export type { BertConfig, BertActivation } from './config.js';
export { parseBertConfig, BERT_ACTIVATIONS } from './config.js';
export type {
  TokenBatch,
  ForwardOptions,
  EmbedTextsOptions,
  EncodeTextsOptions,
  FreezeOptions,
  TrainableEncoderParts,
} from './trainable-encoder.js';
export { TrainableEncoder } from './trainable-encoder.js';
export type { LoadTrainableEncoderOptions } from './load-trainable-encoder.js';
export { loadTrainableEncoder } from './load-trainable-encoder.js';
export type { SaveTrainableEncoderOptions } from './save-trainable-encoder.js';
export { saveTrainableEncoder, COPIED_MODEL_FILES } from './save-trainable-encoder.js';
export type { BertErrorCode } from './errors.js';
export {
  BertError,
  ModelFileError,
  BertConfigError,
  BertWeightsError,
  EncoderInputError,
  EncoderDisposedError,
  ModelSaveError,
} from './errors.js';
