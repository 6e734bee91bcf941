import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrainableEncoder, type TrainableEncoder } from '@rtk/bert';
import { datasetFromPairs } from '@rtk/datasets';
import { useBackend } from '@rtk/test-utils/tfjs';
import {
  NonFiniteError,
  RunMismatchError,
  TrainingDataError,
  TrainingOptionError,
} from './errors.js';
import { fineTune, planFineTune, type FineTuneOptions } from './fine-tune.js';
import { loadTrainingExamples, type TrainingExample } from './training-examples.js';
import { maxDiff, snapshotWithoutKeyBias, TINY_BERT_DIR } from './_test-train.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
let examples: TrainingExample[];
let temp: string;
beforeAll(async () => {
  await useBackend('cpu');
  examples = await loadTrainingExamples(join(FIXTURES, 'finetune-train.jsonl'));
  temp = mkdtempSync(join(tmpdir(), 'rtk-finetune-'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const tiny = (): Promise<TrainableEncoder> => loadTrainableEncoder(TINY_BERT_DIR, { seed: 0 });
const BASE: FineTuneOptions = {
  loss: { name: 'info-nce', scale: 20 },
  batchSize: 4,
  steps: 6,
  learningRate: 2e-3,
  dropout: false,
  maxPassageLength: 32,
  maxQueryLength: 16,
};

describe('planFineTune: settings checked before any work', () => {
  const model = {
    prefixes: { query: 'query: ', passage: 'passage: ' },
    config: { maxPositionEmbeddings: 128 },
  } as Parameters<typeof planFineTune>[0];
  it.each([
    [
      'a batch larger than the data',
      { batchSize: 25 },
      TrainingOptionError,
      /batchSize.*at most the number of training examples \(24\)/,
    ],
    [
      'an evaluation step beyond the run',
      { evaluation: { dataset: datasetFromPairs([{ query: 'a', passage: 'b' }]), atSteps: [7] } },
      TrainingOptionError,
      /evaluation.atSteps.*7.*1 … 6/,
    ],
    [
      'an eval interval beyond the run',
      { evaluation: { dataset: datasetFromPairs([{ query: 'a', passage: 'b' }]), everySteps: 9 } },
      TrainingOptionError,
      /everySteps/,
    ],
    [
      'a checkpoint step beyond the run',
      { outputDir: '/x', checkpointSteps: [10] },
      TrainingOptionError,
      /checkpointSteps/,
    ],
    ['checkpoints without a folder', { checkpointEvery: 2 }, TrainingOptionError, /outputDir/],
    [
      'more negatives than the data has',
      { negatives: 2 },
      TrainingDataError,
      /up to 2 negative\(s\) per example asked for, but no example has more than 1/,
    ],
    [
      'more contrastive negatives than an example has',
      { loss: { name: 'contrastive' }, negatives: 2 },
      TrainingDataError,
      /2 negative\(s\) per example asked for, but example 1/,
    ],
    ['a warmup as long as the run', { warmup: 6 }, TrainingOptionError, /warmup/],
    ['a fractional warmup above 1', { warmup: 1.5 }, TrainingOptionError, /warmup/],
    [
      'triplet with two negatives',
      { loss: { name: 'triplet' }, negatives: 2 },
      TrainingOptionError,
      /negatives/,
    ],
    ['an unknown loss', { loss: { name: 'mse' } }, TrainingOptionError, /loss.name/],
    [
      'a query length beyond the model',
      { maxQueryLength: 512 },
      TrainingOptionError,
      /maxQueryLength/,
    ],
    ['steps and epochs together', { epochs: 2 }, TrainingOptionError, /epochs/],
  ] as const)('rejects %s', (_, extra, type, message) => {
    const error = (() => {
      try {
        planFineTune(model, examples, { ...BASE, ...(extra as object) });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
  });

  it('fixes the defaults: warmup ratio rounds up, sentence-transformers’ trainer values', () => {
    const plan = planFineTune(model, examples, { loss: { name: 'info-nce' }, warmup: 0.1 });
    // 3 epochs of 24 examples at batch 8 (no duplicates: a few deferred texts may add batches).
    expect(plan.totalSteps).toBeGreaterThanOrEqual(9);
    expect(plan.warmupSteps).toBe(Math.ceil(0.1 * plan.totalSteps));
    expect(plan).toMatchObject({
      learningRate: 5e-5,
      batchSize: 8,
      weightDecay: 0,
      maxGradNorm: 1,
      seed: 42,
      schedule: 'linear',
      batchSampler: 'no-duplicates',
      negatives: 1,
    });
    expect(
      planFineTune(model, examples, { loss: { name: 'triplet' }, steps: 10, warmup: 3 }),
    ).toMatchObject({ warmupSteps: 3, batchSampler: 'shuffle' });
  });
});

describe('fineTune', { timeout: 60_000 }, () => {
  it('accumulation: 2 micro-batches of 2 equal one batch of 4 for a per-row loss (triplet); GradCache equals the plain step', async () => {
    const run = async (options: Partial<FineTuneOptions>) => {
      const model = await tiny();
      const result = await fineTune(model, examples, {
        ...BASE,
        loss: { name: 'triplet', margin: 0.5 },
        steps: 4,
        ...options,
      });
      // Attention key biases have a zero gradient up to float noise (see snapshotWithoutKeyBias).
      const weights = snapshotWithoutKeyBias(model);
      model.dispose();
      return { losses: result.history.map((h) => h.loss), weights };
    };
    const plain = await run({ batchSize: 4 });
    const accumulated = await run({ batchSize: 2, gradientAccumulation: 2 });
    const cached = await run({ batchSize: 4, gradCache: 1 });
    accumulated.losses.forEach((l, i) => expect(l).toBeCloseTo(plain.losses[i]!, 6));
    cached.losses.forEach((l, i) => expect(l).toBeCloseTo(plain.losses[i]!, 6));
    expect(maxDiff(accumulated.weights, plain.weights)).toBeLessThan(1e-4);
    expect(maxDiff(cached.weights, plain.weights)).toBeLessThan(1e-4);
    expect(plain.losses.some((l) => l > 0)).toBe(true);
  });

  it('GradCache gives the plain step’s InfoNCE losses over a run', async () => {
    const losses = async (options: Partial<FineTuneOptions>) => {
      const model = await tiny();
      const r = await fineTune(model, examples, { ...BASE, ...options });
      model.dispose();
      return r.history.map((h) => h.loss);
    };
    const plain = await losses({});
    const cached = await losses({ gradCache: 2 });
    cached.forEach((l, i) => expect(l).toBeCloseTo(plain[i]!, 5));
  });

  it('a non-finite loss stops the run naming the step, keeping the last good checkpoint', async () => {
    const out = join(temp, 'nan');
    const model = await tiny();
    const error = await fineTune(model, examples, {
      ...BASE,
      steps: 8,
      learningRate: 1e30,
      maxGradNorm: null,
      warmup: 0,
      outputDir: out,
      checkpointSteps: [1],
    }).catch((e: unknown) => e);
    model.dispose();
    expect(error).toBeInstanceOf(NonFiniteError);
    const step = (error as NonFiniteError).step;
    expect(step).toBeGreaterThan(1);
    expect((error as Error).message).toContain(`step ${step}`);
    expect(readdirSync(out).sort()).toEqual(['checkpoint-1', 'train-log.jsonl']);
    const state = JSON.parse(
      readFileSync(join(out, 'checkpoint-1', 'trainer_state.json'), 'utf8'),
    ) as { step: number };
    expect(state.step).toBe(1);
  });

  it('evaluates at step 0, every N and at listed steps, through a pluggable embedder; logs steps and evaluations', async () => {
    const out = join(temp, 'eval');
    const dataset = datasetFromPairs(
      examples.slice(0, 8).map((e) => ({ query: e.query, passage: e.positive })),
    );
    const model = await tiny();
    const seen: number[] = [];
    let embedderCalls = 0;
    const result = await fineTune(model, examples, {
      ...BASE,
      outputDir: out,
      evaluation: {
        dataset,
        everySteps: 4,
        atSteps: [1],
        embedder: (m) => {
          embedderCalls += 1;
          return Promise.resolve(m);
        },
      },
      onEvaluation: (r) => seen.push(r.step),
    });
    model.dispose();
    expect(seen).toEqual([0, 1, 4]);
    expect(embedderCalls).toBe(3);
    expect(result.evaluations.map((e) => e.step)).toEqual([0, 1, 4]);
    expect(result.evaluations[0]!.metrics['Recall@1']).toBeGreaterThanOrEqual(0);
    const lines = readFileSync(join(out, 'train-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; step: number });
    expect(lines.filter((l) => l.type === 'step').map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines.filter((l) => l.type === 'evaluation').map((l) => l.step)).toEqual([0, 1, 4]);
    expect(lines[1]).toMatchObject({ type: 'step', step: 1 });
    expect(Object.keys(lines[1]!).sort()).toEqual([
      'epoch',
      'gradNorm',
      'loss',
      'lr',
      'seconds',
      'step',
      'type',
    ]);
    expect(existsSync(join(out, 'final', 'model.safetensors'))).toBe(true);
  });

  it('checkpoints in the HF layout, pruned to keepLast; refuses to resume another run', async () => {
    const out = join(temp, 'ckpt');
    const model = await tiny();
    await fineTune(model, examples, { ...BASE, outputDir: out, checkpointEvery: 1, keepLast: 2 });
    model.dispose();
    expect(readdirSync(out).sort()).toEqual([
      'checkpoint-4',
      'checkpoint-5',
      'final',
      'train-log.jsonl',
    ]);
    expect(readdirSync(join(out, 'checkpoint-5')).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'optimizer.safetensors',
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'trainer_state.json',
      'vocab.txt',
    ]);
    const again = await tiny();
    const error = await fineTune(again, examples, {
      ...BASE,
      learningRate: 1e-3,
      outputDir: out,
    }).catch((e: unknown) => e);
    const other = await fineTune(again, examples.slice(1), { ...BASE, outputDir: out }).catch(
      (e: unknown) => e,
    );
    again.dispose();
    expect(error).toBeInstanceOf(RunMismatchError);
    expect((error as RunMismatchError).differences).toEqual(['learningRate']);
    expect((other as RunMismatchError).differences).toEqual(['data']);
  });
});
