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
  BertConfigError,
  OnnxExportError,
} from './errors.js';
export type { BertConfig, BertActivation } from './bert-config.js';
export { parseBertConfig, BERT_ACTIVATIONS } from './bert-config.js';
export type { BertOnnxDtype, BuildBertOnnxOptions } from './bert-onnx-graph.js';
export { buildBertOnnxModel, BERT_ONNX_OPSET } from './bert-onnx-graph.js';
export type {
  ExportOnnxOptions,
  ExportOnnxModelOptions,
  OnnxExportResult,
  BertWeightsSource,
} from './export-onnx.js';
export {
  exportOnnx,
  exportOnnxFromWeights,
  readBertConfig,
  EXPORT_DTYPES,
  EXPORT_COPIED_FILES,
} from './export-onnx.js';
