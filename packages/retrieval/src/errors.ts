import { RtkError } from '@rtk/errors';

/**
 * Error classes of `@rtk/retrieval`. Each has a stable `name` and `code`; messages say what
 * failed, where, what was expected and how to fix it.
 */

/** The codes of every error this package throws, for `switch (err.code)` in callers. */
export type RetrievalErrorCode =
  | 'ERR_RETRIEVAL_NAN_SCORE'
  | 'ERR_RETRIEVAL_INVALID_K'
  | 'ERR_RETRIEVAL_INVALID_OPTION'
  | 'ERR_RETRIEVAL_DIMENSION_MISMATCH'
  | 'ERR_RETRIEVAL_NON_FINITE_EMBEDDING'
  | 'ERR_RETRIEVAL_ENGINE_UNAVAILABLE'
  | 'ERR_RETRIEVAL_NOT_INDEXED';

/**
 * Base class of every error thrown by `@rtk/retrieval`.
 *
 * @example
 * ```ts
 * try { selectTopK([1, NaN], 1); } catch (e) { if (e instanceof RetrievalError) console.log(e.code); }
 * // ERR_RETRIEVAL_NAN_SCORE
 * ```
 */
export abstract class RetrievalError extends RtkError {
  /** Stable machine-readable code. */
  abstract override readonly code: RetrievalErrorCode;
}

/**
 * A score to rank is NaN, so it has no place in a descending order.
 *
 * @example
 * ```ts
 * selectTopK([0.5, NaN], 1); // throws NaNScoreError: index 1, code ERR_RETRIEVAL_NAN_SCORE
 * ```
 */
export class NaNScoreError extends RetrievalError {
  readonly code = 'ERR_RETRIEVAL_NAN_SCORE' as const;
  /** Position of the NaN in the scores given to the function (for dense search: the corpus row). */
  readonly index: number;
  /** Query row, for dense search; undefined for {@link selectTopK}. */
  readonly query: number | undefined;
  constructor(index: number, where: string, query?: number) {
    const at = query === undefined ? `index ${index}` : `query ${query}, corpus row ${index}`;
    super(
      `${where}: score at ${at} is NaN; expected a number (±Infinity is allowed). ` +
        'Check the inputs for NaN (e.g. 0/0 in a normalisation) before ranking.',
    );
    this.index = index;
    this.query = query;
  }
}

/**
 * `k` is not a positive integer.
 *
 * @example
 * ```ts
 * selectTopK([1, 2], 0); // throws InvalidKError (code ERR_RETRIEVAL_INVALID_K)
 * ```
 */
export class InvalidKError extends RetrievalError {
  readonly code = 'ERR_RETRIEVAL_INVALID_K' as const;
  /** The value received. */
  readonly k: unknown;
  constructor(k: unknown, where: string) {
    super(
      `${where}: k must be an integer ≥ 1 (k larger than the number of candidates returns all of them); ` +
        `received ${String(k)}.`,
    );
    this.k = k;
  }
}

/**
 * An option other than `k` is out of range or of the wrong kind.
 *
 * @example
 * ```ts
 * denseSearch(q, c, { dim: 0, k: 1 }); // throws InvalidOptionError naming `dim`
 * ```
 */
export class InvalidOptionError extends RetrievalError {
  readonly code = 'ERR_RETRIEVAL_INVALID_OPTION' as const;
  /** Name of the option. */
  readonly option: string;
  constructor(option: string, where: string, expected: string, received: unknown) {
    super(`${where}: option \`${option}\` must be ${expected}; received ${String(received)}.`);
    this.option = option;
  }
}

/**
 * An embedding matrix's length is not a multiple of the dimension, or two sides disagree on it.
 *
 * @example
 * ```ts
 * denseSearch(new Float32Array(5), new Float32Array(8), { dim: 4, k: 1 });
 * // throws DimensionMismatchError: queries has 5 values, not a multiple of dim 4
 * ```
 */
export class DimensionMismatchError extends RetrievalError {
  readonly code = 'ERR_RETRIEVAL_DIMENSION_MISMATCH' as const;
  /** Which argument is wrong (`queries`, `corpus`). */
  readonly argument: string;
  constructor(argument: string, where: string, length: number, dim: number) {
    super(
      `${where}: ${argument} has ${length} values, which is not a multiple of dim ${dim}; ` +
        `expected rows × ${dim} values laid out row-major. Pass the embedding width as \`dim\` ` +
        'and make both sides come from the same encoder.',
    );
    this.argument = argument;
  }
}

/**
 * An embedding holds NaN or ±Infinity, which would make its scores meaningless.
 *
 * @example
 * ```ts
 * denseSearch(Float32Array.of(NaN, 0), Float32Array.of(1, 0), { dim: 2, k: 1 });
 * // throws NonFiniteEmbeddingError: queries row 0, column 0
 * ```
 */
export class NonFiniteEmbeddingError extends RetrievalError {
  readonly code = 'ERR_RETRIEVAL_NON_FINITE_EMBEDDING' as const;
  /** Which matrix (`queries`, `corpus`). */
  readonly argument: string;
  /** Row of the bad value. */
  readonly row: number;
  /** Column of the bad value. */
  readonly column: number;
  constructor(argument: string, where: string, row: number, column: number, value: number) {
    super(
      `${where}: ${argument} row ${row}, column ${column} is ${value}; expected finite numbers. ` +
        'Re-encode that text or drop it before searching.',
    );
    this.argument = argument;
    this.row = row;
    this.column = column;
  }
}

/**
 * An optional search engine (a peer dependency such as `onnxruntime-node`) could not be loaded.
 *
 * @example
 * ```ts
 * await createOnnxKernel(); // throws EngineUnavailableError if onnxruntime-node is not installed
 * ```
 */
export class EngineUnavailableError extends RetrievalError {
  readonly code = 'ERR_RETRIEVAL_ENGINE_UNAVAILABLE' as const;
  /** The npm package that failed to load. */
  readonly packageName: string;
  constructor(packageName: string, where: string, cause: unknown) {
    super(
      `${where}: could not load \`${packageName}\` (${cause instanceof Error ? cause.message : String(cause)}). ` +
        `Install it next to @rtk/retrieval (\`pnpm add ${packageName}\`), or use the default pure-JS kernel.`,
      { cause },
    );
    this.packageName = packageName;
  }
}

/**
 * A retriever was asked to search before a corpus was indexed.
 *
 * @example
 * ```ts
 * await new DenseRetriever({ embedder }).search(['q']); // throws NotIndexedError
 * ```
 */
export class NotIndexedError extends RetrievalError {
  readonly code = 'ERR_RETRIEVAL_NOT_INDEXED' as const;
  constructor(where: string) {
    super(`${where}: no corpus is indexed. Call index(corpus) first.`);
  }
}
