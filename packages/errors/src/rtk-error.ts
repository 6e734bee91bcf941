/**
 * Base class of every error an rtk package throws on purpose.
 *
 * The idiom, the same in every package:
 * - each package has one abstract base (`MetricsError`, `HubError`, …) extending `RtkError`,
 *   with a string-literal union of its codes;
 * - codes are `ERR_<PACKAGE>_<WHAT>` (`ERR_METRICS_INVALID_CUTOFF`, `ERR_HUB_NOT_FOUND`), stable
 *   across releases: match on `code`, not on the message;
 * - `name` is the concrete class's name, set once here;
 * - messages say what failed, where (file, line, option, query), expected vs received, and how to
 *   go on; the facts they name are also fields of the error.
 *
 * @example
 * ```ts
 * import { RtkError } from '@rtk/errors';
 *
 * class WidgetError extends RtkError {
 *   readonly code = 'ERR_WIDGET_BROKEN' as const;
 * }
 * try {
 *   throw new WidgetError('widget.json: broken');
 * } catch (error) {
 *   if (error instanceof RtkError) console.log(error.name, error.code); // WidgetError ERR_WIDGET_BROKEN
 * }
 * ```
 */
export abstract class RtkError extends Error {
  /** Stable machine-readable code, `ERR_<PACKAGE>_<WHAT>`. */
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    // The concrete class's name, so stack traces and `String(error)` say what was thrown.
    Object.defineProperty(this, 'name', {
      value: new.target.name,
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }
}

/** True when `error` is an {@link RtkError} (or any error) carrying this `code`. */
export function hasErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * The first non-empty line of an error's message (or of `String(value)`), trimmed: for reasons
 * quoted inside another message. A missing package (`ERR_MODULE_NOT_FOUND`) reads
 * `package not installed`.
 *
 * @example
 * ```ts
 * import { firstLine } from '@rtk/errors';
 * console.log(firstLine(new Error('\nno such file\n    at x.js:1'))); // "no such file"
 * ```
 */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (hasErrorCode(error, 'ERR_MODULE_NOT_FOUND')) return 'package not installed';
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.trim();
}
