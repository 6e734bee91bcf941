/**
 * Error classes of `@rtk/encoders`. Every error extends {@link EncodersError} (an `RtkError` of
 * `@rtk/errors`) with a stable `code`; messages say what failed, where, what was expected and
 * how to fix it.
 */
import { RtkError, firstLine } from '@rtk/errors';

/** The codes of every error this package throws. */
export type EncodersErrorCode =
  | 'ERR_ENCODERS_MODEL_FILE_MISSING'
  | 'ERR_ENCODERS_MODEL_FILE_CORRUPT'
  | 'ERR_ENCODERS_UNSUPPORTED_MODEL'
  | 'ERR_ENCODERS_INVALID_OPTION'
  | 'ERR_ENCODERS_INVALID_INPUT'
  | 'ERR_ENCODERS_MODEL_OUTPUT'
  | 'ERR_ENCODERS_INTERNALS'
  | 'ERR_ENCODERS_BERT_CONFIG'
  | 'ERR_ENCODERS_EXPORT';

/**
 * Base class of every error thrown by `@rtk/encoders`.
 *
 * @example
 * ```ts
 * try { await loadTokenizer('/nowhere'); } catch (e) { if (e instanceof EncodersError) console.log(e.code); }
 * // ERR_ENCODERS_MODEL_FILE_MISSING
 * ```
 */
export abstract class EncodersError extends RtkError {
  abstract override readonly code: EncodersErrorCode;
}

/**
 * A file the model folder must contain is not there.
 *
 * @example
 * ```ts
 * await loadTokenizer('/tmp/empty'); // throws ModelFileMissingError naming /tmp/empty/tokenizer.json
 * ```
 */
export class ModelFileMissingError extends EncodersError {
  readonly code = 'ERR_ENCODERS_MODEL_FILE_MISSING' as const;
  /** Absolute path of the missing file. */
  readonly path: string;
  constructor(path: string, what: string, fix: string, options?: ErrorOptions) {
    super(`${what}: ${path} does not exist. ${fix}`, options);
    this.path = path;
  }
}

/**
 * A model file exists but cannot be read as what it should be (bad JSON, a truncated ONNX
 * graph, a tokenizer.json the tokenizer library rejects).
 *
 * @example
 * ```ts
 * await loadTokenizer(dirWithBrokenJson); // throws ModelFileCorruptError naming tokenizer.json
 * ```
 */
export class ModelFileCorruptError extends EncodersError {
  readonly code = 'ERR_ENCODERS_MODEL_FILE_CORRUPT' as const;
  /** Absolute path of the bad file. */
  readonly path: string;
  constructor(path: string, expected: string, options?: ErrorOptions) {
    const reason = options?.cause === undefined ? '' : ` (${firstLine(options.cause)})`;
    super(
      `${path} cannot be read as ${expected}${reason}. ` +
        'Download the file again (delete it from the cache folder first) or re-export the model.',
      options,
    );
    this.path = path;
  }
}

/**
 * The model folder holds a model this encoder does not run (not a BERT-family encoder, or an
 * ONNX graph without the inputs/outputs it needs).
 *
 * @example
 * ```ts
 * await loadSentenceEncoder({ model: gpt2Dir }); // throws UnsupportedModelError: model_type "gpt2"
 * ```
 */
export class UnsupportedModelError extends EncodersError {
  readonly code = 'ERR_ENCODERS_UNSUPPORTED_MODEL' as const;
  /** The folder or file that was inspected. */
  readonly path: string;
  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.path = path;
  }
}

/**
 * An option is out of range or of the wrong kind.
 *
 * @example
 * ```ts
 * tokenizer.encodeBatch(['a'], { maxLength: 1 }); // throws InvalidEncoderOptionError naming maxLength
 * ```
 */
export class InvalidEncoderOptionError extends EncodersError {
  readonly code = 'ERR_ENCODERS_INVALID_OPTION' as const;
  /** Name of the option. */
  readonly option: string;
  constructor(option: string, where: string, expected: string, received: unknown) {
    super(
      `${where}: option \`${option}\` must be ${expected}; received ${JSON.stringify(received) ?? String(received)}.`,
    );
    this.option = option;
  }
}

/**
 * An input text is not a string (e.g. `undefined` from a missing field).
 *
 * @example
 * ```ts
 * await encoder.encode(['ok', undefined as unknown as string]); // throws InvalidInputError: index 1
 * ```
 */
export class InvalidInputError extends EncodersError {
  readonly code = 'ERR_ENCODERS_INVALID_INPUT' as const;
  /** Position of the bad text in the input array. */
  readonly index: number;
  constructor(index: number, where: string, received: unknown) {
    super(
      `${where}: texts[${index}] must be a string (empty strings are allowed); received ${typeof received}. ` +
        'Filter or fill missing texts before encoding.',
    );
    this.index = index;
  }
}

/**
 * The ONNX session returned something other than a `[batch, length, hidden]` float tensor.
 *
 * @example
 * ```ts
 * await encoder.encode(['a']); // with a graph whose output is not last_hidden_state: ModelOutputError
 * ```
 */
export class ModelOutputError extends EncodersError {
  readonly code = 'ERR_ENCODERS_MODEL_OUTPUT' as const;
  constructor(path: string, detail: string) {
    super(
      `${path}: ${detail}. Expected output \`last_hidden_state\` of shape [batch, length, hidden] (float32). ` +
        'Re-export the model as a feature-extraction (BertModel) graph.',
    );
  }
}

/**
 * An internal of transformers.js (`@huggingface/transformers`) that this package relies on is not
 * what it was in the pinned release (`TRANSFORMERS_PINNED_VERSION`).
 *
 * @example
 * ```ts
 * await loadSentenceEncoder(); // on a transformers.js whose models lack `sessions`: this error
 * ```
 */
export class TransformersInternalsError extends EncodersError {
  readonly code = 'ERR_ENCODERS_INTERNALS' as const;
  /** Short name of the assumption that no longer holds. */
  readonly assumption: string;
  constructor(assumption: string, detail: string) {
    super(
      `transformers.js internals changed: ${assumption}: ${detail}. @rtk/encoders is pinned to ` +
        '@huggingface/transformers 4.3.2 (src/_transformers-internals.ts); install that release or re-check the assumption and its canary test.',
    );
    this.assumption = assumption;
  }
}

/**
 * `config.json` is not a usable BERT configuration (missing or invalid field, unsupported
 * activation or position embedding type, another `model_type`). `@rtk/bert` re-exports it.
 *
 * @example
 * ```ts
 * parseBertConfig({ hidden_size: 30, num_attention_heads: 4 }, 'config.json'); // throws BertConfigError
 * ```
 */
export class BertConfigError extends EncodersError {
  readonly code = 'ERR_ENCODERS_BERT_CONFIG' as const;
  /** The configuration file. */
  readonly source: string;
  /** The field at fault. */
  readonly field: string;

  constructor(source: string, field: string, detail: string) {
    super(`${source}: field ${JSON.stringify(field)}: ${detail}`);
    this.source = source;
    this.field = field;
  }
}

/**
 * A model cannot be exported to ONNX: its weights lack a tensor the configuration needs or have
 * the wrong shape, the output folder is taken, or writing it failed (nothing is left behind).
 *
 * @example
 * ```ts
 * await exportOnnx('folder-without-bert-weights', '/tmp/out'); // throws OnnxExportError naming the tensor
 * ```
 */
export class OnnxExportError extends EncodersError {
  readonly code = 'ERR_ENCODERS_EXPORT' as const;
  /** The file or folder at fault. */
  readonly path: string;
  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(`${path}: ${detail}`, options);
    this.path = path;
  }
}
