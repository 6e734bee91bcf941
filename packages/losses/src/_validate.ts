// Input checks shared by the losses. Validation happens once at each loss's public entry;
// the math below it (`_cosine.ts`, `_norm.ts`) trusts its inputs.
import * as tf from '@tensorflow/tfjs-core';
import { LossOptionError, LossShapeError, LossValueError } from './errors.js';

/** Throws unless `t` is a non-empty rank-2 float tensor; returns its [rows, dim]. */
export function assertMatrix(loss: string, argument: string, t: tf.Tensor): [number, number] {
  if (t.rank !== 2 || t.shape[0] === 0 || t.shape[1] === 0) {
    throw new LossShapeError(loss, argument, 'a non-empty tf.Tensor2D [batch, dim]', t.shape);
  }
  if (t.dtype !== 'float32') {
    throw new LossValueError(
      loss,
      argument,
      `has dtype ${t.dtype}`,
      'Pass float32 embeddings (tf.cast(x, "float32")).',
    );
  }
  return [t.shape[0] ?? 0, t.shape[1] ?? 0];
}

/** Throws unless `t` has exactly the shape `[rows, dim]`. */
export function assertShape(
  loss: string,
  argument: string,
  t: tf.Tensor,
  rows: number,
  dim: number,
): void {
  assertMatrix(loss, argument, t);
  if (t.shape[0] !== rows || t.shape[1] !== dim) {
    throw new LossShapeError(
      loss,
      argument,
      `[${rows}, ${dim}] (the shape of the first argument)`,
      t.shape,
    );
  }
}

/**
 * Throws unless every value of `t` is finite. Reads one boolean back from the backend (a sync
 * point), which is why the losses let callers switch it off with `checkFinite: false`.
 */
export function assertFinite(loss: string, argument: string, t: tf.Tensor): void {
  const ok = tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0]);
  if (ok !== 1) {
    throw new LossValueError(
      loss,
      argument,
      'contains NaN or Infinity',
      'Check the encoder output (a diverged step, a too-high learning rate, or bad input ids); ' +
        'the loss refuses it because every gradient would become NaN.',
    );
  }
}

/** Throws unless `value` is a finite number ≥ 0. */
export function assertNonNegative(loss: string, option: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new LossOptionError(loss, option, value, 'a finite number ≥ 0');
  }
}

/** Throws unless `value` is a finite number > 0. */
export function assertPositive(loss: string, option: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new LossOptionError(loss, option, value, 'a finite number > 0');
  }
}
