import { TrainingOptionError } from './errors.js';

/**
 * A learning-rate schedule: the learning rate for an optimiser step, given `step`, the number of
 * optimiser steps already taken (0 for the first step, as in PyTorch's `LambdaLR` and Hugging Face
 * `get_*_schedule_with_warmup`).
 */
export type LearningRateSchedule = (step: number) => number;

/** Options of {@link linearWarmupDecay}. */
export interface LinearWarmupDecayOptions {
  /** The peak learning rate reached after warmup, > 0. */
  readonly learningRate: number;
  /** W, warmup steps, an integer in [0, totalSteps). Default 0. */
  readonly warmupSteps?: number;
  /** T, the total number of optimiser steps of the run, an integer > 0. */
  readonly totalSteps: number;
}

/** Options of {@link constantLearningRate}. */
export interface ConstantLearningRateOptions {
  /** The learning rate after warmup, ≥ 0. */
  readonly learningRate: number;
  /** W, warmup steps, an integer ≥ 0. Default 0. */
  readonly warmupSteps?: number;
}

function checkNonNegativeInteger(where: string, option: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new TrainingOptionError(where, option, value, 'an integer ≥ 0');
  }
}

function checkLearningRate(where: string, value: number, allowZero: boolean): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TrainingOptionError(
      where,
      'learningRate',
      value,
      allowZero ? 'a finite number ≥ 0' : 'a finite number > 0',
    );
  }
}

/**
 * Linear warmup then linear decay to 0 (Hugging Face `get_linear_schedule_with_warmup`; the
 * sentence-transformers trainer's default, and `WarmupLinear` of its legacy `fit`):
 *
 * lr(t) = base · t / W for t < W, then base · max(0, (T − t) / (T − W))
 *
 * where t is the number of optimiser steps already taken. With W > 0 the first step runs at lr 0;
 * steps at or past T get 0.
 *
 * Relations: {@link constantLearningRate} keeps the peak after warmup; both plug into
 * {@link AdamW}'s `learningRate`.
 *
 * @returns A {@link LearningRateSchedule}; it throws {@link TrainingOptionError} for a negative or
 *   non-integer step.
 * @throws {@link TrainingOptionError} when learningRate ≤ 0, totalSteps < 1 or warmupSteps ∉ [0, T).
 *
 * @example
 * ```ts
 * const lr = linearWarmupDecay({ learningRate: 2e-5, warmupSteps: 10, totalSteps: 100 });
 * [0, 5, 10, 55, 100].map(lr); // [0, 1e-5, 2e-5, 1e-5, 0]
 * ```
 */
export function linearWarmupDecay(options: LinearWarmupDecayOptions): LearningRateSchedule {
  const where = 'linearWarmupDecay';
  const { learningRate, totalSteps } = options;
  const warmupSteps = options.warmupSteps ?? 0;
  checkLearningRate(where, learningRate, false);
  if (!Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new TrainingOptionError(where, 'totalSteps', totalSteps, 'an integer ≥ 1');
  }
  checkNonNegativeInteger(where, 'warmupSteps', warmupSteps);
  if (warmupSteps >= totalSteps) {
    throw new TrainingOptionError(
      where,
      'warmupSteps',
      warmupSteps,
      `fewer than totalSteps (${totalSteps})`,
    );
  }
  return (step: number): number => {
    checkNonNegativeInteger(where, 'step', step);
    if (step < warmupSteps) return (learningRate * step) / warmupSteps;
    return learningRate * Math.max(0, (totalSteps - step) / (totalSteps - warmupSteps));
  };
}

/**
 * A constant learning rate, optionally after a linear warmup (Hugging Face
 * `get_constant_schedule_with_warmup`): lr(t) = base · t / W for t < W, else base.
 *
 * Relations: {@link linearWarmupDecay} also decays to 0 by the end of the run.
 *
 * @returns A {@link LearningRateSchedule}; it throws {@link TrainingOptionError} for a negative or
 *   non-integer step.
 * @throws {@link TrainingOptionError} when learningRate < 0 or warmupSteps is not an integer ≥ 0.
 *
 * @example
 * ```ts
 * const lr = constantLearningRate({ learningRate: 1e-3, warmupSteps: 4 });
 * [0, 2, 4, 1000].map(lr); // [0, 5e-4, 1e-3, 1e-3]
 * ```
 */
export function constantLearningRate(options: ConstantLearningRateOptions): LearningRateSchedule {
  const where = 'constantLearningRate';
  const { learningRate } = options;
  const warmupSteps = options.warmupSteps ?? 0;
  checkLearningRate(where, learningRate, true);
  checkNonNegativeInteger(where, 'warmupSteps', warmupSteps);
  return (step: number): number => {
    checkNonNegativeInteger(where, 'step', step);
    return step < warmupSteps ? (learningRate * step) / warmupSteps : learningRate;
  };
}
