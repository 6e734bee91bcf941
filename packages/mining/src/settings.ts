import { InvalidMiningOptionError } from './errors.js';

/** How negatives are drawn from a query's window: its best survivors, or uniformly among them. */
export type Sampling = 'top' | 'random';

/** The valid {@link Sampling} values (the list error messages print). */
export const SAMPLINGS: readonly Sampling[] = ['top', 'random'];

/** Output rows: one (query, positive, negative) per negative, or one row with all negatives. */
export type NegativeFormat = 'triplet' | 'ntuple';

/** The valid {@link NegativeFormat} values (the list error messages print). */
export const NEGATIVE_FORMATS: readonly NegativeFormat[] = ['triplet', 'ntuple'];

/**
 * The options of hard-negative mining, named and defaulted as sentence-transformers'
 * `mine_hard_negatives` (`range_min`, `range_max`, …; see the package README).
 */
export interface HardNegativeOptions {
  /** Survivors skipped at the top of each query's ranking, an integer ≥ 0 (default 0). */
  readonly rangeMin?: number;
  /**
   * Survivors kept from the top, an integer > `rangeMin`. Default: `rangeMin + numNegatives +
   * maxPositives`, or `rangeMin + 10·numNegatives + maxPositives` when `absoluteMargin`,
   * `relativeMargin` or `maxScore` is set (sentence-transformers' rule).
   */
  readonly rangeMax?: number;
  /** Drop a candidate when `score + absoluteMargin > positive` (any finite number). */
  readonly absoluteMargin?: number;
  /** Drop a candidate when `score > positive − |positive|·relativeMargin` (any finite number). */
  readonly relativeMargin?: number;
  /** Drop a candidate scoring above this. */
  readonly maxScore?: number;
  /** Drop a candidate scoring below this. */
  readonly minScore?: number;
  /** Negatives per query, an integer ≥ 1, at most `rangeMax − rangeMin` (default 3). */
  readonly numNegatives?: number;
  /** `top` (default) or `random` (uniform among the window's survivors, seeded). */
  readonly sampling?: Sampling;
  /** Seed of `random` sampling, an integer in [0, 2³² − 1] (default 42). */
  readonly seed?: number;
}

/** {@link HardNegativeOptions} checked, with the derived `rangeMax` and candidate depth. */
export interface MiningSettings {
  readonly rangeMin: number;
  readonly rangeMax: number;
  readonly absoluteMargin: number | undefined;
  readonly relativeMargin: number | undefined;
  readonly maxScore: number | undefined;
  readonly minScore: number | undefined;
  readonly numNegatives: number;
  readonly sampling: Sampling;
  readonly seed: number;
  /** The most positives any query has. */
  readonly maxPositives: number;
  /** Candidates retrieved per query: `rangeMax + maxPositives` (positives may fill the top). */
  readonly candidatesPerQuery: number;
}

const MAX_SEED = 4294967295;

function integer(
  value: unknown,
  option: string,
  min: number,
  where: string,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new InvalidMiningOptionError(option, `an integer ${range}`, value, where);
  }
  return value;
}

function finite(value: unknown, option: string, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidMiningOptionError(option, 'a finite number (or unset)', value, where);
  return value;
}

/**
 * Checks mining options and derives `rangeMax` as sentence-transformers does, before any work.
 *
 * @param maxPositives - The most positives any query has (≥ 1).
 * @throws {@link InvalidMiningOptionError} naming the option: `rangeMin` < 0, `rangeMax ≤
 *   rangeMin`, `numNegatives` < 1 or more than the window `rangeMax − rangeMin`, a margin or
 *   score bound that is not finite, an unknown `sampling`, a bad `seed`.
 * @example
 * ```ts
 * resolveMiningSettings({ rangeMin: 10, numNegatives: 5, relativeMargin: 0.05 }, 2).rangeMax; // 62
 * ```
 */
export function resolveMiningSettings(
  options: HardNegativeOptions,
  maxPositives: number,
  where = 'mineHardNegatives',
): MiningSettings {
  const rangeMin = integer(options.rangeMin ?? 0, 'rangeMin', 0, where);
  const numNegatives = integer(options.numNegatives ?? 3, 'numNegatives', 1, where);
  const absoluteMargin = finite(options.absoluteMargin, 'absoluteMargin', where);
  const relativeMargin = finite(options.relativeMargin, 'relativeMargin', where);
  const maxScore = finite(options.maxScore, 'maxScore', where);
  const minScore = finite(options.minScore, 'minScore', where);
  const sampling = options.sampling ?? 'top';
  if (!SAMPLINGS.includes(sampling))
    throw new InvalidMiningOptionError(
      'sampling',
      `one of ${SAMPLINGS.join(', ')}`,
      sampling,
      where,
    );
  const seed = integer(options.seed ?? 42, 'seed', 0, where, MAX_SEED);
  const guarded =
    absoluteMargin !== undefined || relativeMargin !== undefined || maxScore !== undefined;
  const rangeMax =
    options.rangeMax === undefined
      ? rangeMin + (guarded ? 10 : 1) * numNegatives + maxPositives
      : integer(options.rangeMax, 'rangeMax', rangeMin + 1, where);
  if (numNegatives > rangeMax - rangeMin) {
    throw new InvalidMiningOptionError(
      'numNegatives',
      `at most the window rangeMax − rangeMin = ${rangeMax} − ${rangeMin} = ${rangeMax - rangeMin}`,
      numNegatives,
      where,
    );
  }
  if (minScore !== undefined && maxScore !== undefined && minScore > maxScore)
    throw new InvalidMiningOptionError('minScore', `≤ maxScore (${maxScore})`, minScore, where);
  return {
    rangeMin,
    rangeMax,
    absoluteMargin,
    relativeMargin,
    maxScore,
    minScore,
    numNegatives,
    sampling,
    seed,
    maxPositives,
    candidatesPerQuery: rangeMax + maxPositives,
  };
}

/** Checks an output format option. */
export function checkFormat(format: unknown, where: string): NegativeFormat {
  const value = format ?? 'triplet';
  if (!NEGATIVE_FORMATS.includes(value as NegativeFormat))
    throw new InvalidMiningOptionError(
      'format',
      `one of ${NEGATIVE_FORMATS.join(', ')}`,
      value,
      where,
    );
  return value as NegativeFormat;
}
