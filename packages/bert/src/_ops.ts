// Differentiable building blocks of the trainable BERT with hand-written gradients, shaped for
// the WASM backend (see the README's "Design for the wasm backend" and tfjs-backend-wasm's
// `src/cc/batch_mat_mul_impl.cc`): no matMul transpose flags anywhere (they are 6–25× slower
// on wasm than an explicit transpose followed by a plain matMul), no UnsortedSegmentSum (the
// wasm backend lacks the kernel tf.gather's gradient needs), fewer kernels per LayerNorm/GELU.
// Internal: not exported from the package; _ops.test.ts checks every gradient against autodiff.
import * as tf from '@tensorflow/tfjs-core';
import { wasmBatchMatMul } from '@rtk/tfjs';

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

/**
 * `a` [..., m, k] · `b` [..., k, n] (equal batch dimensions, float32). On wasm with more than
 * one product it runs `@rtk/tfjs`' `wasmBatchMatMul` (each product on XNNPACK; wasm's own
 * batched matmul is a scalar loop); elsewhere (and for a single product, which wasm already
 * sends to XNNPACK) it is tf.matMul.
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
    const product = wasmBatchMatMul(a3 as tf.Tensor3D, b3 as tf.Tensor3D);
    return tf.reshape(product, [...a.shape.slice(0, r - 2), m, n]);
  });
}

/**
 * Batched `a · b` for `a` [..., m, k], `b` [..., k, n] with equal batch dimensions; backward
 * `da = dy · bᵀ`, `db = aᵀ · dy` with explicit transposes. On wasm all three products run
 * slice by slice on XNNPACK (`wasmBatchMatMul` of `@rtk/tfjs`).
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
