import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type TrainingErrorCode =
  'ERR_TRAINING_OPTION' | 'ERR_TRAINING_GRADIENT' | 'ERR_TRAINING_BATCH';

/**
 * Base class of every error thrown by `@rtk/training`.
 *
 * @example
 * ```ts
 * try {
 *   clipByGlobalNorm(grads, 0);
 * } catch (e) {
 *   if (e instanceof TrainingError) console.log(e.code); // "ERR_TRAINING_OPTION"
 * }
 * ```
 */
export abstract class TrainingError extends RtkError {
  /** Stable machine-readable code. */
  abstract override readonly code: TrainingErrorCode;
}

/**
 * Thrown when an optimiser, clipping or schedule option is out of range (a negative learning
 * rate, betas outside [0, 1), a warmup longer than the run, a non-integer step, …).
 *
 * @example
 * ```ts
 * try {
 *   new AdamW({ learningRate: -1 });
 * } catch (e) {
 *   if (e instanceof TrainingOptionError) console.log(e.code, e.option); // "ERR_TRAINING_OPTION" "learningRate"
 * }
 * ```
 */
export class TrainingOptionError extends TrainingError {
  readonly code = 'ERR_TRAINING_OPTION' as const;
  /** Where the option was given, e.g. `"AdamW"` or `"linearWarmupDecay"`. */
  readonly where: string;
  /** The option's name. */
  readonly option: string;
  /** The value received. */
  readonly value: unknown;

  constructor(where: string, option: string, value: unknown, expected: string) {
    super(`${where}: option "${option}" is ${String(value)}, expected ${expected}.`);
    this.where = where;
    this.option = option;
    this.value = value;
  }
}

/**
 * Thrown when a gradient cannot be applied: it names no registered variable, or its shape or
 * dtype differs from the variable's.
 *
 * @example
 * ```ts
 * try {
 *   optimizer.applyGradients({ 'no.such.variable': tf.zeros([2]) });
 * } catch (e) {
 *   if (e instanceof GradientError) console.log(e.code, e.variable); // "ERR_TRAINING_GRADIENT" "no.such.variable"
 * }
 * ```
 */
export class GradientError extends TrainingError {
  readonly code = 'ERR_TRAINING_GRADIENT' as const;
  /** The variable name the gradient was given for. */
  readonly variable: string;

  constructor(where: string, variable: string, problem: string, fix: string) {
    super(`${where}: gradient for variable "${variable}" ${problem}. ${fix}`);
    this.variable = variable;
  }
}

/**
 * Thrown by a training step when its batch does not fit the step: towers of different sizes, a
 * negatives count the loss cannot use, labels missing or misplaced.
 *
 * @example
 * ```ts
 * try {
 *   trainer.step({ queries, passages: passagesOfAnotherSize });
 * } catch (e) {
 *   if (e instanceof TrainingBatchError) console.log(e.code, e.field); // "ERR_TRAINING_BATCH" "passages"
 * }
 * ```
 */
export class TrainingBatchError extends TrainingError {
  readonly code = 'ERR_TRAINING_BATCH' as const;
  /** The batch field at fault, e.g. `"passages"`, `"negatives"` or `"labels"`. */
  readonly field: string;

  constructor(where: string, field: string, problem: string, fix: string) {
    super(`${where}: batch field "${field}" ${problem}. ${fix}`);
    this.field = field;
  }
}
