/**
 * Thrown when the embeddings (or labels) given to a loss have the wrong rank, disagree in
 * batch size or dimension, or are empty.
 *
 * @example
 * ```ts
 * try {
 *   tripletLoss(tf.zeros([4, 8]), tf.zeros([3, 8]), tf.zeros([4, 8]));
 * } catch (e) {
 *   if (e instanceof LossShapeError) console.log(e.code); // "ERR_LOSS_SHAPE"
 * }
 * ```
 */
export class LossShapeError extends Error {
  override readonly name = 'LossShapeError' as const;
  readonly code = 'ERR_LOSS_SHAPE' as const;
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
 *   if (e instanceof LossValueError) console.log(e.code, e.argument); // "ERR_LOSS_VALUE" "anchor"
 * }
 * ```
 */
export class LossValueError extends Error {
  override readonly name = 'LossValueError' as const;
  readonly code = 'ERR_LOSS_VALUE' as const;
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
 *   if (e instanceof LossOptionError) console.log(e.code, e.option); // "ERR_LOSS_OPTION" "scale"
 * }
 * ```
 */
export class LossOptionError extends Error {
  override readonly name = 'LossOptionError' as const;
  readonly code = 'ERR_LOSS_OPTION' as const;
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
