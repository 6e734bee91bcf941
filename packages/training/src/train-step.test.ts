import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrainableEncoder, TokenBatch } from '@rtk/bert';
import {
  contrastiveLoss,
  infoNceLoss,
  LossOptionError,
  LossValueError,
  tripletLoss,
} from '@rtk/losses';
import { BACKENDS, caught, useBackend } from '@rtk/test-utils/tfjs';
import { AdamW } from './adamw.js';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import { TrainingBatchError, TrainingOptionError } from './errors.js';
import { linearWarmupDecay } from './learning-rate-schedule.js';
import {
  createTrainStep,
  type TrainBatch,
  type TrainStepModel,
  type TrainStepOptions,
  type TrainStepResult,
} from './train-step.js';
import {
  embeddingsOf,
  liveTensors,
  maxDiff,
  snapshot,
  snapshotWithoutKeyBias,
  tinyBert,
  toyBatch,
  TRIPLES,
} from './_test-train.js';

// Every model a test loads; disposed after it.
let models: TrainableEncoder[] = [];
async function load(count: number): Promise<TrainableEncoder[]> {
  const loaded = await Promise.all(Array.from({ length: count }, () => tinyBert()));
  models.push(...loaded);
  return loaded;
}
afterEach(() => {
  for (const m of models) m.dispose();
  models = [];
});

/** Runs `steps` steps of a fresh step function on `encoder`; returns what each step reported. */
function run(
  encoder: TrainStepModel,
  options: TrainStepOptions,
  batch: TrainBatch,
  steps: number,
): TrainStepResult[] {
  const trainer = createTrainStep(encoder, options);
  try {
    return Array.from({ length: steps }, () => trainer.step(batch));
  } finally {
    trainer.dispose();
  }
}

/** Per-step results agree: the same lr, and loss and gradient norm within `tolerance`. */
function expectSameResults(
  actual: readonly TrainStepResult[],
  expected: readonly TrainStepResult[],
  tolerance: number,
): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((r, i) => {
    const e = expected[i]!;
    expect(r.step).toBe(e.step);
    expect(r.lr).toBeCloseTo(e.lr, 12);
    expect(Math.abs(r.loss - e.loss)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(r.gradNorm - e.gradNorm)).toBeLessThanOrEqual(tolerance);
  });
}

const INFO_NCE: TrainStepOptions = {
  loss: { name: 'info-nce', scale: 20, symmetric: true },
  learningRate: 1e-2,
  schedule: { name: 'linear', warmupSteps: 1, totalSteps: 4 },
  weightDecay: 0.01,
};

describe.each(BACKENDS)('createTrainStep on %s', { timeout: 120_000 }, (backend) => {
  beforeAll(() => useBackend(backend));

  it('equals the hand composition of embedBatch, infoNceLoss, clipByGlobalNorm, AdamW and the schedule', async () => {
    const [a, b] = await load(2);
    const batch = toyBatch(a!, { negatives: true });
    const before = snapshot(a!);
    const ours = run(a!, { ...INFO_NCE, dropout: false }, batch, 3);

    const optimizer = new AdamW({
      learningRate: linearWarmupDecay({ learningRate: 1e-2, warmupSteps: 1, totalSteps: 4 }),
      weightDecay: 0.01,
    });
    const hand: TrainStepResult[] = [];
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(
        () =>
          infoNceLoss(b!.embedBatch(batch.queries), b!.embedBatch(batch.passages), {
            scale: 20,
            symmetric: true,
            negatives: [b!.embedBatch(batch.negatives![0]!)],
          }),
        b!.trainableVariables(),
      );
      const { gradients, norm } = clipByGlobalNorm(grads, 1);
      const lr = optimizer.currentLearningRate();
      optimizer.applyGradients(gradients);
      hand.push({ loss: value.dataSync()[0]!, lr, gradNorm: norm.dataSync()[0]!, step: i + 1 });
      tf.dispose([value, grads, gradients, norm]);
    }
    optimizer.dispose();

    expectSameResults(ours, hand, 1e-6);
    expect(ours.map((r) => r.lr)).toEqual([0, 1e-2, expect.closeTo(2e-2 / 3, 12)]);
    expect(maxDiff(snapshot(a!), snapshot(b!))).toBeLessThan(1e-6);
    // Not vacuous: the weights moved, and the gradient was clipped (norm > 1).
    expect(maxDiff(snapshot(a!), before)).toBeGreaterThan(1e-3);
    expect(ours[0]!.gradNorm).toBeGreaterThan(1);
  });

  // Dropout off: both compute the same function. Dropout on with one chunk (gradCache ≥ B): both
  // draw the same masks (the pass of tower k, chunk 0), so they must agree as well.
  it.each([
    { gradCache: 2, dropout: false },
    { gradCache: 4, dropout: false },
    { gradCache: 6, dropout: true },
  ])(
    'with gradient caching %o equals the plain step (loss, grad norm, weights to 1e-5)',
    async (cache) => {
      const [plain, cached] = await load(2);
      const batch = toyBatch(plain!, { negatives: true });
      const options = { ...INFO_NCE, dropout: cache.dropout };
      const expected = run(plain!, options, batch, 3);
      const actual = run(cached!, { ...options, gradCache: cache.gradCache }, batch, 3);
      expectSameResults(actual, expected, 1e-5);
      expect(maxDiff(snapshotWithoutKeyBias(cached!), snapshotWithoutKeyBias(plain!))).toBeLessThan(
        1e-5,
      );
      expect(maxDiff([embeddingsOf(cached!)], [embeddingsOf(plain!)])).toBeLessThan(1e-5);
    },
  );

  it('with gradient checkpointing equals the plain step, dropout on (loss, grad norm, weights to 1e-5)', async () => {
    const [plain, checkpointed] = await load(2);
    const batch = toyBatch(plain!, { negatives: true });
    const expected = run(plain!, { ...INFO_NCE, checkpoint: false }, batch, 2);
    const actual = run(checkpointed!, { ...INFO_NCE, checkpoint: true }, batch, 2);
    expectSameResults(actual, expected, 1e-5);
    expect(
      maxDiff(snapshotWithoutKeyBias(checkpointed!), snapshotWithoutKeyBias(plain!)),
    ).toBeLessThan(1e-5);
    expect(maxDiff([embeddingsOf(checkpointed!)], [embeddingsOf(plain!)])).toBeLessThan(1e-5);
  });
});

describe('createTrainStep', { timeout: 120_000 }, () => {
  beforeAll(() => useBackend('cpu'));

  /** The model, recording the dropout seed and first input id of every embedBatch call. */
  function recording(encoder: TrainableEncoder): {
    model: TrainStepModel;
    calls: { seed: number | undefined; rows: number; firstId: number }[];
  } {
    const calls: { seed: number | undefined; rows: number; firstId: number }[] = [];
    const model: TrainStepModel = {
      config: encoder.config,
      trainableVariables: () => encoder.trainableVariables(),
      embedBatch: (batch, options) => {
        calls.push({
          seed: options?.dropoutSeed,
          rows: batch.batchSize,
          firstId: batch.inputIds[1]!,
        });
        return encoder.embedBatch(batch, options);
      },
    };
    return { model, calls };
  }

  it('with dropout and gradient caching, re-embeds each chunk with its first pass’s masks: the exact gradient', async () => {
    const [a, b] = await load(2);
    const batch = toyBatch(a!, { negatives: true });
    const { model, calls } = recording(a!);
    const trainer = createTrainStep(model, { ...INFO_NCE, learningRate: 1e-3, gradCache: 2 });
    const first = trainer.step(batch);
    const firstCalls = calls.splice(0);
    trainer.step(batch);
    const secondCalls = calls.splice(0);
    trainer.dispose();

    // 3 towers × 3 chunks, each embedded twice (without, then with gradients) with one seed.
    expect(firstCalls).toHaveLength(18);
    const seedsOf = (cs: typeof firstCalls): number[] => cs.map((c) => c.seed!);
    expect(new Set(seedsOf(firstCalls.slice(0, 9))).size).toBe(9);
    expect(seedsOf(firstCalls.slice(9))).toEqual(seedsOf(firstCalls.slice(0, 9)));
    // The next step draws new masks.
    const seen = new Set(seedsOf(firstCalls));
    expect(seedsOf(secondCalls).filter((s) => seen.has(s))).toEqual([]);

    // The hand-made loss over the same chunks and seeds, differentiated directly: same loss and norm.
    const chunk = (t: TokenBatch, start: number): TokenBatch => ({
      inputIds: t.inputIds.subarray(start * t.length, (start + 2) * t.length),
      attentionMask: t.attentionMask.subarray(start * t.length, (start + 2) * t.length),
      batchSize: 2,
      length: t.length,
    });
    const towers = [batch.queries, batch.passages, batch.negatives![0]!];
    const { value, grads } = tf.variableGrads(() => {
      const e = towers.map((t, k) =>
        tf.concat<tf.Tensor2D>(
          [0, 2, 4].map((start, c) =>
            b!.embedBatch(chunk(t, start), {
              training: true,
              dropoutSeed: firstCalls[k * 3 + c]!.seed!,
            }),
          ),
        ),
      );
      return infoNceLoss(e[0]!, e[1]!, { scale: 20, symmetric: true, negatives: [e[2]!] });
    }, b!.trainableVariables());
    const { norm } = tf.tidy(() => clipByGlobalNorm(grads, 1));
    expect(Math.abs(value.dataSync()[0]! - first.loss)).toBeLessThan(1e-5);
    expect(Math.abs(norm.dataSync()[0]! - first.gradNorm)).toBeLessThan(1e-5);
    // Dropout did something: the inference-mode loss differs.
    const inference = run(b!, { ...INFO_NCE, dropout: false }, batch, 1)[0]!;
    expect(Math.abs(inference.loss - first.loss)).toBeGreaterThan(1e-3);
    tf.dispose([value, grads, norm]);
  });

  it('is reproducible from its seed, and another seed draws other masks', async () => {
    const [a, b, c] = await load(3);
    const batch = toyBatch(a!);
    const x = run(a!, { ...INFO_NCE, seed: 7 }, batch, 2);
    const y = run(b!, { ...INFO_NCE, seed: 7 }, batch, 2);
    const z = run(c!, { ...INFO_NCE, seed: 8 }, batch, 2);
    expectSameResults(x, y, 0);
    expect(Math.abs(x[0]!.loss - z[0]!.loss)).toBeGreaterThan(1e-4);
  });

  // Contrastive rows: (query i, its positive) labelled 1, (query i, its negative) labelled 0.
  const contrastiveBatch = (e: TrainableEncoder): TrainBatch => ({
    queries: e.tokenize([...TRIPLES.map((t) => t[0]), ...TRIPLES.map((t) => t[0])], 'query'),
    passages: e.tokenize([...TRIPLES.map((t) => t[1]), ...TRIPLES.map((t) => t[2])], 'passage'),
    labels: [...TRIPLES.map(() => 1), ...TRIPLES.map(() => 0)],
  });

  it.each([
    ['info-nce', { name: 'info-nce', scale: 20 }, false],
    ['triplet', { name: 'triplet', margin: 0.5, distance: 'cosine' }, true],
    ['contrastive', { name: 'contrastive', margin: 0.5 }, false],
  ] as const)(
    'lowers the %s loss over a few steps on the toy pairs',
    async (name, loss, negatives) => {
      const [e] = await load(1);
      const batch = name === 'contrastive' ? contrastiveBatch(e!) : toyBatch(e!, { negatives });
      // Dropout off, so each step's loss (taken before its update) is the same function's value.
      const results = run(
        e!,
        { loss, learningRate: 5e-3, dropout: false, maxGradNorm: null },
        batch,
        9,
      );
      expect(results.at(-1)!.loss).toBeLessThan(results[0]!.loss * 0.7);
    },
  );

  it('matches each loss of @rtk/losses on the step’s first batch', async () => {
    const [a, b, c] = await load(3);
    const triplet = toyBatch(a!, { negatives: true });
    const pairs = contrastiveBatch(a!);
    const plain = { learningRate: 0, dropout: false } as const;
    const lossOf = (f: () => tf.Scalar): number => tf.tidy(() => f().dataSync()[0]!);
    const e = (m: TrainableEncoder, t: TokenBatch): tf.Tensor2D => m.embedBatch(t);
    expect(
      run(
        a!,
        { ...plain, loss: { name: 'triplet', margin: 0.3, distance: 'euclidean' } },
        triplet,
        1,
      )[0]!.loss,
    ).toBeCloseTo(
      lossOf(() =>
        tripletLoss(
          e(a!, triplet.queries),
          e(a!, triplet.passages),
          e(a!, triplet.negatives![0]!),
          { margin: 0.3, distance: 'euclidean' },
        ),
      ),
      6,
    );
    expect(
      run(b!, { ...plain, loss: { name: 'contrastive', margin: 0.8 } }, pairs, 1)[0]!.loss,
    ).toBeCloseTo(
      lossOf(() =>
        contrastiveLoss(e(b!, pairs.queries), e(b!, pairs.passages), pairs.labels!, {
          margin: 0.8,
        }),
      ),
      6,
    );
    expect(
      run(c!, { ...plain, loss: { name: 'info-nce', temperature: 0.1 } }, triplet, 1)[0]!.loss,
    ).toBeCloseTo(
      lossOf(() =>
        infoNceLoss(e(c!, triplet.queries), e(c!, triplet.passages), {
          temperature: 0.1,
          negatives: [e(c!, triplet.negatives![0]!)],
        }),
      ),
      6,
    );
  });

  it('reports the schedule’s learning rate and its optimiser state, and trains only unfrozen variables', async () => {
    const [e] = await load(1);
    e!.freeze({ embeddings: true, layers: 1 });
    const frozen = e!.variables().filter((v) => !v.trainable);
    const before = frozen.map((v) => v.dataSync().slice());
    const trainer = createTrainStep(e!, {
      loss: { name: 'info-nce' },
      learningRate: 1e-3,
      schedule: { name: 'constant', warmupSteps: 2 },
    });
    expect(trainer.nextLearningRate()).toBe(0);
    const lrs = [0, 1, 2, 3].map(() => trainer.step(toyBatch(e!)).lr);
    expect(lrs).toEqual([0, 5e-4, 1e-3, 1e-3]);
    expect(trainer.stepsTaken).toBe(4);
    expect(trainer.optimizer.iterations).toBe(4);
    trainer.dispose();
    frozen.forEach((v, i) =>
      expect(maxDiff([v.dataSync() as Float32Array], [before[i] as Float32Array])).toBe(0),
    );
  });

  // Counted outside any tf.tidy: the step itself must free what it makes. The first step creates
  // AdamW's two moment tensors per trainable variable, and nothing else stays.
  it.each<[string, Partial<TrainStepOptions>, { negatives?: boolean; contrastive?: boolean }]>([
    ['plain', {}, {}],
    ['hard negatives, no clipping', { maxGradNorm: null }, { negatives: true }],
    ['gradient caching', { gradCache: 4 }, { negatives: true }],
    ['gradient checkpointing', { checkpoint: true }, {}],
    ['dropout off', { dropout: false }, {}],
    ['triplet', { loss: { name: 'triplet' } }, { negatives: true }],
    ['contrastive', { loss: { name: 'contrastive' } }, { contrastive: true }],
  ])('leaks no tensors: %s', async (_name, options, shape) => {
    const [e] = await load(1);
    const batch = shape.contrastive === true ? contrastiveBatch(e!) : toyBatch(e!, shape);
    const trainer = createTrainStep(e!, { ...INFO_NCE, ...options });
    const start = liveTensors();
    trainer.step(batch);
    expect(liveTensors()).toBe(start + 2 * e!.trainableVariables().length);
    const after = liveTensors();
    for (let i = 0; i < 3; i++) trainer.step(batch);
    expect(liveTensors()).toBe(after);
    trainer.dispose();
    expect(liveTensors()).toBe(start);
  });

  it('leaks no tensors when a step fails inside the loss', async () => {
    const [e] = await load(1);
    const trainer = createTrainStep(e!, { loss: { name: 'contrastive' }, learningRate: 1e-3 });
    const batch = { ...contrastiveBatch(e!), labels: TRIPLES.flatMap(() => [1, 2]) };
    const start = liveTensors();
    expect(caught(() => trainer.step(batch))).toBeInstanceOf(LossValueError);
    expect(liveTensors()).toBe(start);
    expect(trainer.stepsTaken).toBe(0);
    trainer.dispose();
  });

  const base: TrainStepOptions = { loss: { name: 'info-nce' }, learningRate: 1e-3 };
  it.each<[string, Partial<TrainStepOptions> | Record<string, unknown>, string]>([
    ['an unknown loss', { loss: { name: 'mse' } }, 'loss.name'],
    ['an option of another loss', { loss: { name: 'info-nce', margin: 0.5 } }, 'loss.margin'],
    ['an unknown schedule', { schedule: { name: 'cosine' } }, 'schedule.name'],
    [
      'warmup as long as the run',
      { schedule: { name: 'linear', warmupSteps: 4, totalSteps: 4 } },
      'warmupSteps',
    ],
    ['linear without totalSteps', { schedule: { name: 'linear' } }, 'totalSteps'],
    ['a negative learning rate', { learningRate: -1 }, 'learningRate'],
    ['a clipping norm of 0', { maxGradNorm: 0 }, 'maxGradNorm'],
    ['an infinite clipping norm', { maxGradNorm: Infinity }, 'maxGradNorm'],
    ['a fractional gradient-cache size', { gradCache: 1.5 }, 'gradCache'],
    ['a gradient-cache size of 0', { gradCache: 0 }, 'gradCache'],
    ['a negative seed', { seed: -1 }, 'seed'],
    ['checkpointing without dropout', { checkpoint: true, dropout: false }, 'checkpoint'],
    ['a weight decay below 0', { weightDecay: -0.1 }, 'weightDecay'],
    ['beta1 of 1', { beta1: 1 }, 'beta1'],
  ])('rejects %s with a TrainingOptionError naming the option', async (_name, options, option) => {
    const [e] = await load(1);
    const error = caught(() => createTrainStep(e!, { ...base, ...options }));
    expect(error).toBeInstanceOf(TrainingOptionError);
    expect(error).toMatchObject({ code: 'ERR_TRAINING_OPTION', option });
  });

  it('passes on the loss’s own error for a value the loss refuses', async () => {
    const [e] = await load(1);
    const error = caught(() =>
      createTrainStep(e!, { ...base, loss: { name: 'info-nce', scale: 0 } }),
    );
    expect(error).toBeInstanceOf(LossOptionError);
    // The class, option and value say it is the loss's own error, passed on unwrapped; its code
    // is @rtk/losses' business (tested there).
    expect(error).toMatchObject({ option: 'scale', value: 0 });
    expect(error.message).toContain('infoNceLoss');
  });

  it.each<[string, TrainStepOptions['loss'], (e: TrainableEncoder) => TrainBatch, string]>([
    [
      'towers of different sizes',
      { name: 'info-nce' },
      (e) => ({ ...toyBatch(e), passages: toyBatch(e, { rows: 4 }).passages }),
      'passages',
    ],
    [
      'a triplet negatives tower of another size',
      { name: 'triplet' },
      (e) => ({ ...toyBatch(e), negatives: [toyBatch(e, { rows: 5 }).passages] }),
      'negatives[0]',
    ],
    ['triplet without a negative', { name: 'triplet' }, (e) => toyBatch(e), 'negatives'],
    [
      'triplet with two negatives',
      { name: 'triplet' },
      (e) => ({ ...toyBatch(e), negatives: [toyBatch(e).passages, toyBatch(e).passages] }),
      'negatives',
    ],
    ['contrastive without labels', { name: 'contrastive' }, (e) => toyBatch(e), 'labels'],
    [
      'contrastive with negatives',
      { name: 'contrastive' },
      (e) => ({ ...toyBatch(e, { negatives: true }), labels: [1, 1, 1, 1, 1, 1] }),
      'negatives',
    ],
    [
      'labels for info-nce',
      { name: 'info-nce' },
      (e) => ({ ...toyBatch(e), labels: [1, 1, 1, 1, 1, 1] }),
      'labels',
    ],
  ])(
    'rejects a batch with %s with a TrainingBatchError naming the field',
    async (_name, loss, batchOf, field) => {
      const [e] = await load(1);
      const trainer = createTrainStep(e!, { ...base, loss });
      const start = liveTensors();
      const error = caught(() => trainer.step(batchOf(e!)));
      expect(error).toBeInstanceOf(TrainingBatchError);
      expect(error).toMatchObject({ code: 'ERR_TRAINING_BATCH', field });
      expect(error.message).toContain('TrainStep.step');
      expect(liveTensors()).toBe(start);
      trainer.dispose();
    },
  );
});
