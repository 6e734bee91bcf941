import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type LossesErrorCode = 'ERR_LOSSES_SHAPE' | 'ERR_LOSSES_VALUE' | 'ERR_LOSSES_OPTION';

/**
 * Base class of every error thrown by `@rtk/losses`.
 *
 * @example
 * ```ts
 * try {
 *   infoNceLoss(anchor, positive, { scale: 0 });
 * } catch (e) {
 *   if (e instanceof LossesError) console.log(e.code); // "ERR_LOSSES_OPTION"
 * }
 * ```
 */
export abstract class LossesError extends RtkError {
  /** Stable machine-readable code. */
  abstract override readonly code: LossesErrorCode;
}

/**
 * Thrown when the embeddings (or labels) given to a loss have the wrong rank, disagree in
 * batch size or dimension, or are empty.
 *
 * @example
 * ```ts
 * try {
 *   tripletLoss(tf.zeros([4, 8]), tf.zeros([3, 8]), tf.zeros([4, 8]));
 * } catch (e) {
 *   if (e instanceof LossShapeError) console.log(e.code); // "ERR_LOSSES_SHAPE"
 * }
 * ```
 */
export class LossShapeError extends LossesError {
  readonly code = 'ERR_LOSSES_SHAPE' as const;
  /** The loss that rejected its input, e.g. `"tripletLoss"`. */
  readonly loss: string;
  /** The argument that has the wrong shape, e.g. `"positive"`. */
  readonly argument: string;
  /** The shape that was expected, in words, e.g. `"[4, 8]"`. */
  readonly expected: string;
  /** The shape that was received. */
  readonly received: readonly number[];

  constructor(loss: string, argument: string, expected: string, received: readonly number[]) {
    super(
      `${loss}: argument "${argument}" has shape [${received.join(', ')}], expected ${expected}. ` +
        'Losses are batch-first: pass one row per example, tf.Tensor2D [batch, dim], with the same ' +
        'batch size and dimension for every argument (see the loss documentation).',
    );
    this.loss = loss;
    this.argument = argument;
    this.expected = expected;
    this.received = received;
  }
}

/**
 * Thrown when an input tensor holds NaN or ±Infinity, or labels are not 0/1. A NaN in the
 * embeddings would silently turn the loss and every gradient into NaN and ruin the weights at
 * the next optimiser step, so it is stopped at the loss.
 *
 * @example
 * ```ts
 * try {
 *   infoNceLoss(tf.tensor2d([[NaN, 1]]), tf.tensor2d([[1, 0]]));
 * } catch (e) {
 *   if (e instanceof LossValueError) console.log(e.code, e.argument); // "ERR_LOSSES_VALUE" "anchor"
 * }
 * ```
 */
export class LossValueError extends LossesError {
  readonly code = 'ERR_LOSSES_VALUE' as const;
  /** The loss that rejected its input. */
  readonly loss: string;
  /** The argument holding the bad value. */
  readonly argument: string;

  constructor(loss: string, argument: string, problem: string, fix: string) {
    super(`${loss}: argument "${argument}" ${problem}. ${fix}`);
    this.loss = loss;
    this.argument = argument;
  }
}

/**
 * Thrown when a loss option is out of range (negative or non-finite margin, non-positive scale or
 * temperature, both scale and temperature given, unknown distance).
 *
 * @example
 * ```ts
 * try {
 *   infoNceLoss(a, p, { scale: 0 });
 * } catch (e) {
 *   if (e instanceof LossOptionError) console.log(e.code, e.option); // "ERR_LOSSES_OPTION" "scale"
 * }
 * ```
 */
export class LossOptionError extends LossesError {
  readonly code = 'ERR_LOSSES_OPTION' as const;
  /** The loss that rejected the option. */
  readonly loss: string;
  /** The option's name. */
  readonly option: string;
  /** The value received. */
  readonly value: unknown;

  constructor(loss: string, option: string, value: unknown, expected: string) {
    super(`${loss}: option "${option}" is ${String(value)}, expected ${expected}.`);
    this.loss = loss;
    this.option = option;
    this.value = value;
  }
}
