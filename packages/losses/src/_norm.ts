// Row-wise Euclidean norm with a gradient that is 0 (not NaN) at the zero vector, as PyTorch's
// `norm` backward does. tfjs's sqrt(sum(x²)) would give 0·∞ = NaN there, and identical anchor and
// positive rows (norm of a − p = 0) are ordinary in retrieval batches.
import * as tf from '@tensorflow/tfjs-core';

const rowNormOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  // tidy: the forward may keep only its output alive (tfjs checks kernels for leaked data ids).
  const n = tf.tidy(() => tf.sqrt(tf.sum(tf.square(x), -1)));
  save([x, n]);
  return {
    value: n,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ns] = saved as [tf.Tensor2D, tf.Tensor1D];
      const upstream = dy as tf.Tensor1D;
      const positive = tf.greater(ns, 0);
      const scale = tf.where(
        positive,
        tf.div(upstream, tf.where(positive, ns, tf.onesLike(ns))),
        tf.zerosLike(ns),
      );
      return [tf.mul(xs, tf.expandDims(scale, 1))];
    },
  };
});

/** ‖x_i‖₂ for every row of `x` ([B, D] → [B]); d‖x‖/dx = x/‖x‖, and 0 at x = 0. */
export function rowNorm(x: tf.Tensor2D): tf.Tensor1D {
  return rowNormOp(x) as tf.Tensor1D;
}
