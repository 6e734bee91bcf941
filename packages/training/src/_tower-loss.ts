// The loss of a training step on its towers' embeddings: [queries, passages, ...negatives].
import * as tf from '@tensorflow/tfjs-core';
import { contrastiveLoss, infoNceLoss, tripletLoss } from '@rtk/losses';
import { TrainingBatchError, TrainingOptionError } from './errors.js';
import { TRAIN_LOSSES } from './train-loss.js';
import type {
  ContrastiveTrainLoss,
  InfoNceTrainLoss,
  TrainLoss,
  TrainLossName,
  TripletTrainLoss,
} from './train-loss.js';

/** What {@link LOSS_KEYS} lists for each loss (a named type: Stryker cannot instrument a quoted key inline). */
interface LossKeyLists {
  'info-nce': readonly (keyof InfoNceTrainLoss)[];
  triplet: readonly (keyof TripletTrainLoss)[];
  contrastive: readonly (keyof ContrastiveTrainLoss)[];
}

/** The option keys of each loss; the type checks below fail to compile when one is missing. */
const LOSS_KEYS = {
  'info-nce': ['name', 'scale', 'temperature', 'symmetric', 'checkFinite'],
  triplet: ['name', 'margin', 'distance', 'checkFinite'],
  contrastive: ['name', 'margin', 'checkFinite'],
} as const satisfies LossKeyLists;
type Unlisted<T, N extends TrainLossName> = Exclude<keyof T, (typeof LOSS_KEYS)[N][number]>;
const _allListed: [
  Unlisted<InfoNceTrainLoss, 'info-nce'>,
  Unlisted<TripletTrainLoss, 'triplet'>,
  Unlisted<ContrastiveTrainLoss, 'contrastive'>,
] extends [never, never, never]
  ? true
  : never = true;

/**
 * Checks a loss choice once, at the step's creation: a known name, only that loss's keys, and
 * values the loss accepts. The values are checked by the loss itself, on two dummy rows, so the
 * rules (and their `LossOptionError`s) live in one place.
 */
export function validateTrainLoss(where: string, loss: TrainLoss): void {
  if (typeof loss !== 'object' || loss === null || !TRAIN_LOSSES.includes(loss.name)) {
    throw new TrainingOptionError(
      where,
      'loss.name',
      typeof loss === 'object' && loss !== null ? (loss as { name?: unknown }).name : loss,
      `one of ${TRAIN_LOSSES.join(', ')}`,
    );
  }
  const allowed: readonly string[] = LOSS_KEYS[loss.name];
  for (const key of Object.keys(loss)) {
    if (!allowed.includes(key)) {
      throw new TrainingOptionError(
        where,
        `loss.${key}`,
        (loss as unknown as Record<string, unknown>)[key],
        `no such option for the ${loss.name} loss (its options: ${allowed.slice(1).join(', ')})`,
      );
    }
  }
  tf.tidy(() => {
    const e = tf.eye(2);
    towerLoss(loss, loss.name === 'triplet' ? [e, e, e] : [e, e], [1, 0]);
  });
}

/**
 * Checks that the batch's towers and labels fit the loss: `negatives` towers (0 … k for InfoNCE,
 * exactly 1 for triplet, none for contrastive) and `labels` (contrastive only, one per row).
 */
export function checkTowersForLoss(
  where: string,
  loss: TrainLoss,
  negatives: number,
  labels: ArrayLike<number> | undefined,
  rows: number,
): void {
  const hasLabels = labels !== undefined;
  if (loss.name === 'triplet' && negatives !== 1) {
    throw new TrainingBatchError(
      where,
      'negatives',
      `has ${negatives} towers, the triplet loss needs exactly 1`,
      'Pass negatives: [oneNegativePerQuery], or use the info-nce loss for several negatives.',
    );
  }
  if (loss.name === 'contrastive' && negatives !== 0) {
    throw new TrainingBatchError(
      where,
      'negatives',
      `has ${negatives} towers, the contrastive loss takes none`,
      'Give negative pairs as (query, passage) rows with label 0 instead.',
    );
  }
  if (loss.name === 'contrastive' && !hasLabels) {
    throw new TrainingBatchError(
      where,
      'labels',
      'is missing; the contrastive loss needs one label per pair',
      'Pass labels: 1 for a relevant (query, passage) pair, 0 for an irrelevant one.',
    );
  }
  if (labels !== undefined && labels.length !== rows) {
    throw new TrainingBatchError(
      where,
      'labels',
      `has ${labels.length} values for ${rows} pairs`,
      'Give one label per (query, passage) row.',
    );
  }
  if (loss.name !== 'contrastive' && hasLabels) {
    throw new TrainingBatchError(
      where,
      'labels',
      `is given, but the ${loss.name} loss takes no labels`,
      'Drop labels, or use the contrastive loss for labelled pairs.',
    );
  }
}

/** The loss on the towers' embeddings [queries, passages, ...negatives]; inputs checked before. */
export function towerLoss(
  loss: TrainLoss,
  embeddings: readonly tf.Tensor2D[],
  labels: ArrayLike<number> | undefined,
): tf.Scalar {
  const [q, p, ...negatives] = embeddings as [tf.Tensor2D, tf.Tensor2D, ...tf.Tensor2D[]];
  switch (loss.name) {
    case 'info-nce': {
      const { name: _name, ...options } = loss;
      return infoNceLoss(q, p, { ...options, negatives });
    }
    case 'triplet': {
      const { name: _name, ...options } = loss;
      return tripletLoss(q, p, negatives[0]!, options);
    }
    case 'contrastive': {
      const { name: _name, ...options } = loss;
      return contrastiveLoss(q, p, labels ?? [], options);
    }
  }
}
