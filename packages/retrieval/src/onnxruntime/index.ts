export type { OnnxKernel, OnnxKernelOptions } from './onnx-kernel.js';
export { createOnnxKernel } from './onnx-kernel.js';
