/**
 * Error classes of `@rtk/bert`: model folders, configuration, weights, inputs, saving. Every
 * error extends {@link BertError} (an `RtkError` of `@rtk/errors`) and carries a stable `code`
 * (match on it, not on the message). Files that are missing from a model folder surface as
 * `@rtk/encoders`' `ModelFileMissingError` (the one model-folder resolver), corrupt weights as
 * `@rtk/safetensors`' errors, backend problems as `@rtk/tfjs`' errors.
 */
import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type BertErrorCode =
  | 'ERR_BERT_MODEL_FILE'
  | 'ERR_BERT_WEIGHTS'
  | 'ERR_BERT_INPUT'
  | 'ERR_BERT_DISPOSED'
  | 'ERR_BERT_SAVE';

/**
 * Base class of every error thrown by `@rtk/bert`.
 *
 * @example
 * ```ts
 * try {
 *   await loadTrainableEncoder('/no/such/folder');
 * } catch (error) {
 *   if (error instanceof BertError) console.error(error.code); // ERR_BERT_MODEL_FILE
 * }
 * ```
 */
export abstract class BertError extends RtkError {
  abstract override readonly code: BertErrorCode;
}

/**
 * A model folder lacks a file or a file cannot be read.
 *
 * @example
 * ```ts
 * await loadTrainableEncoder('/no/such/folder'); // throws ModelFileError naming config.json
 * ```
 */
export class ModelFileError extends BertError {
  readonly code = 'ERR_BERT_MODEL_FILE' as const;
  /** The file path. */
  readonly path: string;

  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(`${path}: ${detail}`, options);
    this.path = path;
  }
}

/**
 * The weights do not fit the configuration: a tensor is missing or has the wrong shape.
 *
 * @example
 * ```ts
 * await loadTrainableEncoder(folderWithTruncatedWeights); // throws BertWeightsError naming the tensor
 * ```
 */
export class BertWeightsError extends BertError {
  readonly code = 'ERR_BERT_WEIGHTS' as const;
  /** The weights file. */
  readonly source: string;
  /** The tensor at fault. */
  readonly tensor: string;

  constructor(source: string, tensor: string, detail: string) {
    super(`${source}: tensor ${JSON.stringify(tensor)}: ${detail}`);
    this.source = source;
    this.tensor = tensor;
  }
}

/**
 * Inputs to the encoder are invalid (shape mismatch, token id out of range, sequence longer than
 * the position table, bad option value).
 *
 * @example
 * ```ts
 * encoder.forward({ inputIds, attentionMask, batchSize: 2, length: 5 }); // wrong lengths: throws
 * ```
 */
export class EncoderInputError extends BertError {
  readonly code = 'ERR_BERT_INPUT' as const;
  /** The argument at fault. */
  readonly argument: string;

  constructor(where: string, argument: string, detail: string) {
    super(`${where}: argument ${JSON.stringify(argument)}: ${detail}`);
    this.argument = argument;
  }
}

/**
 * The encoder was used after `dispose()`.
 *
 * @example
 * ```ts
 * encoder.dispose();
 * encoder.embed(batch); // throws EncoderDisposedError
 * ```
 */
export class EncoderDisposedError extends BertError {
  readonly code = 'ERR_BERT_DISPOSED' as const;

  constructor(where: string) {
    super(`${where}: the encoder was disposed; load it again with loadTrainableEncoder().`);
  }
}

/**
 * Saving a model folder failed (target exists, write or rename failed).
 *
 * @example
 * ```ts
 * await encoder.save('/existing/non-empty/folder'); // throws ModelSaveError unless { overwrite: true }
 * ```
 */
export class ModelSaveError extends BertError {
  readonly code = 'ERR_BERT_SAVE' as const;
  /** The target folder. */
  readonly path: string;

  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(`${path}: ${detail}`, options);
    this.path = path;
  }
}
