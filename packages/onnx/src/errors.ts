/**
 * Error classes of `@rtk/onnx`. Every error extends {@link OnnxError} (an `RtkError` of
 * `@rtk/errors`) and carries a stable `code`: match on it, not on the message.
 */
import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type OnnxErrorCode = 'ERR_ONNX_INVALID_GRAPH';

/**
 * Base class of every error thrown by `@rtk/onnx`.
 *
 * @example
 * ```ts
 * try {
 *   tensorProto('w', [2, 2], Float32Array.of(1, 2, 3));
 * } catch (error) {
 *   if (error instanceof OnnxError) console.error(error.code); // ERR_ONNX_INVALID_GRAPH
 * }
 * ```
 */
export abstract class OnnxError extends RtkError {
  abstract override readonly code: OnnxErrorCode;
}

/**
 * A model cannot be encoded as given: a tensor whose data does not fill its dims, a dimension
 * that is not an integer ≥ 0, two values of one name, a node reading a value nothing defines.
 * Raised before any byte is produced.
 *
 * @example
 * ```ts
 * tensorProto('w', [2, 2], Float32Array.of(1, 2, 3)); // throws InvalidGraphError: 3 values for dims [2, 2]
 * ```
 */
export class InvalidGraphError extends OnnxError {
  readonly code = 'ERR_ONNX_INVALID_GRAPH' as const;
  /** The tensor, node or value at fault. */
  readonly subject: string;

  constructor(subject: string, detail: string) {
    super(`ONNX ${subject}: ${detail}`);
    this.subject = subject;
  }
}
