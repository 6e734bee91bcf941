export type {
  TensorData,
  OnnxTensor,
  OnnxAttribute,
  OnnxNode,
  OnnxValueInfo,
  OnnxGraph,
  EncodeModelOptions,
} from './model.js';
export { TensorDataType, attribute, tensorProto, encodeModel } from './model.js';
export { OnnxGraphBuilder } from './graph-builder.js';
export type { QuantizedInt8 } from './quantize.js';
export { quantizeInt8, quantizedMatMul } from './quantize.js';
export type { OnnxErrorCode } from './errors.js';
export { OnnxError, InvalidGraphError } from './errors.js';
