// Kernels for training on the wasm backend. They use the backend's heap-level methods
// (`WasmBackendInternals` in `_internals.ts`), checked by canaries in `internals.test.ts`.
import * as tf from '@tensorflow/tfjs-core';
import { TfjsInternalsError } from './errors.js';
import {
  WASM_IDENTITY_KERNEL_FUNCTION,
  activeWasmModule,
  type WasmBackendInternals,
} from './_internals.js';
import { checkWasmAllocations } from './_wasm-memory.js';

/** Name of the wasm kernel behind {@link wasmBatchMatMul}. */
export const SLICED_BATCH_MAT_MUL = 'RtkSlicedBatchMatMul';

/**
 * wasm kernel: `a` [S, m, k] · `b` [S, k, n] → [S, m, n] as S XNNPACK products. The wasm
 * BatchMatMul kernel only reaches XNNPACK when the batch is 1; any other batch falls to a
 * scalar triple loop that is 3–7× slower on attention shapes (a [384, 128, 64] · [384, 64, 128]
 * product: ~60 ms this way, ~390 ms through tf.matMul). Each slice is copied into its own
 * [1, ·, ·] buffer on the wasm heap and handed to the backend's own BatchMatMul kernel. `b`
 * gets a fresh buffer per slice because XNNPACK caches its packed weights by tensor id; `a` and
 * nothing else is reused. tf.slice/tf.unstack cannot stand in: wasm's Slice copies its whole
 * input out of the heap on every call.
 */
function slicedBatchMatMul(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackendInternals;
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const [slices, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const matMul = tf.getKernel(tf.BatchMatMul, 'wasm').kernelFunc;
  const attrs = { transposeA: false, transposeB: false };
  const out = backend.makeOutput([slices, m, n], 'float32');
  const aSlice = backend.makeOutput([1, m, k], 'float32');
  // Views are re-made after every allocation: growing the wasm heap detaches older views.
  for (let s = 0; s < slices; s++) {
    backend
      .typedArrayFromHeap(aSlice)
      .set(backend.typedArrayFromHeap(a).subarray(s * m * k, (s + 1) * m * k));
    const bSlice = backend.makeOutput([1, k, n], 'float32');
    backend
      .typedArrayFromHeap(bSlice)
      .set(backend.typedArrayFromHeap(b).subarray(s * k * n, (s + 1) * k * n));
    const product = matMul({
      inputs: { a: aSlice, b: bSlice },
      backend,
      attrs,
    }) as tf.TensorInfo;
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(product), s * m * n);
    backend.disposeData(bSlice.dataId);
    backend.disposeData(product.dataId);
  }
  backend.disposeData(aSlice.dataId);
  return out;
}

/**
 * wasm's Identity kernel copies its input into a new heap buffer. The engine runs it on every
 * tensor a gradient function saves for the backward pass (`save([...])` clones), so on wasm
 * each saved activation existed twice: about half of a training step's heap and ~3 % of its
 * time. Tensors are immutable and the wasm backend already shares buffers by reference count
 * (its Reshape does), so this Identity shares too, as the cpu backend's does.
 */
function sharedIdentity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackendInternals;
  const { x } = args.inputs as { x: tf.TensorInfo };
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function registerSlicedBatchMatMul(): void {
  if (tf.getKernel(SLICED_BATCH_MAT_MUL, 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: SLICED_BATCH_MAT_MUL,
    backendName: 'wasm',
    kernelFunc: slicedBatchMatMul,
  });
}

/**
 * Prepare the wasm backend for training, once it is the active backend (cheap after the first
 * call; nothing on other backends): allocations that fail with `WasmOutOfMemoryError` instead
 * of corrupting the heap, a sharing Identity kernel in place of wasm's copying one (only while
 * that is the package's own kernel), and the kernel behind {@link wasmBatchMatMul}. Call it
 * before each forward pass, so it also applies when the application set the backend itself.
 *
 * @throws {@link TfjsInternalsError} when the wasm module or its Identity kernel is not what
 *   tfjs-backend-wasm 4.22 has.
 * @example
 * ```ts
 * await selectBackend({ prefer: ['wasm'] });
 * prepareWasmBackend(); // tf.clone(x) now shares x's heap buffer
 * ```
 */
export function prepareWasmBackend(): void {
  if (tf.getBackend() !== 'wasm') return;
  checkWasmAllocations(activeWasmModule());
  registerSlicedBatchMatMul();
  const current = tf.getKernel(tf.Identity, 'wasm');
  if (current === undefined) {
    throw new TfjsInternalsError('wasm Identity kernel', 'the wasm backend registers no Identity');
  }
  if (current.kernelFunc === sharedIdentity) return;
  // Another library replaced it already: leave theirs alone.
  if (current.kernelFunc.name !== WASM_IDENTITY_KERNEL_FUNCTION) return;
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({ kernelName: tf.Identity, backendName: 'wasm', kernelFunc: sharedIdentity });
}

/**
 * `a` [S, m, k] · `b` [S, k, n] → [S, m, n] (float32) on the wasm backend, each of the S products
 * through XNNPACK (see the kernel's note: 3–7× faster than `tf.matMul` on attention shapes,
 * where wasm's batched matmul runs a scalar loop). Not differentiable by itself; wrap it in
 * `tf.customGrad` (as `@rtk/bert` does). Call only while wasm is the active backend.
 *
 * @throws {@link TfjsInternalsError} when wasm is not the active backend.
 * @example
 * ```ts
 * const c = wasmBatchMatMul(tf.ones([12, 128, 32]), tf.ones([12, 32, 128])); // [12, 128, 128] of 32s
 * ```
 */
export function wasmBatchMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (tf.getBackend() !== 'wasm') {
    throw new TfjsInternalsError(
      'wasmBatchMatMul',
      `called while the active backend is ${tf.getBackend()}, not wasm`,
    );
  }
  registerSlicedBatchMatMul();
  return tf.engine().runKernel<tf.Tensor3D>(SLICED_BATCH_MAT_MUL, { a, b });
}
