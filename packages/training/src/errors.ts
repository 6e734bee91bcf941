import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type TrainingErrorCode =
  | 'ERR_TRAINING_OPTION'
  | 'ERR_TRAINING_GRADIENT'
  | 'ERR_TRAINING_BATCH'
  | 'ERR_TRAINING_NON_FINITE'
  | 'ERR_TRAINING_DATA'
  | 'ERR_TRAINING_CHECKPOINT'
  | 'ERR_TRAINING_RUN_MISMATCH';

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

/**
 * Thrown when a step's loss or gradient norm is NaN or infinite (a learning rate too high, bad
 * data): the update is not applied, and `fineTune` stops there, keeping its last checkpoint.
 *
 * @example
 * ```ts
 * try {
 *   await fineTune(encoder, examples, { loss: { name: 'info-nce' }, learningRate: 1e9 });
 * } catch (e) {
 *   if (e instanceof NonFiniteError) console.log(e.code, e.step); // "ERR_TRAINING_NON_FINITE" 3
 * }
 * ```
 */
export class NonFiniteError extends TrainingError {
  readonly code = 'ERR_TRAINING_NON_FINITE' as const;
  /** The optimiser step (1-based) whose loss or gradient was not finite. */
  readonly step: number;
  /** `'loss'` or `'gradient norm'`. */
  readonly quantity: string;

  constructor(where: string, step: number, quantity: string, value: number, fix?: string) {
    super(
      `${where}: the ${quantity} of step ${step} is ${String(value)}; the step was not applied. ${fix ?? 'Lower the learning rate or check the data of this step.'}`,
    );
    this.step = step;
    this.quantity = quantity;
  }
}

/**
 * Thrown for training data that cannot be used: a malformed JSONL line (with file and line), a
 * missing field, an empty text, fewer examples than a batch, or fewer negatives than asked for.
 *
 * @example
 * ```ts
 * try {
 *   await loadTrainingExamples('triplets.jsonl');
 * } catch (e) {
 *   if (e instanceof TrainingDataError) console.log(e.code, e.file, e.line); // "ERR_TRAINING_DATA" "triplets.jsonl" 7
 * }
 * ```
 */
export class TrainingDataError extends TrainingError {
  readonly code = 'ERR_TRAINING_DATA' as const;
  /** The file at fault, when the data came from one. */
  readonly file: string | undefined;
  /** Its 1-based line, when one line is at fault. */
  readonly line: number | undefined;

  constructor(message: string, at: { file?: string; line?: number } = {}) {
    const where =
      at.file === undefined
        ? ''
        : at.line === undefined
          ? `${at.file}: `
          : `${at.file}:${at.line}: `;
    super(`${where}${message}`);
    this.file = at.file;
    this.line = at.line;
  }
}

/**
 * Thrown when a checkpoint folder cannot be written or read back (a missing or corrupt
 * trainer_state.json, optimizer state that does not fit the model).
 *
 * @example
 * ```ts
 * try {
 *   await fineTune(encoder, examples, { ...options, outputDir: 'runs/a' });
 * } catch (e) {
 *   if (e instanceof CheckpointError) console.log(e.code, e.path); // "ERR_TRAINING_CHECKPOINT" "runs/a/checkpoint-20"
 * }
 * ```
 */
export class CheckpointError extends TrainingError {
  readonly code = 'ERR_TRAINING_CHECKPOINT' as const;
  /** The checkpoint folder or file. */
  readonly path: string;

  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(`checkpoint ${path}: ${problem}`, options);
    this.path = path;
  }
}

/**
 * Thrown when the output folder holds checkpoints of a different run (other settings, data or
 * starting model): resuming would mix two runs. Choose another folder or remove it.
 *
 * @example
 * ```ts
 * try {
 *   await fineTune(encoder, examples, { ...options, learningRate: 1e-4, outputDir: 'runs/a' });
 * } catch (e) {
 *   if (e instanceof RunMismatchError) console.log(e.code, e.differences); // "ERR_TRAINING_RUN_MISMATCH" ["learningRate"]
 * }
 * ```
 */
export class RunMismatchError extends TrainingError {
  readonly code = 'ERR_TRAINING_RUN_MISMATCH' as const;
  /** The checkpoint that belongs to another run. */
  readonly checkpoint: string;
  /** The settings that differ (`data` for the examples, `model` for the starting weights). */
  readonly differences: readonly string[];

  constructor(checkpoint: string, differences: readonly string[]) {
    super(
      `${checkpoint} belongs to a different run (differs in: ${differences.join(', ')}); it was not resumed. Use another output folder, or remove this one to start over.`,
    );
    this.checkpoint = checkpoint;
    this.differences = differences;
  }
}
