import { UsageError } from './errors.js';

/** What {@link parseDecimal} accepts. */
export interface DecimalRule {
  /** The flag the text came from (`--limit`): every message names it. */
  readonly flag: string;
  /** Whole numbers only (no `.`). Default false. */
  readonly integer?: boolean;
  /** Smallest accepted value. Default: none (`-Number.MAX_SAFE_INTEGER` for integers). */
  readonly min?: number;
  /** Largest accepted value. Default: none (`Number.MAX_SAFE_INTEGER` for integers). */
  readonly max?: number;
  /** Whether `min` itself is accepted. Default true. */
  readonly minInclusive?: boolean;
  /** Whether `max` itself is accepted. Default true. */
  readonly maxInclusive?: boolean;
  /**
   * Also accept a decimal exponent (`2e-5`, `1E-3`), the way learning rates are written. Not with
   * `integer`. Default false.
   */
  readonly exponent?: boolean;
}

/** The largest seed: seeded generators here take 32-bit unsigned seeds, larger ones would wrap. */
export const MAX_SEED = 4_294_967_295;

const INTEGER = /^-?[0-9]+$/;
const DECIMAL = /^-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/;
const SCIENTIFIC = /^-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** The accepted range in words, e.g. `an integer in [1, 9007199254740991]`, `a number in (0, 1)`. */
export function describeRange(rule: DecimalRule): string {
  const kind = rule.integer === true ? 'an integer' : 'a number';
  const min = rule.min ?? (rule.integer === true ? -Number.MAX_SAFE_INTEGER : undefined);
  const max = rule.max ?? (rule.integer === true ? Number.MAX_SAFE_INTEGER : undefined);
  if (min === undefined && max === undefined) return kind;
  if (max === undefined) return `${kind} ${rule.minInclusive === false ? '>' : '≥'} ${min}`;
  if (min === undefined) return `${kind} ${rule.maxInclusive === false ? '<' : '≤'} ${max}`;
  const open = rule.minInclusive === false ? '(' : '[';
  const close = rule.maxInclusive === false ? ')' : ']';
  return `${kind} in ${open}${min}, ${max}${close}`;
}

/**
 * Parses a command-line number written in plain decimal: digits, an optional leading `-`, and
 * (unless `integer`) one `.` with digits after it (and, with `exponent`, an `e` exponent). Everything `Number()` would also take is
 * refused — hex (`0x10`), exponents (`1e3`), blanks (`' 5'`, `''`), `Infinity`, `+5`, `1_000` —
 * so a typo never turns into a surprising value. Integers must also be safe integers.
 *
 * @throws {@link UsageError} naming the flag, the text received and the accepted range.
 * @example
 * ```ts
 * parseDecimal('0.2', { flag: '--test-fraction', min: 0, max: 1 }); // 0.2
 * parseDecimal('1e3', { flag: '--limit', integer: true, min: 1 });
 * // UsageError: --limit: expected an integer in [1, 9007199254740991] in plain decimal digits, got '1e3'
 * ```
 */
export function parseDecimal(text: string, rule: DecimalRule): number {
  const pattern = rule.integer === true ? INTEGER : rule.exponent === true ? SCIENTIFIC : DECIMAL;
  const value = Number(text);
  const min = rule.min ?? (rule.integer === true ? -Number.MAX_SAFE_INTEGER : -Infinity);
  const max = rule.max ?? (rule.integer === true ? Number.MAX_SAFE_INTEGER : Infinity);
  const ok =
    pattern.test(text) &&
    Number.isFinite(value) &&
    (rule.integer !== true || Number.isSafeInteger(value)) &&
    (rule.minInclusive === false ? value > min : value >= min) &&
    (rule.maxInclusive === false ? value < max : value <= max);
  if (!ok) {
    throw new UsageError(
      `${rule.flag}: expected ${describeRange(rule)} in ${rule.exponent === true && rule.integer !== true ? 'decimal digits (an exponent allowed, as in 2e-5)' : 'plain decimal digits'}, got ${JSON.stringify(text)}`,
      rule.flag,
    );
  }
  // -0 reads as 0: a seed or count of "-0" is zero.
  return value === 0 ? 0 : value;
}
