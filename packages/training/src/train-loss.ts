import type { ContrastiveLossOptions, InfoNceLossOptions, TripletLossOptions } from '@rtk/losses';

/** The losses a training step can use, by name; the constant validates the option. */
export const TRAIN_LOSSES: readonly ['info-nce', 'triplet', 'contrastive'] = [
  'info-nce',
  'triplet',
  'contrastive',
];

/** A loss name accepted by `createTrainStep`. */
export type TrainLossName = (typeof TRAIN_LOSSES)[number];

/**
 * In-batch InfoNCE (sentence-transformers' `MultipleNegativesRankingLoss`), `infoNceLoss` of
 * `@rtk/losses`: each query against every passage of the batch and every hard negative. Takes any
 * number of negatives towers (0 … k); `scale` (default 20) or `temperature`, `symmetric`.
 */
export interface InfoNceTrainLoss extends Omit<InfoNceLossOptions, 'negatives'> {
  readonly name: 'info-nce';
}

/**
 * Triplet margin loss, `tripletLoss` of `@rtk/losses`: (query, passage, negative) with `margin`
 * (default 0.5) and `distance` (default cosine). Needs exactly one negatives tower.
 */
export interface TripletTrainLoss extends TripletLossOptions {
  readonly name: 'triplet';
}

/**
 * Pairwise contrastive loss, `contrastiveLoss` of `@rtk/losses`: (query, passage) pairs labelled
 * 1 (relevant) or 0 (not), pushed apart beyond `margin` (default 0.5) when 0. Needs `labels` in the
 * batch and no negatives.
 */
export interface ContrastiveTrainLoss extends ContrastiveLossOptions {
  readonly name: 'contrastive';
}

/** The loss of a training step: a name and that loss's options. */
export type TrainLoss = InfoNceTrainLoss | TripletTrainLoss | ContrastiveTrainLoss;
