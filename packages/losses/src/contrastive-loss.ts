import * as tf from '@tensorflow/tfjs-core';
import { rowCosine } from './_cosine.js';
import { assertFinite, assertMatrix, assertNonNegative, assertShape } from './_validate.js';
import { LossShapeError, LossValueError } from './errors.js';

/** Options of {@link contrastiveLoss}. */
export interface ContrastiveLossOptions {
  /** The margin m ≥ 0 that negative pairs are pushed beyond (in cosine distance, [0, 2]). Default 0.5. */
  readonly margin?: number;
  /** Refuse NaN/±Infinity in the embeddings (one value read back per input). Default true. */
  readonly checkFinite?: boolean;
}

const LOSS = 'contrastiveLoss';

/**
 * Pairwise contrastive loss on labelled pairs (Hadsell et al. 2006, as sentence-transformers'
 * `ContrastiveLoss` with cosine distance).
 *
 * L = (1/B) Σ_i ½ · (y_i · d_i² + (1 − y_i) · max(0, m − d_i)²),  d_i = 1 − cos(x_i, z_i)
 *
 * with cos(x, y) = x·y / (max(‖x‖, ε)·max(‖y‖, ε)), ε = 1e-8. Positive pairs (y = 1) are pulled
 * together; negative pairs (y = 0) are pushed apart until their distance reaches m.
 *
 * Relations: {@link tripletLoss} compares a positive and a negative of the same anchor instead
 * of scoring pairs in isolation; {@link infoNceLoss} needs no labels, only positive pairs.
 *
 * @param left - [B, D] embeddings of the first text of each pair.
 * @param right - [B, D] embeddings of the second text of each pair.
 * @param labels - B labels, 1 for a positive pair and 0 for a negative pair (a tf.Tensor1D or numbers).
 * @returns The mean loss, a scalar ≥ 0.
 * @throws {@link LossShapeError} when shapes disagree or the label count is not B.
 * @throws {@link LossValueError} for a label other than 0/1, or NaN/±Infinity in the embeddings.
 * @throws {@link LossOptionError} for a negative or non-finite margin.
 *
 * @example
 * ```ts
 * const x = tf.tensor2d([[1, 0], [1, 0]]);
 * const z = tf.tensor2d([[0, 1], [1, 1]]);
 * contrastiveLoss(x, z, [1, 0], { margin: 0.5 }).print();
 * // pair 0 (y=1): ½·1² = 0.5; pair 1 (y=0): d = 1 − 1/√2 ≈ 0.2929, ½·(0.5 − 0.2929)² ≈ 0.02145
 * // → Tensor 0.2607233
 * ```
 */
export function contrastiveLoss(
  left: tf.Tensor2D,
  right: tf.Tensor2D,
  labels: tf.Tensor1D | ArrayLike<number>,
  options: ContrastiveLossOptions = {},
): tf.Scalar {
  const margin = options.margin ?? 0.5;
  assertNonNegative(LOSS, 'margin', margin);
  const [rows, dim] = assertMatrix(LOSS, 'left', left);
  assertShape(LOSS, 'right', right, rows, dim);
  const labelValues = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  if (
    labels instanceof tf.Tensor ? labels.rank !== 1 || labels.size !== rows : labels.length !== rows
  ) {
    throw new LossShapeError(
      LOSS,
      'labels',
      `${rows} labels (one per pair)`,
      labels instanceof tf.Tensor ? labels.shape : [labels.length],
    );
  }
  for (let i = 0; i < labelValues.length; i++) {
    const y = labelValues[i];
    if (y !== 0 && y !== 1) {
      throw new LossValueError(
        LOSS,
        'labels',
        `has ${String(y)} at index ${i}`,
        'Labels must be 1 (positive pair) or 0 (negative pair).',
      );
    }
  }
  if (options.checkFinite ?? true) {
    assertFinite(LOSS, 'left', left);
    assertFinite(LOSS, 'right', right);
  }
  return tf.tidy(() => {
    const y = tf.tensor1d(Float32Array.from(labelValues));
    const d = tf.sub(1, rowCosine(left, right));
    const pull = tf.mul(y, tf.square(d));
    const push = tf.mul(tf.sub(1, y), tf.square(tf.relu(tf.sub(margin, d))));
    return tf.mean(tf.mul(0.5, tf.add(pull, push)));
  });
}
