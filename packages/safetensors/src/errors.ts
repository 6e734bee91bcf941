/**
 * Error classes of `@rtk/safetensors`. Every error extends {@link SafetensorsError} (itself an
 * `RtkError` of `@rtk/errors`) and carries a stable `code`: match on it, not on the message.
 */
import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type SafetensorsErrorCode =
  'ERR_SAFETENSORS_CORRUPT' | 'ERR_SAFETENSORS_UNSUPPORTED_DTYPE' | 'ERR_SAFETENSORS_WRITE';

/**
 * Base class of every error thrown by `@rtk/safetensors`.
 *
 * @example
 * ```ts
 * try {
 *   await readSafetensors('model.safetensors');
 * } catch (error) {
 *   if (error instanceof SafetensorsError) console.error(error.code); // ERR_SAFETENSORS_CORRUPT
 * }
 * ```
 */
export abstract class SafetensorsError extends RtkError {
  abstract override readonly code: SafetensorsErrorCode;
}

/**
 * A safetensors file is malformed or unreadable: header length past the end of the file, header
 * that is not a JSON object, bad `shape`/`data_offsets`, overlapping or missing bytes, duplicate
 * tensor names.
 *
 * @example
 * ```ts
 * parseSafetensors(new Uint8Array(4), { source: 'x.safetensors' }); // throws SafetensorsCorruptError
 * ```
 */
export class SafetensorsCorruptError extends SafetensorsError {
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
export class SafetensorsDtypeError extends SafetensorsError {
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
export class SafetensorsWriteError extends SafetensorsError {
  readonly code = 'ERR_SAFETENSORS_WRITE' as const;
  /** The offending tensor name. */
  readonly tensor: string;

  constructor(tensor: string, detail: string) {
    super(`safetensors writer: tensor ${JSON.stringify(tensor)}: ${detail}`);
    this.tensor = tensor;
  }
}
