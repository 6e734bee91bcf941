// The fine-tuning loop against PyTorch: fixtures/finetune-golden-<case>.json are replays by
// torch_finetune_reference.py of the batch logs fineTune wrote (fixtures/finetune-batches-*.jsonl;
// scripts/make-finetune-golden.mjs regenerates both, fixtures/README.md has the command). Each run
// here trains again with the case's options, checks its batch log is the stored one byte for byte
// (the sampler, prefixes and texts are what PyTorch replayed), then compares per-step losses and
// learning rates and the embeddings of held texts after the run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrainableEncoder } from '@rtk/bert';
import { maxAbsDiff, useBackend } from '@rtk/test-utils/tfjs';
import { fineTune, type FineTuneOptions } from './fine-tune.js';
import { loadTrainingExamples } from './training-examples.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
interface Case {
  readonly name: string;
  readonly model: string;
  readonly options: FineTuneOptions;
}
const SPEC = JSON.parse(read('finetune-cases.json')) as {
  data: string;
  evalTexts: string;
  cases: Case[];
};
const EVAL_TEXTS = read(SPEC.evalTexts)
  .split('\n')
  .filter((l) => l !== '');

let temp: string;
beforeAll(async () => {
  await useBackend('cpu');
  temp = mkdtempSync(join(tmpdir(), 'rtk-finetune-torch-'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('fineTune against PyTorch (cpu)', { timeout: 60_000 }, () => {
  it.each(SPEC.cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const golden = JSON.parse(read(`finetune-golden-${name}.json`)) as {
      steps: { loss: number; lr: number; grad_norm: number }[];
      eval_embeddings: number[][];
    };
    const examples = await loadTrainingExamples(join(FIXTURES, SPEC.data));
    const model = await loadTrainableEncoder(join(FIXTURES, c.model), { seed: 0 });
    try {
      const before = model.tokenizer.encodeBatch(EVAL_TEXTS, {
        maxLength: c.options.maxPassageLength!,
      });
      const initial = tf.tidy(() => model.embedBatch(before).dataSync().slice());
      const log = join(temp, `${name}.jsonl`);
      const result = await fineTune(model, examples, { ...c.options, logBatches: log });
      expect(readFileSync(log, 'utf8')).toBe(read(`finetune-batches-${name}.jsonl`));
      expect(result.history).toHaveLength(golden.steps.length);
      expect(golden.steps.length).toBeGreaterThanOrEqual(20);
      result.history.forEach((s, i) => {
        const g = golden.steps[i]!;
        expect(s.lr).toBeCloseTo(g.lr, 12);
        // Relative, with a floor for the steps where a triplet loss is (nearly) 0.
        expect(Math.abs(s.loss - g.loss)).toBeLessThanOrEqual(1e-4 * Math.abs(g.loss) + 1e-7);
        expect(Math.abs(s.gradNorm - g.grad_norm)).toBeLessThanOrEqual(1e-3 * g.grad_norm + 1e-6);
      });
      const after = tf.tidy(() => model.embedBatch(before).dataSync().slice());
      expect(maxAbsDiff(after, golden.eval_embeddings.flat())).toBeLessThan(1e-4);
      // Not vacuous: warmup (lr 0 at step 1), clipping bit (norms above 1), the weights moved.
      expect(golden.steps[0]!.lr).toBe(0);
      expect(golden.steps.some((g) => g.grad_norm > 1.5)).toBe(true);
      expect(maxAbsDiff(after, initial)).toBeGreaterThan(1e-2);
    } finally {
      model.dispose();
    }
  });
});
