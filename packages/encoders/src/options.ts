/**
 * `@rtk/encoders/options`: the encoder's option vocabulary (weight variants, poolings, export dtypes) and the
 * model-folder resolver, without loading transformers.js or ONNX Runtime. Command lines import
 * this to declare and check their flags, so that `--help` and a wrong flag answer at once; the
 * main entry loads the inference stack.
 */
export type {
  EncoderDtype,
  ModelFormat,
  ResolveModelOptions,
  ResolvedModel,
} from './model-source.js';
export { ENCODER_DTYPES, resolveModelFolder } from './model-source.js';
export type { Pooling } from './pooling.js';
export { POOLINGS } from './pooling.js';
export type { BertOnnxDtype } from './bert-onnx-graph.js';
export { EXPORT_DTYPES } from './export-onnx.js';
