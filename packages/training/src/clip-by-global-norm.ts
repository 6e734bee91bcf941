import * as tf from '@tensorflow/tfjs-core';
import { TrainingOptionError } from './errors.js';
import { globalNorm } from './_global-norm.js';

/**
 * What {@link clipByGlobalNorm} returns; the caller owns every tensor (`tf.dispose(result)` frees
 * them all: a type alias, so it is a `TensorContainer`).
 */
export type ClippedGradients = {
  /** The clipped gradients, under the same names. */
  readonly gradients: tf.NamedTensorMap;
  /** The global norm before clipping, √(Σ_i ‖g_i‖²): log it, or skip a step when it is not finite. */
  readonly norm: tf.Scalar;
};

/**
 * The added constant in the clip coefficient, as in PyTorch's `clip_grad_norm_`: it keeps the
 * coefficient finite when every gradient is 0.
 */
const CLIP_EPS = 1e-6;

/**
 * Global-norm gradient clipping (PyTorch `torch.nn.utils.clip_grad_norm_`, the Hugging Face
 * trainer's `max_grad_norm`, default 1.0): all gradients are scaled by one factor so that their
 * joint L2 norm is at most `maxNorm`.
 *
 * N = √(Σ_i ‖g_i‖²),  g_i ← g_i · min(1, maxNorm / (N + 1e-6))
 *
 * Unlike per-tensor clipping this keeps the update's direction. Runs in one `tidy`; the inputs are
 * neither changed nor disposed. A NaN/Infinity gradient gives a NaN/Infinity `norm` and NaN
 * gradients: check `norm` before stepping if that can happen.
 *
 * Relations: apply it between `tf.variableGrads` and {@link AdamW}'s `applyGradients`.
 *
 * @param gradients - Gradients by variable name (what `tf.variableGrads` returns as `grads`).
 * @param maxNorm - The largest global norm allowed, > 0.
 * @throws {@link TrainingOptionError} when maxNorm is not a finite number > 0.
 *
 * @example
 * ```ts
 * const { gradients, norm } = clipByGlobalNorm({ w: tf.tensor1d([3, 4]) }, 1);
 * norm.print(); // Tensor 5
 * gradients.w.print(); // Tensor [0.6, 0.8]  (scaled by 1 / (5 + 1e-6))
 * ```
 */
export function clipByGlobalNorm(gradients: tf.NamedTensorMap, maxNorm: number): ClippedGradients {
  if (!Number.isFinite(maxNorm) || maxNorm <= 0) {
    throw new TrainingOptionError('clipByGlobalNorm', 'maxNorm', maxNorm, 'a finite number > 0');
  }
  const names = Object.keys(gradients);
  return tf.tidy(() => {
    const norm = globalNorm(gradients);
    const coefficient = tf.minimum(tf.div(maxNorm, tf.add(norm, CLIP_EPS)), 1);
    const clipped: tf.NamedTensorMap = {};
    for (const name of names) clipped[name] = tf.mul(gradients[name] as tf.Tensor, coefficient);
    return { gradients: clipped, norm };
  });
}
