import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, caught, maxAbsDiff, useBackend } from '@rtk/test-utils/tfjs';
import { flat, golden } from './_test-golden.js';
import { AdamW, type AdamWOptions, type NamedTensor } from './adamw.js';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import { GradientError, TrainingOptionError } from './errors.js';
import { linearWarmupDecay } from './learning-rate-schedule.js';

const names = Object.keys(golden.shapes);

function makeVariables(): Record<string, tf.Variable> {
  return Object.fromEntries(
    names.map((n) => [
      n,
      tf.tidy(() => tf.variable(tf.tensor(flat(golden.initial[n]!), golden.shapes[n]), true, n)),
    ]),
  );
}

function gradientsOf(step: number): tf.NamedTensorMap {
  return Object.fromEntries(
    names.map((n) => [n, tf.tensor(flat(golden.steps[step]!.grads[n]!), golden.shapes[n])]),
  );
}

function goldenOptimizer(): AdamW {
  return new AdamW({
    learningRate: linearWarmupDecay({
      learningRate: golden.base_lr,
      warmupSteps: golden.warmup_steps,
      totalSteps: golden.total_steps,
    }),
    beta1: golden.betas[0],
    beta2: golden.betas[1],
    epsilon: golden.eps,
    weightDecay: golden.weight_decay,
  });
}

/** Clip + step, as the PyTorch script does; returns the largest parameter error. */
function goldenStep(opt: AdamW, variables: Record<string, tf.Variable>, step: number): number {
  const raw = gradientsOf(step);
  const { gradients, norm } = clipByGlobalNorm(raw, golden.max_norm);
  expect(opt.currentLearningRate()).toBeCloseTo(golden.steps[step]!.lr, 12);
  opt.applyGradients(gradients);
  tf.dispose([raw, gradients, norm]);
  return Math.max(
    ...names.map((n) => maxAbsDiff(variables[n]!.dataSync(), flat(golden.steps[step]!.params[n]!))),
  );
}

describe.each(BACKENDS)('AdamW on %s', (backend) => {
  beforeAll(() => useBackend(backend));
  let variables: Record<string, tf.Variable> = {};
  afterEach(() => tf.dispose(Object.values(variables)));

  it('matches torch.optim.AdamW with clipping and a warmup/decay schedule, step by step', () => {
    variables = makeVariables();
    const opt = goldenOptimizer();
    for (let step = 0; step < golden.steps.length; step++) {
      expect(goldenStep(opt, variables, step)).toBeLessThan(1e-6);
    }
    expect(opt.iterations).toBe(golden.steps.length);
    opt.dispose();
  });

  it('applies weight decay to weights but not to biases and LayerNorm parameters', () => {
    const opt = goldenOptimizer();
    expect(names.filter((n) => !opt.decays(n))).toEqual(golden.no_decay);
    expect(new AdamW({ learningRate: 1, weightDecay: 0 }).decays('dense.weight')).toBe(false);
    opt.dispose();
  });

  it('resumes from getWeights/setWeights exactly where it stopped', async () => {
    variables = makeVariables();
    const first = goldenOptimizer();
    goldenStep(first, variables, 0);
    goldenStep(first, variables, 1);
    const saved = (await first.getWeights()).map((w) => ({
      name: w.name,
      tensor: tf.clone(w.tensor),
    }));
    first.dispose();
    const resumed = goldenOptimizer();
    await resumed.setWeights(saved);
    tf.dispose(saved.map((w) => w.tensor));
    expect(resumed.iterations).toBe(2);
    for (let step = 2; step < golden.steps.length; step++) {
      expect(goldenStep(resumed, variables, step)).toBeLessThan(1e-6);
    }
    resumed.dispose();
  });

  // Hand-computed (TSDoc example): at step 1, m̂/(√v̂ + ε) = g/(|g| + ε) ≈ sign(g), so
  // w ← w·(1 − lr·λ) − lr·sign(g): 1·0.999 − 0.1 = 0.899 and −0.999 + 0.1 = −0.899.
  it('computes the documented first step', () => {
    variables = { w: tf.tidy(() => tf.variable(tf.tensor1d([1, -1]), true, 'dense.weight')) };
    const g = tf.tensor1d([0.5, -2]);
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.01 });
    opt.applyGradients({ 'dense.weight': g });
    expect(maxAbsDiff(variables.w!.dataSync(), [0.899, -0.899])).toBeLessThan(1e-6);
    opt.dispose();
    g.dispose();
  });

  it('works through Optimizer.minimize', () => {
    variables = { x: tf.tidy(() => tf.variable(tf.scalar(3), true, 'toy.x')) };
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0 });
    for (let i = 0; i < 100; i++) {
      tf.dispose(opt.minimize(() => tf.square(tf.sub(variables.x!, 1)) as tf.Scalar) ?? []);
    }
    expect(Math.abs(variables.x!.dataSync()[0]! - 1)).toBeLessThan(0.05);
    opt.dispose();
  });

  it('keeps the tensor count constant across steps and frees its state on dispose', () => {
    const before = tf.memory().numTensors;
    variables = makeVariables();
    const opt = goldenOptimizer();
    goldenStep(opt, variables, 0);
    const afterFirst = tf.memory().numTensors;
    for (let step = 1; step < golden.steps.length; step++) goldenStep(opt, variables, step);
    expect(tf.memory().numTensors).toBe(afterFirst);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before + names.length);
  });

  it('skips null gradients and rejects unknown names or mismatched shapes', () => {
    variables = { w: tf.tidy(() => tf.variable(tf.zeros([2, 3]), true, 'check.weight')) };
    const opt = new AdamW({ learningRate: 0.1 });
    const wrong = tf.zeros([3, 2]);
    opt.applyGradients([{ name: 'check.weight', tensor: null as unknown as tf.Tensor }]);
    expect(Array.from(variables.w!.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    const unknown = caught(() => opt.applyGradients({ 'no.such.variable': wrong }));
    expect(unknown).toBeInstanceOf(GradientError);
    expect(unknown).toMatchObject({ code: 'ERR_TRAINING_GRADIENT', variable: 'no.such.variable' });
    const shape = caught(() => opt.applyGradients({ 'check.weight': wrong }));
    expect(shape).toBeInstanceOf(GradientError);
    expect(shape).toMatchObject({ code: 'ERR_TRAINING_GRADIENT', variable: 'check.weight' });
    expect(shape.message).toContain('[3, 2]');
    opt.dispose();
    wrong.dispose();
  });

  it('skips gradients given as undefined in a map', () => {
    variables = { w: tf.tidy(() => tf.variable(tf.ones([2]), true, 'check.weight')) };
    const opt = new AdamW({ learningRate: 0.1 });
    opt.applyGradients({ 'check.weight': undefined as unknown as tf.Tensor });
    expect(Array.from(variables.w!.dataSync())).toEqual([1, 1]);
    expect(opt.iterations).toBe(1);
    opt.dispose();
  });

  // Same numbers as 'computes the documented first step', with the gradient given as a list.
  it('takes gradients as a list of named tensors', () => {
    variables = { w: tf.tidy(() => tf.variable(tf.tensor1d([1, -1]), true, 'dense.weight')) };
    const g = tf.tensor1d([0.5, -2]);
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.01 });
    opt.applyGradients([{ name: 'dense.weight', tensor: g }]);
    expect(maxAbsDiff(variables.w!.dataSync(), [0.899, -0.899])).toBeLessThan(1e-6);
    opt.dispose();
    g.dispose();
  });

  it('names the variable, the shapes and the dtypes in its gradient errors', () => {
    variables = { w: tf.tidy(() => tf.variable(tf.zeros([2, 3]), true, 'check.weight')) };
    const opt = new AdamW({ learningRate: 0.1 });
    const transposed = tf.zeros([3, 2]);
    const integers = tf.zeros([2, 3], 'int32');
    const unknown = caught(() => opt.applyGradients({ 'no.such.variable': transposed }));
    expect(unknown).toBeInstanceOf(GradientError);
    expect(unknown.message).toBe(
      'AdamW: gradient for variable "no.such.variable" names no registered variable. ' +
        'Pass the gradients by the names of their tf.Variable (as tf.variableGrads returns them).',
    );
    const shape = caught(() => opt.applyGradients({ 'check.weight': transposed }));
    expect(shape).toBeInstanceOf(GradientError);
    expect(shape.message).toBe(
      'AdamW: gradient for variable "check.weight" has shape [3, 2] (float32), ' +
        'the variable [2, 3] (float32). Pass the gradient computed for this variable.',
    );
    const dtype = caught(() => opt.applyGradients({ 'check.weight': integers }));
    expect(dtype).toBeInstanceOf(GradientError);
    expect(dtype).toMatchObject({ code: 'ERR_TRAINING_GRADIENT', variable: 'check.weight' });
    expect(dtype.message).toBe(
      'AdamW: gradient for variable "check.weight" has shape [2, 3] (int32), ' +
        'the variable [2, 3] (float32). Pass the gradient computed for this variable.',
    );
    expect(Array.from(variables.w!.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(opt.iterations).toBe(0);
    opt.dispose();
    tf.dispose([transposed, integers]);
  });

  it('keeps its moment variables out of training, also after setWeights', async () => {
    variables = { w: tf.tidy(() => tf.variable(tf.tensor1d([1, -1]), true, 'dense.weight')) };
    const before = new Set(Object.keys(tf.engine().registeredVariables));
    // The variables registered since `before` (the optimiser's m and v), as their `trainable` flags.
    const added = (): boolean[] =>
      Object.entries(tf.engine().registeredVariables)
        .filter(([name]) => !before.has(name))
        .map(([, variable]) => variable.trainable);
    const g = tf.tensor1d([0.5, -2]);
    const first = new AdamW({ learningRate: 0.1 });
    first.applyGradients({ 'dense.weight': g });
    expect(added()).toEqual([false, false]);
    const live = await first.getWeights();
    const saved = live.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
    tf.dispose(
      live.filter((w) => w.name === 'iter' || w.name.endsWith('/step')).map((w) => w.tensor),
    );
    first.dispose();
    expect(added()).toEqual([]);
    const resumed = new AdamW({ learningRate: 0.1 });
    await resumed.setWeights(saved);
    tf.dispose(saved.map((w) => w.tensor));
    expect(added()).toEqual([false, false]);
    resumed.dispose();
    g.dispose();
  });

  // Each case breaks one part of a complete state for 'dense.weight' (the /m entry is kept but
  // holds no tensor in the last one, as a failed load would leave it).
  it.each([
    ['without /v', (w: NamedTensor) => (w.name === 'dense.weight/v' ? undefined : w)],
    ['without /step', (w: NamedTensor) => (w.name === 'dense.weight/step' ? undefined : w)],
    [
      'with an undefined /m tensor',
      (w: NamedTensor) =>
        w.name === 'dense.weight/m'
          ? { name: w.name, tensor: undefined as unknown as tf.Tensor }
          : w,
    ],
  ] as const)('rejects optimiser state %s in setWeights', async (_what, edit) => {
    const complete: NamedTensor[] = [
      { name: 'iter', tensor: tf.scalar(1, 'int32') },
      { name: 'dense.weight/m', tensor: tf.tensor1d([0.05, -0.2]) },
      { name: 'dense.weight/v', tensor: tf.tensor1d([0.00025, 0.004]) },
      { name: 'dense.weight/step', tensor: tf.scalar(1, 'int32') },
    ];
    const weights = complete.map(edit).filter((w) => w !== undefined);
    const opt = new AdamW({ learningRate: 0.1 });
    const e: unknown = await opt.setWeights(weights).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(GradientError);
    expect(e).toMatchObject({ code: 'ERR_TRAINING_GRADIENT', variable: 'dense.weight' });
    expect((e as Error).message).toBe(
      'AdamW: gradient for variable "dense.weight" has incomplete optimiser state ' +
        '(needs /m, /v and /step). Pass everything AdamW.getWeights() returned.',
    );
    opt.dispose();
    tf.dispose(complete.map((w) => w.tensor));
  });
});

describe('AdamW options', () => {
  it.each([
    [{ learningRate: -1 }, 'learningRate', 'is -1, expected a finite number ≥ 0'],
    [{ learningRate: NaN }, 'learningRate', 'is NaN, expected a finite number ≥ 0'],
    [{ learningRate: 1, beta1: 1 }, 'beta1', 'is 1, expected a number in [0, 1)'],
    [{ learningRate: 1, beta2: -0.1 }, 'beta2', 'is -0.1, expected a number in [0, 1)'],
    [{ learningRate: 1, epsilon: 0 }, 'epsilon', 'is 0, expected a finite number > 0'],
    [
      { learningRate: 1, weightDecay: -0.01 },
      'weightDecay',
      'is -0.01, expected a finite number ≥ 0',
    ],
  ])('rejects %o', (options, option, fact) => {
    const e = caught(() => new AdamW(options));
    expect(e).toBeInstanceOf(TrainingOptionError);
    expect(e).toMatchObject({ code: 'ERR_TRAINING_OPTION', option, where: 'AdamW' });
    expect(e.message).toContain(`AdamW: option "${option}" ${fact}`);
  });

  it('rejects a learning rate that is neither a number nor a function', () => {
    for (const [learningRate, shown] of [
      [undefined, 'undefined'],
      ['0.1', '0.1'],
      [null, 'null'],
    ] as const) {
      const e = caught(() => new AdamW({ learningRate } as unknown as AdamWOptions));
      expect(e).toBeInstanceOf(TrainingOptionError);
      expect(e).toMatchObject({
        code: 'ERR_TRAINING_OPTION',
        option: 'learningRate',
        where: 'AdamW',
      });
      expect(e.message).toBe(
        `AdamW: option "learningRate" is ${shown}, expected a finite number ≥ 0 or a schedule function.`,
      );
    }
  });

  it('accepts the lower bounds: a learning rate of 0 and betas of 0', () => {
    const opt = new AdamW({ learningRate: 0, beta1: 0, beta2: 0 });
    expect(opt.currentLearningRate()).toBe(0);
    expect(opt.getConfig()).toStrictEqual({
      learningRate: 0,
      beta1: 0,
      beta2: 0,
      epsilon: 1e-8,
      weightDecay: 0.01,
    });
  });

  it('leaves a schedule out of its config', () => {
    expect(new AdamW({ learningRate: () => 0.5, beta1: 0.8 }).getConfig()).toStrictEqual({
      beta1: 0.8,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0.01,
    });
  });

  it('has the serialization class name AdamW', () => {
    expect(AdamW.className).toBe('AdamW');
  });

  it('rejects a schedule that returns a bad learning rate when stepping', () => {
    const opt = new AdamW({ learningRate: () => -1 });
    const e = caught(() => opt.currentLearningRate());
    expect(e).toBeInstanceOf(TrainingOptionError);
    expect(e).toMatchObject({ code: 'ERR_TRAINING_OPTION', option: 'learningRate', value: -1 });
    expect(e.message).toContain('from the schedule at step 0');
  });

  it('reports its numeric config', () => {
    expect(new AdamW({ learningRate: 2e-5 }).getConfig()).toEqual({
      learningRate: 2e-5,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0.01,
    });
  });
});
