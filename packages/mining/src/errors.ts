/**
 * Error classes of `@rtk/mining`. Every error extends {@link MiningError} (itself an `RtkError`
 * from `@rtk/errors`) and carries a stable `code` plus the facts its message names.
 */
import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type MiningErrorCode =
  | 'ERR_MINING_INVALID_OPTION'
  | 'ERR_MINING_INVALID_PAIRS'
  | 'ERR_MINING_INVALID_RETRIEVER'
  | 'ERR_MINING_INVALID_SCORES';

/**
 * Base class of every error thrown by `@rtk/mining`.
 *
 * @example
 * ```ts
 * try {
 *   await mineHardNegatives(pairs, { retriever, numNegatives: 0 });
 * } catch (error) {
 *   if (error instanceof MiningError) console.error(error.code); // ERR_MINING_INVALID_OPTION
 * }
 * ```
 */
export abstract class MiningError extends RtkError {
  abstract override readonly code: MiningErrorCode;
}

function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * A mining option is out of range or contradicts another (`rangeMin ≥ rangeMax`, more negatives
 * than the window holds, a negative count, an unknown sampling or format). Raised before any work.
 *
 * @example
 * ```ts
 * resolveMiningSettings({ rangeMin: 10, rangeMax: 10 }, 1); // throws, option 'rangeMax'
 * ```
 */
export class InvalidMiningOptionError extends MiningError {
  readonly code = 'ERR_MINING_INVALID_OPTION' as const;
  /** The option's name (`rangeMin`, `numNegatives`, …). */
  readonly option: string;
  /** The rejected value. */
  readonly value: unknown;

  constructor(option: string, expected: string, value: unknown, where: string) {
    super(`${where}: option ${option} must be ${expected}, received ${shown(value)}.`);
    this.option = option;
    this.value = value;
  }
}

/**
 * The (query, positive) pairs cannot be mined: none at all, an empty text, a text that is not a
 * string, or (for embeddings) a positive row outside the corpus.
 *
 * @example
 * ```ts
 * await mineHardNegatives([{ query: '', passage: 'p' }], { retriever }); // throws, index 0
 * ```
 */
export class InvalidPairsError extends MiningError {
  readonly code = 'ERR_MINING_INVALID_PAIRS' as const;
  /** 0-based position of the offending pair (or query), when there is one. */
  readonly index: number | undefined;

  constructor(where: string, index: number | undefined, problem: string) {
    super(
      `${where}: ${index === undefined ? '' : `pair ${index} (0-based): `}${problem}. ` +
        'Every pair needs a non-empty query and a non-empty positive passage.',
    );
    this.index = index;
  }
}

/**
 * The retriever given is not a usable `Retriever` (no `index` or `search` method, so it could
 * not index the mining corpus), or it broke the contract: an answer count that is not one per
 * query, or a document id that is not in the corpus it was given.
 *
 * @example
 * ```ts
 * await mineHardNegatives(pairs, { retriever: { name: 'x' } as never }); // throws
 * ```
 */
export class InvalidRetrieverError extends MiningError {
  readonly code = 'ERR_MINING_INVALID_RETRIEVER' as const;
  /** The retriever's name, when it has one. */
  readonly retriever: string;

  constructor(retriever: string, problem: string) {
    super(
      `mineHardNegatives: retriever ${JSON.stringify(retriever)} ${problem}. ` +
        'Pass an object satisfying the Retriever contract of @rtk/retrieval (index(corpus), ' +
        'search(queries, { k }) returning ids of the indexed corpus, best first).',
    );
    this.retriever = retriever;
  }
}

/**
 * A score is not a finite number (NaN, ±Infinity), or candidate lists are malformed (indices
 * and scores of different lengths, scores not in descending order, an index outside the corpus).
 *
 * @example
 * ```ts
 * selectHardNegatives([{ indices: [0], scores: [NaN], positives: [1], positiveScores: [0.9] }], settings);
 * // throws, query 0
 * ```
 */
export class InvalidScoresError extends MiningError {
  readonly code = 'ERR_MINING_INVALID_SCORES' as const;
  /** 0-based query position. */
  readonly query: number;

  constructor(where: string, query: number, problem: string) {
    super(`${where}: query ${query} (0-based): ${problem}.`);
    this.query = query;
  }
}
