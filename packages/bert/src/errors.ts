/**
 * Error classes of the trainable encoder (`@rtk/encoders/trainable`): safetensors I/O, model
 * folders, configuration, inputs and backend selection. Every error extends
 * {@link TrainableEncoderError} and carries a stable `code` (match on it, not on the message).
 */

/** Stable codes of the errors the trainable encoder throws. */
export type TrainableEncoderErrorCode =
  | 'ERR_SAFETENSORS_CORRUPT'
  | 'ERR_SAFETENSORS_UNSUPPORTED_DTYPE'
  | 'ERR_SAFETENSORS_WRITE'
  | 'ERR_TRAINABLE_MODEL_FILE'
  | 'ERR_TRAINABLE_CONFIG'
  | 'ERR_TRAINABLE_WEIGHTS'
  | 'ERR_TRAINABLE_INPUT'
  | 'ERR_TRAINABLE_DISPOSED'
  | 'ERR_TRAINABLE_SAVE'
  | 'ERR_TFJS_BACKEND'
  | 'ERR_WASM_OUT_OF_MEMORY';

/**
 * Base class of every error thrown by the trainable encoder.
 *
 * @example
 * ```ts
 * try {
 *   await readSafetensors('model.safetensors');
 * } catch (error) {
 *   if (error instanceof TrainableEncoderError) console.error(error.code); // ERR_SAFETENSORS_CORRUPT
 * }
 * ```
 */
export abstract class TrainableEncoderError extends Error {
  /** Stable machine-readable code. */
  abstract readonly code: TrainableEncoderErrorCode;
}

/**
 * A safetensors file is malformed: header length past the end of the file, header that is not a
 * JSON object, bad `shape`/`data_offsets`, overlapping or missing bytes, duplicate tensor names.
 *
 * @example
 * ```ts
 * parseSafetensors(new Uint8Array(4), { source: 'x.safetensors' }); // throws SafetensorsCorruptError
 * ```
 */
export class SafetensorsCorruptError extends TrainableEncoderError {
  override readonly name = 'SafetensorsCorruptError';
  readonly code = 'ERR_SAFETENSORS_CORRUPT' as const;
  /** The file (or the caller's label for the bytes). */
  readonly source: string;
  /** The tensor the problem is in, when it concerns one. */
  readonly tensor: string | undefined;

  constructor(source: string, tensor: string | undefined, detail: string, options?: ErrorOptions) {
    super(
      `${source}: corrupt safetensors file${tensor === undefined ? '' : `, tensor ${JSON.stringify(tensor)}`}: ${detail} ` +
        'Re-download or re-export the file (safetensors: 8-byte little-endian header length, JSON header, raw data).',
      options,
    );
    this.source = source;
    this.tensor = tensor;
  }
}

/**
 * A tensor has a dtype this reader cannot convert to float32 (or that is unknown).
 *
 * @example
 * ```ts
 * tensorToFloat32(entryWithDtype('F8_E4M3'), 'model.safetensors'); // throws SafetensorsDtypeError
 * ```
 */
export class SafetensorsDtypeError extends TrainableEncoderError {
  override readonly name = 'SafetensorsDtypeError';
  readonly code = 'ERR_SAFETENSORS_UNSUPPORTED_DTYPE' as const;
  /** The file. */
  readonly source: string;
  /** The tensor. */
  readonly tensor: string;
  /** The rejected dtype. */
  readonly dtype: string;

  constructor(source: string, tensor: string, dtype: string, supported: readonly string[]) {
    super(
      `${source}: tensor ${JSON.stringify(tensor)} has dtype ${JSON.stringify(dtype)}, which cannot be read as float32; ` +
        `supported: ${supported.join(', ')}. Convert the checkpoint to F32, F16 or BF16 in Python first.`,
    );
    this.source = source;
    this.tensor = tensor;
    this.dtype = dtype;
  }
}

/**
 * Tensors handed to the safetensors writer are inconsistent (byte length not matching the shape,
 * duplicate or empty names, unknown dtype).
 *
 * @example
 * ```ts
 * serializeSafetensors([{ name: 'w', dtype: 'F32', shape: [2], bytes: new Uint8Array(4) }]); // throws
 * ```
 */
export class SafetensorsWriteError extends TrainableEncoderError {
  override readonly name = 'SafetensorsWriteError';
  readonly code = 'ERR_SAFETENSORS_WRITE' as const;
  /** The offending tensor name. */
  readonly tensor: string;

  constructor(tensor: string, detail: string) {
    super(`safetensors writer: tensor ${JSON.stringify(tensor)}: ${detail}`);
    this.tensor = tensor;
  }
}

/**
 * A model folder lacks a file or a file cannot be read.
 *
 * @example
 * ```ts
 * await loadTrainableEncoder('/no/such/folder'); // throws ModelFileError naming config.json
 * ```
 */
export class ModelFileError extends TrainableEncoderError {
  override readonly name = 'ModelFileError';
  readonly code = 'ERR_TRAINABLE_MODEL_FILE' as const;
  /** The file path. */
  readonly path: string;

  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(`${path}: ${detail}`, options);
    this.path = path;
  }
}

/**
 * `config.json` is not a usable BERT configuration (missing or invalid field, unsupported
 * activation or position embedding type).
 *
 * @example
 * ```ts
 * parseBertConfig({ hidden_size: 30, num_attention_heads: 4 }, 'config.json'); // throws BertConfigError
 * ```
 */
export class BertConfigError extends TrainableEncoderError {
  override readonly name = 'BertConfigError';
  readonly code = 'ERR_TRAINABLE_CONFIG' as const;
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
 * The weights do not fit the configuration: a tensor is missing or has the wrong shape.
 *
 * @example
 * ```ts
 * await loadTrainableEncoder(folderWithTruncatedWeights); // throws BertWeightsError naming the tensor
 * ```
 */
export class BertWeightsError extends TrainableEncoderError {
  override readonly name = 'BertWeightsError';
  readonly code = 'ERR_TRAINABLE_WEIGHTS' as const;
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
export class EncoderInputError extends TrainableEncoderError {
  override readonly name = 'EncoderInputError';
  readonly code = 'ERR_TRAINABLE_INPUT' as const;
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
export class EncoderDisposedError extends TrainableEncoderError {
  override readonly name = 'EncoderDisposedError';
  readonly code = 'ERR_TRAINABLE_DISPOSED' as const;

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
export class ModelSaveError extends TrainableEncoderError {
  override readonly name = 'ModelSaveError';
  readonly code = 'ERR_TRAINABLE_SAVE' as const;
  /** The target folder. */
  readonly path: string;

  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(`${path}: ${detail}`, options);
    this.path = path;
  }
}

/**
 * No TensorFlow.js backend could be started, or the one asked for is not available.
 *
 * @example
 * ```ts
 * await selectBackend({ prefer: ['tensorflow'], fallback: false }); // throws here: binding missing
 * ```
 */
export class BackendError extends TrainableEncoderError {
  override readonly name = 'BackendError';
  readonly code = 'ERR_TFJS_BACKEND' as const;
  /** Why each tried backend failed, in order. */
  readonly attempts: readonly { readonly backend: string; readonly reason: string }[];

  constructor(
    detail: string,
    attempts: readonly { readonly backend: string; readonly reason: string }[],
  ) {
    super(
      `${detail} ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}. ` +
        'Install @tensorflow/tfjs-backend-wasm (always works) or @tensorflow/tfjs-node where its native library installs.',
    );
    this.attempts = attempts;
  }
}

/**
 * The wasm backend's heap (at most 4 GB) cannot hold a new tensor. The allocation is refused
 * before anything is written. When `recoverable`, the backend stays usable: free tensors, then
 * retry with a smaller batch, gradient checkpointing (`checkpoint: true`, the wasm default) or
 * gradient caching. Otherwise (the allocator's 32-bit heap arithmetic overflowed) the wasm backend
 * cannot allocate again in this process: restart it with a smaller batch.
 *
 * @example
 * ```ts
 * try {
 *   step(batchOf64);
 * } catch (error) {
 *   if (error instanceof WasmOutOfMemoryError) step(batchOf32);
 * }
 * ```
 */
export class WasmOutOfMemoryError extends TrainableEncoderError {
  override readonly name = 'WasmOutOfMemoryError';
  readonly code = 'ERR_WASM_OUT_OF_MEMORY' as const;
  /** Bytes that were asked for. */
  readonly requestedBytes: number;
  /** Size of the heap when the allocation failed. */
  readonly heapBytes: number;
  /** False when the wasm backend cannot allocate again in this process. */
  readonly recoverable: boolean;

  constructor(requestedBytes: number, heapBytes: number, recoverable: boolean) {
    const mib = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MiB`;
    super(
      `TF.js wasm backend: out of memory: cannot allocate ${mib(requestedBytes)} more in a heap of ${mib(heapBytes)} (the limit is 4096 MiB)` +
        (recoverable ? '' : '; the backend cannot allocate again in this process') +
        '. Use a smaller batch, gradient checkpointing (checkpoint: true) or gradient caching.',
    );
    this.requestedBytes = requestedBytes;
    this.heapBytes = heapBytes;
    this.recoverable = recoverable;
  }
}

/**
 * The first non-empty line of an error's message, for one-line reports (`package not installed`
 * for a module that cannot be found). Internal: not exported from the package.
 */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return typeof code === 'string' && code === 'ERR_MODULE_NOT_FOUND'
    ? 'package not installed'
    : line.trim();
}
