import * as tf from '@tensorflow/tfjs-core';
import { engineTapeState } from './_internals.js';

/**
 * `tf.grads(f)(xs, dy)` that may run inside another backward pass, as gradient checkpointing
 * does (a custom gradient recomputes its layer and differentiates it). tfjs-core 4.22's
 * `engine.gradients` replaces the engine's active tape and leaves it null when done, which breaks
 * the outer pass's clean-up; this puts the outer tape back.
 *
 * @example
 * ```ts
 * gradFunc: (dy, [x]) => nestedGrads((xx) => layer(xx), [x, ...weights], dy)
 * ```
 */
export function nestedGrads(
  f: (...args: tf.Tensor[]) => tf.Tensor,
  xs: tf.Tensor[],
  dy: tf.Tensor,
): tf.Tensor[] {
  const state = engineTapeState();
  const outerTape = state.activeTape;
  try {
    return tf.grads(f)(xs, dy);
  } finally {
    state.activeTape = outerTape;
  }
}
