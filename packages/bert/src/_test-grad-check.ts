// Gradient checks of custom-gradient ops against TF.js autodiff (test helper).
import * as tf from '@tensorflow/tfjs-core';

/** Deterministic pseudo-random values in [-1, 1) (a fixed LCG, no global RNG state). */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** An input of a checked op: its shape and the seed of its values. */
export interface InputSpec {
  readonly shape: number[];
  readonly seed: number;
  /** Multiplies the values in [-1, 1) (default 1). */
  readonly scale?: number;
}

/**
 * Value and gradients of sum(op(xs) · upstream) w.r.t. every input, as plain arrays. No
 * `tf.tidy`: every tensor is disposed by hand, so a tensor the op leaves behind stays counted in
 * `tf.memory()` (see the leak check below).
 */
export function valueAndGrads(
  op: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: readonly InputSpec[],
): { value: Float32Array; grads: Float32Array[] } {
  const xs = inputs.map((i) =>
    tf.tensor(
      values(
        i.shape.reduce((a, b) => a * b, 1),
        i.seed,
      ).map((v) => v * (i.scale ?? 1)),
      i.shape,
    ),
  );
  const value = op(...xs);
  const upstream = tf.tensor(values(value.size, 99), value.shape);
  const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(op(...args), upstream)))(xs);
  const out = {
    value: value.dataSync() as Float32Array,
    grads: grads.map((g) => g.dataSync() as Float32Array),
  };
  tf.dispose([...xs, value, upstream, ...grads]);
  return out;
}
