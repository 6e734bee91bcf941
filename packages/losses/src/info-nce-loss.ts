import * as tf from '@tensorflow/tfjs-core';
import { cosineMatrix } from './_cosine.js';
import { assertFinite, assertMatrix, assertPositive, assertShape } from './_validate.js';
import { LossOptionError } from './errors.js';

/** Options of {@link infoNceLoss}. */
export interface InfoNceLossOptions {
  /**
   * Extra candidates, each [M_k, D] (M_k ≥ 1): hard negatives, usually [B, D] with row i mined for
   * anchor i (the n-tuple layout: negative_1 … negative_k), but any number of rows: every row of
   * every tensor is a candidate for every anchor, as in sentence-transformers'
   * `MultipleNegativesRankingLoss`, so a batch where only some anchors have a negative passes those
   * negatives as one shorter tensor. Default none.
   */
  readonly negatives?: tf.Tensor2D | readonly tf.Tensor2D[];
  /** s, the factor on the cosine logits, s = 1/τ. Default 20 (τ = 0.05). Give `scale` or `temperature`, not both. */
  readonly scale?: number;
  /** τ, the softmax temperature; s = 1/τ (E5 used τ = 0.01). */
  readonly temperature?: number;
  /** Average the anchor→candidate term with the positive→anchor term (over positives only). Default false. */
  readonly symmetric?: boolean;
  /** Refuse NaN/±Infinity in the embeddings (one value read back per input). Default true. */
  readonly checkFinite?: boolean;
}

const LOSS = 'infoNceLoss';

/**
 * In-batch contrastive loss (InfoNCE; sentence-transformers' `MultipleNegativesRankingLoss`):
 * every anchor's positive competes against the other anchors' positives and all hard negatives.
 *
 * With candidates c_1..c_M = p_1..p_B followed by the rows of every `negatives` tensor (any
 * number of rows each),
 * logit_ij = s · cos(a_i, c_j), cos(x, y) = x·y / (max(‖x‖, ε)·max(‖y‖, ε)), ε = 1e-8:
 *
 * L = (1/B) Σ_i (logsumexp_j logit_ij − logit_ii)
 *
 * and with `symmetric: true`, L = (L + L′)/2 where L′ = (1/B) Σ_j (logsumexp_i s·cos(p_j, a_i) −
 * s·cos(p_j, a_j)) uses the positives only. Duplicate texts in a batch are false negatives: build
 * batches without them. A larger batch means more negatives; accumulating gradients over
 * mini-batches does not (use gradient caching for that).
 *
 * Relations: with B = 1 and one negative it is a soft triplet loss ({@link tripletLoss});
 * unlike {@link contrastiveLoss} it needs positive pairs only.
 *
 * @param anchor - [B, D] anchor (query) embeddings.
 * @param positive - [B, D] embeddings of each anchor's positive.
 * @returns The mean loss, a scalar ≥ 0 (its minimum tends to 0 as the margin between the true pair
 *   and the rest grows).
 * @throws {@link LossShapeError} when an input is not [B, D] with the anchor's B and D.
 * @throws {@link LossValueError} when an input holds NaN or ±Infinity (unless `checkFinite: false`).
 * @throws {@link LossOptionError} for a non-positive scale/temperature, or both given.
 *
 * @example
 * ```ts
 * const a = tf.tensor2d([[1, 0], [0, 1]]);
 * const p = tf.tensor2d([[1, 0], [0, 1]]);
 * infoNceLoss(a, p, { scale: 1 }).print();
 * // each row: logsumexp(1, 0) − 1 = log(1 + e⁻¹) ≈ 0.3133 → Tensor 0.3132617
 * ```
 */
export function infoNceLoss(
  anchor: tf.Tensor2D,
  positive: tf.Tensor2D,
  options: InfoNceLossOptions = {},
): tf.Scalar {
  if (options.scale !== undefined && options.temperature !== undefined) {
    throw new LossOptionError(
      LOSS,
      'temperature',
      options.temperature,
      'undefined when "scale" is given (s = 1/τ)',
    );
  }
  if (options.scale !== undefined) assertPositive(LOSS, 'scale', options.scale);
  if (options.temperature !== undefined) assertPositive(LOSS, 'temperature', options.temperature);
  const scale = options.scale ?? (options.temperature === undefined ? 20 : 1 / options.temperature);
  const negatives =
    options.negatives === undefined
      ? []
      : options.negatives instanceof tf.Tensor
        ? [options.negatives]
        : options.negatives;
  const symmetric = options.symmetric ?? false;

  const [rows, dim] = assertMatrix(LOSS, 'anchor', anchor);
  assertShape(LOSS, 'positive', positive, rows, dim);
  negatives.forEach((n, k) => assertShape(LOSS, `negatives[${k}]`, n, n.shape[0], dim));
  if (options.checkFinite ?? true) {
    assertFinite(LOSS, 'anchor', anchor);
    assertFinite(LOSS, 'positive', positive);
    negatives.forEach((n, k) => assertFinite(LOSS, `negatives[${k}]`, n));
  }

  return tf.tidy(() => {
    const candidates: tf.Tensor2D =
      negatives.length === 0 ? positive : tf.concat([positive, ...negatives], 0);
    const logits = tf.mul<tf.Tensor2D>(cosineMatrix(anchor, candidates), scale);
    // The diagonal is picked with a one-hot mask, not tf.gather: gather's gradient needs
    // UnsortedSegmentSum, which the WASM backend lacks.
    const rowTerm = crossEntropyOnDiagonal(logits, rows);
    if (!symmetric) return rowTerm;
    const positiveLogits: tf.Tensor2D =
      negatives.length === 0 ? logits : tf.slice(logits, [0, 0], [rows, rows]);
    const columnTerm = crossEntropyOnDiagonal(tf.transpose(positiveLogits), rows);
    return tf.div<tf.Scalar>(tf.add(rowTerm, columnTerm), 2);
  });
}

/** mean_i (logsumexp_j logits_ij − logits_ii) for [B, M] logits, M ≥ B. */
function crossEntropyOnDiagonal(logits: tf.Tensor2D, rows: number): tf.Scalar {
  const target = tf.eye(rows, logits.shape[1]);
  return tf.neg(tf.mean<tf.Scalar>(tf.sum(tf.mul(tf.logSoftmax(logits), target), -1)));
}
