// a · bᵀ without transposed matmuls, forward or backward. tfjs's own matMul gradient calls matMul
// with transposeA/transposeB flags, which the WASM backend runs 10–25× slower than an explicit
// transpose followed by a plain matmul (tfjs-backend-wasm's `src/cc/batch_mat_mul_impl.cc` uses
// XNNPACK only without transpose flags; figures in docs/benchmarks.md). For S = A·Bᵀ:
// dA = dS·B and dB = dSᵀ·A — two plain matmuls and one transpose.
import * as tf from '@tensorflow/tfjs-core';

const matMulNTOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.tidy(() => tf.matMul(a, tf.transpose(b))),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [as, bs] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, bs), tf.matMul(tf.transpose(g), as)];
    },
  };
});

/** `a · bᵀ` for a [M, D] and b [N, D] → [M, N]. */
export function matMulNT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return matMulNTOp(a, b) as tf.Tensor2D;
}
