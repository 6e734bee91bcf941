/**
 * Error classes of `@rtk/encoders` (inference side). Each has a stable `name` and `code`;
 * messages say what failed, where, what was expected and how to fix it.
 */

/** The codes of every error the inference side of this package throws. */
export type EncodersErrorCode =
  | 'ENCODERS_MODEL_FILE_MISSING'
  | 'ENCODERS_MODEL_FILE_CORRUPT'
  | 'ENCODERS_UNSUPPORTED_MODEL'
  | 'ENCODERS_INVALID_OPTION'
  | 'ENCODERS_INVALID_INPUT'
  | 'ENCODERS_MODEL_OUTPUT'
  | 'ENCODERS_NOT_INDEXED';

/**
 * Base class of every error thrown by the inference side of `@rtk/encoders`.
 *
 * @example
 * ```ts
 * try { await loadTokenizer('/nowhere'); } catch (e) { if (e instanceof EncodersError) console.log(e.code); }
 * // ENCODERS_MODEL_FILE_MISSING
 * ```
 */
export class EncodersError extends Error {
  /** Stable machine-readable code. */
  readonly code: EncodersErrorCode;
  constructor(code: EncodersErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EncodersError';
    this.code = code;
  }
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
  /** Absolute path of the missing file. */
  readonly path: string;
  constructor(path: string, what: string, fix: string, options?: ErrorOptions) {
    super('ENCODERS_MODEL_FILE_MISSING', `${what}: ${path} does not exist. ${fix}`, options);
    this.name = 'ModelFileMissingError';
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
  /** Absolute path of the bad file. */
  readonly path: string;
  constructor(path: string, expected: string, options?: ErrorOptions) {
    const reason = options?.cause instanceof Error ? ` (${options.cause.message})` : '';
    super(
      'ENCODERS_MODEL_FILE_CORRUPT',
      `${path} cannot be read as ${expected}${reason}. ` +
        'Download the file again (delete it from the cache folder first) or re-export the model.',
      options,
    );
    this.name = 'ModelFileCorruptError';
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
  /** The folder or file that was inspected. */
  readonly path: string;
  constructor(path: string, detail: string) {
    super('ENCODERS_UNSUPPORTED_MODEL', `${path}: ${detail}`);
    this.name = 'UnsupportedModelError';
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
  /** Name of the option. */
  readonly option: string;
  constructor(option: string, where: string, expected: string, received: unknown) {
    super(
      'ENCODERS_INVALID_OPTION',
      `${where}: option \`${option}\` must be ${expected}; received ${JSON.stringify(received) ?? String(received)}.`,
    );
    this.name = 'InvalidEncoderOptionError';
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
  /** Position of the bad text in the input array. */
  readonly index: number;
  constructor(index: number, where: string, received: unknown) {
    super(
      'ENCODERS_INVALID_INPUT',
      `${where}: texts[${index}] must be a string (empty strings are allowed); received ${typeof received}. ` +
        'Filter or fill missing texts before encoding.',
    );
    this.name = 'InvalidInputError';
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
  constructor(path: string, detail: string) {
    super(
      'ENCODERS_MODEL_OUTPUT',
      `${path}: ${detail}. Expected output \`last_hidden_state\` of shape [batch, length, hidden] (float32). ` +
        'Re-export the model as a feature-extraction (BertModel) graph.',
    );
    this.name = 'ModelOutputError';
  }
}

/**
 * {@link DenseRetriever.search} was called before {@link DenseRetriever.index}.
 *
 * @example
 * ```ts
 * await new DenseRetriever({ encoder }).search(['q'], { k: 10 }); // throws NotIndexedError
 * ```
 */
export class NotIndexedError extends EncodersError {
  constructor(where: string) {
    super('ENCODERS_NOT_INDEXED', `${where}: no corpus is indexed. Call index(corpus) first.`);
    this.name = 'NotIndexedError';
  }
}
