import { mulberry32, shuffled } from '@rtk/datasets';
import { describe, expect, it } from 'vitest';
import { epochBatches } from './batch-sampler.js';
import type { TrainingExample } from './training-examples.js';

const ex = (query: string, positive: string, ...negatives: string[]): TrainingExample => ({
  query,
  positive,
  negatives,
});

// Ten examples; 0–3 share one positive, 4 and 5 share a negative, 6's query is 7's positive.
const EXAMPLES: TrainingExample[] = [
  ex('q0', 'shared'),
  ex('q1', 'shared'),
  ex('q2', 'shared'),
  ex('q3', 'shared'),
  ex('q4', 'p4', 'n'),
  ex('q5', 'p5', 'n'),
  ex('q6', 'p6'),
  ex('q7', 'q6'),
  ex('q8', 'p8'),
  ex('q9', 'p9'),
];

describe('epochBatches', () => {
  it('no-duplicates: every example once per epoch, no text twice in a batch, conflicts deferred', () => {
    for (let epoch = 0; epoch < 5; epoch++) {
      const batches = epochBatches(EXAMPLES, {
        batchSize: 4,
        seed: 42,
        epoch,
        sampler: 'no-duplicates',
      });
      expect(batches.flat().sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
      for (const b of batches) {
        const texts = b.flatMap((i) => {
          const e = EXAMPLES[i]!;
          return [e.query, e.positive, ...e.negatives];
        });
        expect(new Set(texts).size).toBe(texts.length);
        expect(b.length).toBeGreaterThan(0);
      }
      // Four examples share 'shared': they need four batches, so none was dropped.
      expect(batches.length).toBeGreaterThanOrEqual(4);
    }
  });

  it('no-duplicates fills a batch from later examples before deferring (the sampler walks on)', () => {
    const batches = epochBatches(EXAMPLES, {
      batchSize: 4,
      seed: 1,
      epoch: 0,
      sampler: 'no-duplicates',
    });
    // The first batch is full: conflicting examples were skipped, later ones taken.
    expect(batches[0]).toHaveLength(4);
  });

  it('shuffle keeps duplicates and cuts the permutation in order; the last batch may be short', () => {
    const batches = epochBatches(EXAMPLES, {
      batchSize: 4,
      seed: 42,
      epoch: 0,
      sampler: 'shuffle',
    });
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
  });

  it('is seeded: the same seed and epoch give the same batches; other epochs or seeds differ', () => {
    const of = (seed: number, epoch: number) =>
      epochBatches(EXAMPLES, { batchSize: 3, seed, epoch, sampler: 'no-duplicates' });
    expect(of(42, 0)).toEqual(of(42, 0));
    expect(of(42, 1)).not.toEqual(of(42, 0));
    expect(of(7, 0)).not.toEqual(of(42, 0));
  });

  it('epoch e shuffles with the seed plus e, so (seed, epoch) pairs with the same sum agree', () => {
    const of = (seed: number, epoch: number) =>
      epochBatches(EXAMPLES, { batchSize: 10, seed, epoch, sampler: 'shuffle' });
    // The documented permutation: mulberry32(seed + epoch) through the datasets package's shuffle.
    const expected = shuffled([...Array(10).keys()], mulberry32(42));
    expect(of(40, 2)).toEqual([expected]);
    expect(of(41, 1)).toEqual([expected]);
    expect(of(42, 0)).toEqual([expected]);
  });

  it('shuffle yields no empty batch when the batch size divides the number of examples', () => {
    const of = (examples: readonly TrainingExample[]) =>
      epochBatches(examples, { batchSize: 4, seed: 3, epoch: 0, sampler: 'shuffle' });
    expect(of(EXAMPLES.slice(0, 8)).map((b) => b.length)).toEqual([4, 4]);
    expect(of([])).toEqual([]);
  });
});
