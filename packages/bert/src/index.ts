export type { BertConfig, BertActivation } from './config.js';
export { parseBertConfig, BERT_ACTIVATIONS } from './config.js';
export type {
  TokenBatch,
  ForwardOptions,
  TextKind,
  TextPrefixes,
  EmbedTextsOptions,
  EncodeTextsOptions,
  FreezeOptions,
  TrainableEncoderParts,
} from './trainable-encoder.js';
export { TrainableEncoder, E5_PREFIXES } from './trainable-encoder.js';
export type { LoadTrainableEncoderOptions } from './load-trainable-encoder.js';
export {
  loadTrainableEncoder,
  TRAINABLE_MODEL_FILES,
  OPTIONAL_TOKENIZER_FILES,
} from './load-trainable-encoder.js';
export type { SaveTrainableEncoderOptions } from './save-trainable-encoder.js';
export { saveTrainableEncoder, COPIED_MODEL_FILES } from './save-trainable-encoder.js';
export type {
  SafetensorsDtype,
  SafetensorsTensor,
  SafetensorsFile,
  ParseSafetensorsOptions,
} from '../safetensors.js';
export {
  parseSafetensors,
  readSafetensors,
  tensorToFloat32,
  float32Tensor,
  serializeSafetensors,
  writeSafetensors,
  SAFETENSORS_DTYPE_SIZES,
} from '../safetensors.js';
export type {
  TfjsBackendName,
  BackendAttempt,
  BackendSelection,
  SelectBackendOptions,
} from '../backend.js';
export { selectBackend, TFJS_BACKENDS } from '../backend.js';
export type { TrainableEncoderErrorCode } from './errors.js';
export {
  TrainableEncoderError,
  SafetensorsCorruptError,
  SafetensorsDtypeError,
  SafetensorsWriteError,
  ModelFileError,
  BertConfigError,
  BertWeightsError,
  EncoderInputError,
  EncoderDisposedError,
  ModelSaveError,
  BackendError,
  WasmOutOfMemoryError,
} from './errors.js';
