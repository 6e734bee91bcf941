/**
 * The study's published figures on Natural Questions, printed beside ours. They are the
 * reference the bench reproduces, never a stand-in for a computed value: every table labels them
 * as the study's. Where the study did not publish a number (R@3 and R@10 of the fine-tuning
 * runs), it is absent, not guessed.
 */
import type { HeadlineMetrics } from './markdown.js';

/** A published row: some of the headline metrics at one step count (0 = Initial). */
export interface PublishedCheckpoint {
  readonly step: number;
  readonly metrics: Partial<HeadlineMetrics>;
}

/** E5 zero-shot (task 3), the Initial column of every fine-tuning table. */
export const STUDY_ZERO_SHOT: HeadlineMetrics = {
  'Recall@1': 0.5978,
  'Recall@3': 0.7999,
  'Recall@10': 0.9069,
  MRR: 0.7117,
};

/** Task 4, triplet loss with random negatives: Initial / 50 / 100 / 150 steps. */
export const STUDY_TRIPLET_RANDOM: readonly PublishedCheckpoint[] = [
  { step: 0, metrics: STUDY_ZERO_SHOT },
  { step: 50, metrics: { 'Recall@1': 0.5958, MRR: 0.7102 } },
  { step: 100, metrics: { 'Recall@1': 0.5898, MRR: 0.7035 } },
  { step: 150, metrics: { 'Recall@1': 0.5777, MRR: 0.6916 } },
];

/** Task 4, contrastive (in-batch) loss: Initial / 150 / 300 / 450 / 600 steps. */
export const STUDY_CONTRASTIVE: readonly PublishedCheckpoint[] = [
  { step: 0, metrics: STUDY_ZERO_SHOT },
  { step: 150, metrics: { 'Recall@1': 0.6078, MRR: 0.7211 } },
  { step: 300, metrics: { 'Recall@1': 0.6181, MRR: 0.7312 } },
  { step: 450, metrics: { 'Recall@1': 0.6143, MRR: 0.7287 } },
  { step: 600, metrics: { 'Recall@1': 0.5943, MRR: 0.7083 } },
];

/** The study's step grids: triplet (both negative kinds) and contrastive. */
export const STUDY_TRIPLET_STEPS: readonly number[] = [50, 100, 150];
export const STUDY_CONTRASTIVE_STEPS: readonly number[] = [150, 300, 450, 600];
