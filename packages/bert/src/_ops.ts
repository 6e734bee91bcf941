// Differentiable building blocks of the trainable BERT with hand-written gradients, shaped for
// the WASM backend (retrieval-notes §9): no matMul transpose flags anywhere (they are 6–25× slower
// on wasm than an explicit transpose followed by a plain matMul), no UnsortedSegmentSum (the
// wasm backend lacks the kernel tf.gather's gradient needs), fewer kernels per LayerNorm/GELU.
// Internal: not exported from the package; _ops.test.ts checks every gradient against autodiff.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { activeWasmModule, checkWasmAllocations } from '../_wasm-threads.js';

/** Swap the last two axes of a rank-2, -3 or -4 tensor (an explicit copy, never a flag). */
function swapLast<T extends tf.Tensor>(x: T): T {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  perm[r - 1] = r - 2;
  perm[r - 2] = r - 1;
  return tf.transpose(x, perm);
}

/**
 * Column sums of `x` [N, C] as `ones[1, N] · x` → [C]. wasm's Sum over axis 0 first transposes
 * its input; the matMul runs on XNNPACK without a copy.
 */
function sumRows(x: tf.Tensor): tf.Tensor1D {
  const [n, c] = x.shape as [number, number];
  return tf.reshape(tf.matMul(tf.ones([1, n]), x as tf.Tensor2D), [c]);
}

/**
 * `gradFunc` run inside its own `tf.tidy`: the engine keeps whatever a gradient function leaves
 * until the whole backward pass ends, so each gradient here frees its temporaries at once.
 */
function tidyGradient<G extends tf.Tensor | tf.Tensor[]>(
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => G,
): (dy: tf.Tensor, saved: tf.Tensor[]) => G {
  return (dy, saved) => tf.tidy(() => gradFunc(dy, saved));
}

/**
 * `x · w + b` for `x` [N, in], `w` [in, out] (the PyTorch weight already transposed), `b` [out].
 * Forward is one fused matMul+bias kernel; backward is `dx = dy · wᵀ`, `dw = xᵀ · dy`,
 * `db = Σ dy` with explicit transposes (and the sum as a matMul).
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, wi, bi, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([xi, wi]);
    return {
      value: tf.fused.matMul({ a: xi, b: wi, bias: bi }),
      gradFunc: tidyGradient((dy, saved) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [tf.matMul(dy, swapLast(ws)), tf.matMul(swapLast(xs), dy), sumRows(dy)];
      }),
    };
  });
  return op(x, w, b) as tf.Tensor2D;
}

/** Name of the wasm kernel behind {@link batchedProduct}; registered once at module load. */
const SLICED_BATCH_MAT_MUL = 'RtkSlicedBatchMatMul';

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
  const backend = args.backend as BackendWasm;
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
    const product = matMul({ inputs: { a: aSlice, b: bSlice }, backend, attrs }) as tf.TensorInfo;
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(product), s * m * n);
    backend.disposeData(bSlice.dataId);
    backend.disposeData(product.dataId);
  }
  backend.disposeData(aSlice.dataId);
  return out;
}

if (tf.getKernel(SLICED_BATCH_MAT_MUL, 'wasm') === undefined) {
  tf.registerKernel({
    kernelName: SLICED_BATCH_MAT_MUL,
    backendName: 'wasm',
    kernelFunc: slicedBatchMatMul,
  });
}

/**
 * wasm's Identity kernel copies its input into a new heap buffer. The engine runs it on every
 * tensor a gradient function saves for the backward pass (`save([...])` clones), so on wasm
 * each saved activation existed twice: about half of the training step's heap and ~3 % of its
 * time. Tensors are immutable and the wasm backend already shares buffers by reference count
 * (its Reshape does), so this Identity shares too, as the cpu backend's does.
 */
function sharedIdentity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: tf.TensorInfo };
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Prepare the wasm backend for training, once it is the active backend (cheap after the first
 * call; nothing on other backends): {@link sharedIdentity} in place of wasm's copying Identity
 * kernel (only when that is the package's own kernel), and allocations that fail with
 * `WasmOutOfMemoryError` instead of corrupting the heap (`checkWasmAllocations`). Called by
 * every forward pass, so it also applies when the application set the backend itself.
 */
export function prepareWasmBackend(): void {
  if (tf.getBackend() !== 'wasm') return;
  checkWasmAllocations(activeWasmModule());
  const current = tf.getKernel(tf.Identity, 'wasm');
  if (current === undefined || current.kernelFunc === sharedIdentity) return;
  if (current.kernelFunc.name !== 'identity') return;
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({ kernelName: tf.Identity, backendName: 'wasm', kernelFunc: sharedIdentity });
}

/**
 * `a` [..., m, k] · `b` [..., k, n] (equal batch dimensions, float32). On wasm with more than
 * one product it runs {@link slicedBatchMatMul}; elsewhere (and for a single product, which
 * wasm already sends to XNNPACK) it is tf.matMul.
 */
function batchedProduct(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const r = a.rank;
  const [m, k] = a.shape.slice(r - 2) as [number, number];
  const n = b.shape[r - 1]!;
  const batch = a.size / (m * k);
  if (tf.getBackend() !== 'wasm' || batch === 1 || a.dtype !== 'float32') {
    return tf.matMul(a, b);
  }
  return tf.tidy(() => {
    const a3 = tf.reshape(a, [batch, m, k]);
    const b3 = tf.reshape(b, [batch, k, n]);
    const product = tf.engine().runKernel<tf.Tensor>(SLICED_BATCH_MAT_MUL, { a: a3, b: b3 });
    return tf.reshape(product, [...a.shape.slice(0, r - 2), m, n]);
  });
}

/**
 * Batched `a · b` for `a` [..., m, k], `b` [..., k, n] with equal batch dimensions; backward
 * `da = dy · bᵀ`, `db = aᵀ · dy` with explicit transposes. On wasm all three products run
 * slice by slice on XNNPACK (see {@link slicedBatchMatMul}).
 */
export function batchMatMul<T extends tf.Tensor3D | tf.Tensor4D>(a: T, b: T): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [ai, bi, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([ai, bi]);
    return {
      value: batchedProduct(ai, bi),
      gradFunc: tidyGradient((dy, saved) => {
        const [as, bs] = saved as [T, T];
        return [batchedProduct(dy, swapLast(bs)), batchedProduct(swapLast(as), dy)];
      }),
    };
  });
  return op(a, b) as T;
}

/**
 * Rows `ids` of `table` [V, H] → [N, H]. Gradient: `scatterND(ids, dy, [V, H])`, which sums
 * the rows of repeated ids and exists on every backend (tf.gather's own gradient needs
 * UnsortedSegmentSum, missing on wasm). The gradient is dense [V, H], like PyTorch's default.
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const [vocab, width] = table.shape;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([ids]);
    return {
      value: tf.gather(t, ids),
      gradFunc: tidyGradient((dy, saved) => {
        const [idsSaved] = saved as [tf.Tensor1D];
        return tf.scatterND(tf.expandDims(idsSaved, 1), dy, [vocab, width]);
      }),
    };
  });
  return op(table) as tf.Tensor2D;
}

/**
 * LayerNorm over the last axis of `x` [N, H]: `(x − μ) / √(σ² + eps) · gamma + beta`, σ² the
 * biased variance (PyTorch). Backward in closed form:
 * `dx = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂))` with `ĝ = dy · gamma`, `r = 1/√(σ² + eps)`.
 */
export function layerNorm(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  eps: number,
): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const mean = tf.mean(xi, -1, true);
    const centred = tf.sub(xi, mean);
    const variance = tf.mean(tf.square(centred), -1, true);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(centred, rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: tidyGradient((dy, saved) => {
        const [xh, r, gs] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const gh = tf.mul(dy, gs);
        const dx = tf.mul(
          r,
          tf.sub(tf.sub(gh, tf.mean(gh, -1, true)), tf.mul(xh, tf.mean(tf.mul(gh, xh), -1, true))),
        );
        return [dx, sumRows(tf.mul(dy, xh)), sumRows(dy)];
      }),
    };
  });
  return op(x, gamma, beta) as tf.Tensor2D;
}

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Exact GELU, `x · Φ(x) = 0.5 · x · (1 + erf(x / √2))` (PyTorch's default, BERT's `gelu`).
 * Backward `dy · (Φ(x) + x · φ(x))`, φ the standard normal density.
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const cdf = tf.mul(tf.add(tf.erf(tf.mul(xi, INV_SQRT2)), 1), 0.5);
    save([xi, cdf]);
    return {
      value: tf.mul(xi, cdf),
      gradFunc: tidyGradient((dy, saved) => {
        const [xs, c] = saved as [tf.Tensor, tf.Tensor];
        const pdf = tf.mul(tf.exp(tf.mul(tf.square(xs), -0.5)), INV_SQRT_2PI);
        return tf.mul(dy, tf.add(c, tf.mul(xs, pdf)));
      }),
    };
  });
  return op(x) as T;
}
