/**
 * Error classes of `@rtk/tfjs`. Every error extends {@link TfjsError} (an `RtkError` of
 * `@rtk/errors`) and carries a stable `code`: match on it, not on the message.
 */
import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type TfjsErrorCode =
  | 'ERR_TFJS_BACKEND'
  | 'ERR_TFJS_INVALID_OPTION'
  | 'ERR_TFJS_WASM_OUT_OF_MEMORY'
  | 'ERR_TFJS_INTERNALS';

/**
 * Base class of every error thrown by `@rtk/tfjs`.
 *
 * @example
 * ```ts
 * try {
 *   await selectBackend({ prefer: ['tensorflow'] });
 * } catch (error) {
 *   if (error instanceof TfjsError) console.error(error.code); // ERR_TFJS_BACKEND
 * }
 * ```
 */
export abstract class TfjsError extends RtkError {
  abstract override readonly code: TfjsErrorCode;
}

/** A backend that was tried and did not start, and why. */
export interface FailedBackend {
  readonly backend: string;
  readonly reason: string;
}

/**
 * No TensorFlow.js backend could be started, or the one asked for is not available.
 *
 * @example
 * ```ts
 * await selectBackend({ prefer: ['tensorflow'] }); // throws here: binding missing
 * ```
 */
export class BackendError extends TfjsError {
  readonly code = 'ERR_TFJS_BACKEND' as const;
  /** Why each tried backend failed, in order. */
  readonly attempts: readonly FailedBackend[];

  constructor(detail: string, attempts: readonly FailedBackend[]) {
    super(
      `${detail} ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}. ` +
        'Install @tensorflow/tfjs-backend-wasm (always works) or @tensorflow/tfjs-node where its native library installs.',
    );
    this.attempts = attempts;
  }
}

/**
 * An option (or the environment variable standing in for it) is out of range.
 *
 * @example
 * ```ts
 * await selectBackend({ threads: 0 }); // throws TfjsOptionError naming "threads"
 * ```
 */
export class TfjsOptionError extends TfjsError {
  readonly code = 'ERR_TFJS_INVALID_OPTION' as const;
  /** The option or environment variable at fault. */
  readonly option: string;

  constructor(where: string, option: string, detail: string) {
    super(`${where}: argument ${JSON.stringify(option)}: ${detail}`);
    this.option = option;
  }
}

/**
 * The wasm backend's heap (at most 4 GB) cannot hold a new tensor. The allocation is refused
 * before anything is written. When `recoverable`, the backend stays usable: free tensors, then
 * retry with a smaller batch, gradient checkpointing or gradient caching. Otherwise (the
 * allocator's 32-bit heap arithmetic overflowed) the wasm backend cannot allocate again in this
 * process: restart it with a smaller batch.
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
export class WasmOutOfMemoryError extends TfjsError {
  readonly code = 'ERR_TFJS_WASM_OUT_OF_MEMORY' as const;
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
 * An internal of TensorFlow.js that this package relies on is not what it was in the pinned
 * release (see `TFJS_PINNED_VERSION`): a TF.js upgrade changed it. The message names the
 * assumption; the fix is to re-check it against the new release or go back to the pinned one.
 *
 * @example
 * ```ts
 * prepareWasmBackend(); // on a tfjs-backend-wasm whose module lacks asm.malloc: TfjsInternalsError
 * ```
 */
export class TfjsInternalsError extends TfjsError {
  readonly code = 'ERR_TFJS_INTERNALS' as const;
  /** Short name of the assumption that no longer holds. */
  readonly assumption: string;

  constructor(assumption: string, detail: string) {
    super(
      `TF.js internals changed: ${assumption}: ${detail}. @rtk/tfjs is pinned to @tensorflow/* 4.22.0 ` +
        '(packages/tfjs/src/_internals.ts); install that release or re-check the assumption and its canary test.',
    );
    this.assumption = assumption;
  }
}
