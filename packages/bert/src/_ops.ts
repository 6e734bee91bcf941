// Differentiable building blocks of the trainable BERT with hand-written gradients, shaped for
// the WASM backend (see the README's "Design for the wasm backend" and tfjs-backend-wasm's
// `src/cc/batch_mat_mul_impl.cc`): no matMul transpose flags anywhere (they are 6–25× slower
// on wasm than an explicit transpose followed by a plain matMul), no UnsortedSegmentSum (the
// wasm backend lacks the kernel tf.gather's gradient needs), fewer kernels per LayerNorm. The
// encoder layers use the pieces below through `_layer.ts` (one op per layer).
// Internal: not exported from the package; _ops.test.ts checks every gradient against autodiff.
import * as tf from '@tensorflow/tfjs-core';
import { wasmBatchMatMul } from '@rtk/tfjs';

/** Swap the last two axes of a rank-2, -3 or -4 tensor (an explicit copy, never a flag). */
export function swapLast<T extends tf.Tensor>(x: T): T {
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
export function sumRows(x: tf.Tensor): tf.Tensor1D {
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
 * `a` [..., m, k] · `b` [..., k, n] (equal batch dimensions, float32). On wasm with more than
 * one product it runs `@rtk/tfjs`' `wasmBatchMatMul` (each product on XNNPACK; wasm's own
 * batched matmul is a scalar loop); elsewhere (and for a single product, which wasm already
 * sends to XNNPACK) it is tf.matMul.
 */
export function batchedProduct(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
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
    const [xi, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const { xhat, rstd } = normalise(xi, eps);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: tidyGradient((dy, saved) => {
        const [xh, r, gs] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        return [layerNormBackward(dy, xh, r, gs), sumRows(tf.mul(dy, xh)), sumRows(dy)];
      }),
    };
  });
  return op(x, gamma, beta) as tf.Tensor2D;
}

/** `x̂ = (x − μ) / √(σ² + eps)` over the last axis of `x` [N, H] and `r = 1/√(σ² + eps)` [N, 1]. */
export function normalise(x: tf.Tensor2D, eps: number): { xhat: tf.Tensor2D; rstd: tf.Tensor2D } {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), eps)) as tf.Tensor2D;
  return { xhat: tf.mul<tf.Tensor2D>(centred, rstd), rstd };
}

/** LayerNorm's input gradient: `r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂))` with `ĝ = dy · gamma`. */
export function layerNormBackward(
  dy: tf.Tensor,
  xhat: tf.Tensor2D,
  rstd: tf.Tensor2D,
  gamma: tf.Tensor1D,
): tf.Tensor2D {
  const gh = tf.mul(dy, gamma);
  return tf.mul<tf.Tensor2D>(
    rstd,
    tf.sub(tf.sub(gh, tf.mean(gh, -1, true)), tf.mul(xhat, tf.mean(tf.mul(gh, xhat), -1, true))),
  );
}
