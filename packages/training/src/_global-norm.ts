import * as tf from '@tensorflow/tfjs-core';

/**
 * N = √(Σ_i ‖g_i‖²) over every gradient of the map (0 for an empty map): the norm PyTorch's
 * `clip_grad_norm_` returns. Call inside a `tidy`; the inputs are neither changed nor disposed.
 */
export function globalNorm(gradients: tf.NamedTensorMap): tf.Scalar {
  const squares = Object.values(gradients).map((g) => tf.sum(tf.square(g)));
  return tf.sqrt(squares.length === 0 ? tf.scalar(0) : tf.addN(squares)) as tf.Scalar;
}
