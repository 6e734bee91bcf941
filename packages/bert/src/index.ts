// The BERT configuration lives in @rtk/encoders (its ONNX export needs it); re-exported here.
export type { BertConfig, BertActivation } from '@rtk/encoders';
export { parseBertConfig, BERT_ACTIVATIONS, BertConfigError } from '@rtk/encoders';
export type {
  TokenBatch,
  ForwardOptions,
  EmbedTextsOptions,
  EncodeTextsOptions,
  FreezeOptions,
  TrainableEncoderParts,
} from './trainable-encoder.js';
export { TrainableEncoder, WASM_PLAIN_PASS_BUDGET_BYTES } from './trainable-encoder.js';
export type { LoadTrainableEncoderOptions } from './load-trainable-encoder.js';
export { loadTrainableEncoder } from './load-trainable-encoder.js';
export type { SaveTrainableEncoderOptions } from './save-trainable-encoder.js';
export { saveTrainableEncoder, COPIED_MODEL_FILES } from './save-trainable-encoder.js';
export type { BertErrorCode } from './errors.js';
export {
  BertError,
  ModelFileError,
  BertWeightsError,
  EncoderInputError,
  EncoderDisposedError,
  ModelSaveError,
} from './errors.js';
export type { CreateOnnxEmbedderOptions } from './export-onnx.js';
export { exportTrainableEncoderOnnx, createOnnxEmbedder } from './export-onnx.js';
