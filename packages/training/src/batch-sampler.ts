import { mulberry32, shuffled } from '@rtk/datasets';
import type { TrainingExample } from './training-examples.js';

/** How {@link epochBatches} groups examples: seeded shuffle, optionally without duplicates. */
export type BatchSamplerName = 'shuffle' | 'no-duplicates';

/** The valid {@link BatchSamplerName}s. */
export const BATCH_SAMPLERS: readonly BatchSamplerName[] = ['shuffle', 'no-duplicates'];

/** Options of {@link epochBatches}. */
export interface EpochBatchesOptions {
  readonly batchSize: number;
  /** The run's seed; epoch e shuffles with mulberry32(seed + e). */
  readonly seed: number;
  /** The epoch, from 0. */
  readonly epoch: number;
  readonly sampler: BatchSamplerName;
  /** Texts of an example compared by the no-duplicates sampler. Default: all of them. */
  readonly textsOf?: (example: TrainingExample) => readonly string[];
}

/**
 * The batches of one epoch, as example indices: a seeded permutation (mulberry32(seed + epoch),
 * Fisher–Yates), cut into batches of `batchSize`; the last batch may be smaller (as
 * sentence-transformers, which keeps it: `dataloader_drop_last` is false by default).
 *
 * `no-duplicates` is sentence-transformers' `NoDuplicatesBatchSampler`: each batch is filled by
 * walking the not-yet-used examples in permuted order and taking every example none of whose
 * texts is already in the batch; an example that conflicts is deferred to a later batch (never
 * dropped), and a batch that cannot be filled is yielded as it is. So with in-batch negatives
 * no text is ever its own negative. Every example appears exactly once per epoch.
 *
 * @example
 * ```ts
 * epochBatches(examples, { batchSize: 2, seed: 42, epoch: 0, sampler: 'no-duplicates' });
 * // [[3, 0], [1, 4], [2]]
 * ```
 */
export function epochBatches(
  examples: readonly TrainingExample[],
  options: EpochBatchesOptions,
): number[][] {
  const random = mulberry32((options.seed + options.epoch) >>> 0);
  const order = shuffled(
    examples.map((_, i) => i),
    random,
  );
  const { batchSize } = options;
  const batches: number[][] = [];
  if (options.sampler === 'shuffle') {
    for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
    return batches;
  }
  const textsOf = options.textsOf ?? ((e) => [e.query, e.positive, ...e.negatives]);
  let remaining = order;
  while (remaining.length > 0) {
    const seen = new Set<string>();
    const batch: number[] = [];
    const taken = new Set<number>();
    for (const index of remaining) {
      const texts = textsOf(examples[index]!);
      if (texts.some((t) => seen.has(t))) continue;
      batch.push(index);
      taken.add(index);
      if (batch.length === batchSize) break;
      for (const t of texts) seen.add(t);
    }
    batches.push(batch);
    remaining = remaining.filter((i) => !taken.has(i));
  }
  return batches;
}
