export type {
  TfjsBackendName,
  BackendAttempt,
  BackendSelection,
  SelectBackendOptions,
} from './select-backend.js';
export { selectBackend, TFJS_BACKENDS } from './select-backend.js';
export { MAX_WASM_THREADS } from './_wasm-threads.js';
export { prepareWasmBackend, wasmBatchMatMul, SLICED_BATCH_MAT_MUL } from './wasm-kernels.js';
export { nestedGrads } from './nested-grads.js';
export { ensureGradients } from './ensure-gradients.js';
export type { WasmModule } from './_internals.js';
export { activeWasmModule, TFJS_PINNED_VERSION } from './_internals.js';
export type { TfjsErrorCode, FailedBackend } from './errors.js';
export {
  TfjsError,
  BackendError,
  TfjsOptionError,
  WasmOutOfMemoryError,
  TfjsInternalsError,
} from './errors.js';
