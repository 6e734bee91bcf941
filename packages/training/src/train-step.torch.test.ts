// The training step against PyTorch: fixtures/train-step-golden-*.json are replays of the batch log
// fixtures/train-step-batches.jsonl by torch_finetune_reference.py (dropout off; see
// fixtures/README.md for the command), with the per-step loss, lr and gradient norm before
// clipping, and the embeddings of fixtures/train-step-eval.txt after the last step.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainableEncoder } from '@rtk/bert';
import { BACKENDS, maxAbsDiff, useBackend } from '@rtk/test-utils/tfjs';
import { createTrainStep, type TrainStepOptions } from './train-step.js';
import { tinyBert } from './_test-train.js';

interface LoggedBatch {
  readonly queries: string[];
  readonly positives: string[];
  readonly negatives: string[][];
}
interface Golden {
  readonly steps: { loss: number; lr: number; grad_norm: number }[];
  readonly eval_embeddings: number[][];
}

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const BATCHES = fixture('train-step-batches.jsonl')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as LoggedBatch);
const EVAL_TEXTS = fixture('train-step-eval.txt')
  .split('\n')
  .filter((l) => l.trim() !== '');

// The reference's settings (its command line in fixtures/README.md); lengths are its defaults.
const COMMON = {
  learningRate: 1e-3,
  schedule: { name: 'linear', warmupSteps: 1, totalSteps: 5 },
  weightDecay: 0.01,
  maxGradNorm: 1,
  dropout: false,
} as const;
const QUERY_LENGTH = 32;
const PASSAGE_LENGTH = 128;

const CASES: readonly [string, TrainStepOptions][] = [
  ['infonce', { ...COMMON, loss: { name: 'info-nce', scale: 20, symmetric: true } }],
  ['triplet', { ...COMMON, loss: { name: 'triplet', distance: 'euclidean', margin: 0.5 } }],
];

function replay(encoder: TrainableEncoder, options: TrainStepOptions) {
  const tokens = (texts: readonly string[], maxLength: number) =>
    encoder.tokenizer.encodeBatch(texts, { maxLength });
  const embed = (): Float32Array =>
    tf.tidy(
      () =>
        encoder.embedBatch(tokens(EVAL_TEXTS, PASSAGE_LENGTH)).dataSync().slice() as Float32Array,
    );
  const initial = embed();
  const trainer = createTrainStep(encoder, options);
  const steps = BATCHES.map((b) =>
    trainer.step({
      queries: tokens(b.queries, QUERY_LENGTH),
      passages: tokens(b.positives, PASSAGE_LENGTH),
      // The log lists k negatives per query; the step takes k towers of one negative per query.
      negatives: b.negatives[0]!.map((_, k) =>
        tokens(
          b.negatives.map((row) => row[k]!),
          PASSAGE_LENGTH,
        ),
      ),
    }),
  );
  trainer.dispose();
  return { steps, initial, embeddings: embed() };
}

describe.each(BACKENDS)('createTrainStep against PyTorch on %s', { timeout: 60_000 }, (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(CASES)(
    'replays the %s run: loss, lr, grad norm per step, final embeddings',
    async (name, options) => {
      const golden = JSON.parse(fixture(`train-step-golden-${name}.json`)) as Golden;
      const encoder = await tinyBert();
      try {
        const { steps, initial, embeddings } = replay(encoder, options);
        expect(steps).toHaveLength(golden.steps.length);
        steps.forEach((s, i) => {
          const g = golden.steps[i]!;
          expect(s.lr).toBeCloseTo(g.lr, 12);
          expect(Math.abs(s.loss - g.loss)).toBeLessThan(1e-5);
          expect(Math.abs(s.gradNorm - g.grad_norm) / g.grad_norm).toBeLessThan(1e-5);
        });
        expect(maxAbsDiff(embeddings, golden.eval_embeddings.flat())).toBeLessThan(1e-5);
        // Not vacuous: the run moved the embeddings and clipped (PyTorch's norms exceed 1).
        expect(golden.steps.some((g) => g.grad_norm > 1)).toBe(true);
        expect(maxAbsDiff(embeddings, initial)).toBeGreaterThan(1e-3);
      } finally {
        encoder.dispose();
      }
    },
  );
});
