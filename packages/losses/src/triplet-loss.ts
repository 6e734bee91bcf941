import * as tf from '@tensorflow/tfjs-core';
import { rowCosine } from './_cosine.js';
import { rowNorm } from './_norm.js';
import { assertFinite, assertMatrix, assertNonNegative, assertShape } from './_validate.js';
import { LossOptionError } from './errors.js';

/** The distances {@link tripletLoss} accepts; the constant validates the option. */
export const TRIPLET_DISTANCES: readonly ['cosine', 'euclidean', 'manhattan'] = [
  'cosine',
  'euclidean',
  'manhattan',
];

/** A distance name accepted by {@link tripletLoss}. */
export type TripletDistance = (typeof TRIPLET_DISTANCES)[number];

/** Options of {@link tripletLoss}. */
export interface TripletLossOptions {
  /**
   * d(x, y): `"cosine"` = 1 − cos(x, y) (range [0, 2]), `"euclidean"` = ‖x − y‖₂,
   * `"manhattan"` = ‖x − y‖₁. Default `"cosine"`.
   */
  readonly distance?: TripletDistance;
  /**
   * The margin m ≥ 0. Default 0.5. Pick it for the distance: cosine 0.1–0.5, Euclidean on unit
   * vectors 0.2–1.0. (sentence-transformers' default, Euclidean with m = 5, keeps the hinge always
   * active on unit vectors, so the loss degenerates to a linear objective.)
   */
  readonly margin?: number;
  /** Refuse NaN/±Infinity in the inputs (one value read back per input). Default true. */
  readonly checkFinite?: boolean;
}

const LOSS = 'tripletLoss';

/**
 * Triplet margin loss over a batch of (anchor, positive, negative) embeddings.
 *
 * L = (1/B) Σ_i max(0, d(a_i, p_i) − d(a_i, n_i) + m)
 *
 * with cos(x, y) = x·y / (max(‖x‖, ε)·max(‖y‖, ε)), ε = 1e-8, for the cosine distance. The
 * embeddings need not be normalised; the Euclidean and Manhattan distances are taken as given.
 * Differentiable in all three inputs (use inside `tf.grads` / `optimizer.minimize`); the gradient
 * of ‖x − y‖₂ at x = y is 0, as in PyTorch.
 *
 * Relations: {@link contrastiveLoss} scores labelled pairs instead of triplets;
 * {@link infoNceLoss} uses every other positive in the batch as a negative, which usually trains
 * better per step when batches are large.
 *
 * @param anchor - [B, D] anchor (query) embeddings.
 * @param positive - [B, D] embeddings of each anchor's positive.
 * @param negative - [B, D] embeddings of each anchor's negative.
 * @returns The mean loss, a scalar ≥ 0.
 * @throws {@link LossShapeError} when an input is not [B, D] with the anchor's B and D.
 * @throws {@link LossValueError} when an input holds NaN or ±Infinity (unless `checkFinite: false`).
 * @throws {@link LossOptionError} for an unknown distance or a negative/non-finite margin.
 *
 * @example
 * ```ts
 * const a = tf.tensor2d([[1, 0], [0, 1]]);
 * const p = tf.tensor2d([[1, 0], [1, 1]]);
 * const n = tf.tensor2d([[0, 1], [0, 1]]);
 * tripletLoss(a, p, n, { distance: 'cosine', margin: 0.5 }).print();
 * // row 0: max(0, 0 − 1 + 0.5) = 0; row 1: max(0, (1 − 1/√2) − 0 + 0.5) ≈ 0.7929
 * // → Tensor 0.3964466
 * ```
 */
export function tripletLoss(
  anchor: tf.Tensor2D,
  positive: tf.Tensor2D,
  negative: tf.Tensor2D,
  options: TripletLossOptions = {},
): tf.Scalar {
  const distance = options.distance ?? 'cosine';
  const margin = options.margin ?? 0.5;
  if (!TRIPLET_DISTANCES.includes(distance)) {
    throw new LossOptionError(LOSS, 'distance', distance, `one of ${TRIPLET_DISTANCES.join(', ')}`);
  }
  assertNonNegative(LOSS, 'margin', margin);
  const [rows, dim] = assertMatrix(LOSS, 'anchor', anchor);
  assertShape(LOSS, 'positive', positive, rows, dim);
  assertShape(LOSS, 'negative', negative, rows, dim);
  if (options.checkFinite ?? true) {
    assertFinite(LOSS, 'anchor', anchor);
    assertFinite(LOSS, 'positive', positive);
    assertFinite(LOSS, 'negative', negative);
  }
  return tf.tidy(() => {
    const d = (x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D => {
      switch (distance) {
        case 'cosine':
          return tf.sub(1, rowCosine(x, y));
        case 'euclidean':
          return rowNorm(tf.sub(x, y));
        case 'manhattan':
          return tf.sum(tf.abs(tf.sub(x, y)), -1);
      }
    };
    return tf.mean(tf.relu(tf.add(tf.sub(d(anchor, positive), d(anchor, negative)), margin)));
  });
}
