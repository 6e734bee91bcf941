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

/** Names of the wasm kernels behind {@link wasmGelu} and {@link wasmGeluGrad}. */
export const GELU_KERNEL = 'RtkGelu';
export const GELU_GRAD_KERNEL = 'RtkGeluGrad';

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Φ(v) = ½·erfc(−v/√2), the standard normal CDF, in float64: erfc by the Chebyshev-fitted form
 * `t·exp(−y² + P(t))`, `t = 1/(1 + |y|/2)` (Numerical Recipes' erfcc; fractional error below
 * 1.2e-7 everywhere), reflected for y < 0.
 */
function normalCdf(v: number): number {
  const y = -v * INV_SQRT2;
  const z = Math.abs(y);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return 0.5 * (y >= 0 ? r : 2 - r);
}

/**
 * wasm kernel: exact GELU of `x` in one pass over the heap → `[x·Φ(x), Φ(x)]`. wasm's own Erf is
 * single-threaded and runs at ~50 ns an element, and GELU built from it takes five kernels (five
 * heap buffers); this is one loop with one `Math.exp` an element.
 */
function geluKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo[] {
  const backend = args.backend as WasmBackendInternals;
  const { x } = args.inputs as { x: tf.TensorInfo };
  const value = backend.makeOutput(x.shape, 'float32');
  const cdf = backend.makeOutput(x.shape, 'float32');
  // Views after every allocation: growing the heap detaches older ones.
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const vs = backend.typedArrayFromHeap(value) as Float32Array;
  const cs = backend.typedArrayFromHeap(cdf) as Float32Array;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    const c = normalCdf(v);
    cs[i] = c;
    vs[i] = v * c;
  }
  return [value, cdf];
}

/** wasm kernel: `dy · (Φ(x) + x·φ(x))`, GELU's gradient, from `dy`, `x` and the saved `Φ(x)`. */
function geluGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackendInternals;
  const { dy, x, cdf } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; cdf: tf.TensorInfo };
  const out = backend.makeOutput(x.shape, 'float32');
  const ds = backend.typedArrayFromHeap(dy) as Float32Array;
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const cs = backend.typedArrayFromHeap(cdf) as Float32Array;
  const os = backend.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    os[i] = ds[i]! * (cs[i]! + v * Math.exp(-0.5 * v * v) * INV_SQRT_2PI);
  }
  return out;
}

function registerKernels(): void {
  registerSlicedBatchMatMul();
  if (tf.getKernel(GELU_KERNEL, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: GELU_KERNEL, backendName: 'wasm', kernelFunc: geluKernel });
  }
  if (tf.getKernel(GELU_GRAD_KERNEL, 'wasm') === undefined) {
    tf.registerKernel({
      kernelName: GELU_GRAD_KERNEL,
      backendName: 'wasm',
      kernelFunc: geluGradKernel,
    });
  }
}

/** @throws {@link TfjsInternalsError} when wasm is not the active backend. */
function requireWasm(what: string): void {
  if (tf.getBackend() !== 'wasm') {
    throw new TfjsInternalsError(
      what,
      `called while the active backend is ${tf.getBackend()}, not wasm`,
    );
  }
}

/**
 * Exact GELU on the wasm backend in one pass: `{ value: x·Φ(x), cdf: Φ(x) }` for a float32 `x`
 * (Φ the standard normal CDF, to ~1e-7). Keep `cdf` for {@link wasmGeluGrad}. Not differentiable
 * by itself (`@rtk/bert`'s encoder layer has its own backward pass).
 *
 * @throws {@link TfjsInternalsError} when wasm is not the active backend.
 * @example
 * ```ts
 * const { value, cdf } = wasmGelu(tf.tensor1d([-1, 0, 1])); // value ≈ [-0.1587, 0, 0.8413]
 * ```
 */
export function wasmGelu<T extends tf.Tensor>(x: T): { value: T; cdf: T } {
  requireWasm('wasmGelu');
  registerKernels();
  const [value, cdf] = tf.engine().runKernel(GELU_KERNEL, { x }) as unknown as [T, T];
  return { value, cdf };
}

/**
 * GELU's gradient on the wasm backend in one pass: `dy · (Φ(x) + x·φ(x))` from the upstream
 * gradient, the input and the `cdf` that {@link wasmGelu} returned.
 *
 * @throws {@link TfjsInternalsError} when wasm is not the active backend.
 */
export function wasmGeluGrad<T extends tf.Tensor>(dy: T, x: T, cdf: T): T {
  requireWasm('wasmGeluGrad');
  registerKernels();
  return tf.engine().runKernel(GELU_GRAD_KERNEL, { dy, x, cdf }) as unknown as T;
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
  registerKernels();
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
  requireWasm('wasmBatchMatMul');
  registerKernels();
  return tf.engine().runKernel<tf.Tensor3D>(SLICED_BATCH_MAT_MUL, { a, b });
}
