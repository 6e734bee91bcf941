import { RtkError } from '@rtk/errors';

/**
 * Error classes of `@rtk/tfidf`. Every error extends {@link TfidfError} and carries a stable
 * `code` (match on it, not on the message); messages say what failed, where, what was expected
 * and how to fix it.
 */

/** Stable codes of the errors this package throws. */
export type TfidfErrorCode =
  | 'ERR_TFIDF_INVALID_OPTION'
  | 'ERR_TFIDF_INVALID_TEXT'
  | 'ERR_TFIDF_EMPTY_VOCABULARY'
  | 'ERR_TFIDF_NOT_FITTED'
  | 'ERR_TFIDF_INVALID_VECTOR'
  | 'ERR_TFIDF_DUPLICATE_ID'
  | 'ERR_TFIDF_UNKNOWN_DOCUMENT';

/**
 * Base class of every error thrown by `@rtk/tfidf`.
 *
 * @example
 * ```ts
 * try {
 *   new TfidfVectorizer().transform(['x']);
 * } catch (error) {
 *   if (error instanceof TfidfError) console.log(error.code); // ERR_TFIDF_NOT_FITTED
 * }
 * ```
 */
export abstract class TfidfError extends RtkError {
  /** Stable machine-readable code. */
  abstract override readonly code: TfidfErrorCode;
}

/** Short, safe rendering of a received value for messages. */
function show(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}

/**
 * An option has a value outside its domain.
 *
 * @example
 * ```ts
 * new TfidfVectorizer({ norm: 'l3' as 'l2' }); // throws InvalidOptionError, code ERR_TFIDF_INVALID_OPTION
 * ```
 */
export class InvalidOptionError extends TfidfError {
  readonly code = 'ERR_TFIDF_INVALID_OPTION' as const;
  /** The option's name, e.g. `ngramRange`. */
  readonly option: string;
  /** The rejected value. */
  readonly value: unknown;

  /**
   * @param fix - How to fix it; default `Fix or omit <option>.` (give your own for an argument
   *   that cannot be omitted).
   */
  constructor(
    option: string,
    where: string,
    expected: string,
    value: unknown,
    fix = `Fix or omit ${option}.`,
  ) {
    super(`${where}: option ${option} must be ${expected}, received ${show(value)}. ${fix}`);
    this.option = option;
    this.value = value;
  }
}

/**
 * A text to analyse is not a string (e.g. `undefined` from a missing field).
 *
 * @example
 * ```ts
 * new TfidfVectorizer().fit(['ok', 42 as unknown as string]); // InvalidTextError at index 1
 * ```
 */
export class InvalidTextError extends TfidfError {
  readonly code = 'ERR_TFIDF_INVALID_TEXT' as const;
  /** Position of the bad entry in the input array. */
  readonly index: number;

  constructor(where: string, index: number, value: unknown) {
    super(
      `${where}: text at index ${index} must be a string, received ${show(value)}. ` +
        'Pass an array of strings (use "" for an empty document).',
    );
    this.index = index;
  }
}

/**
 * Fitting found no term to keep: every document was empty, held only stop words or
 * single characters, or the document-frequency limits pruned everything (scikit-learn raises
 * "empty vocabulary" in the same cases).
 *
 * @example
 * ```ts
 * new TfidfVectorizer().fit(['a b', '!']); // throws EmptyVocabularyError
 * ```
 */
export class EmptyVocabularyError extends TfidfError {
  readonly code = 'ERR_TFIDF_EMPTY_VOCABULARY' as const;
  /** How many documents were fitted. */
  readonly documents: number;

  constructor(where: string, documents: number, detail: string) {
    super(
      `${where}: empty vocabulary after fitting ${documents} document(s): ${detail}. ` +
        'Check that the texts hold words of 2+ characters, drop stop-word removal, or relax minDf/maxDf.',
    );
    this.documents = documents;
  }
}

/**
 * A vectorizer or retriever was used before `fit` / `index`.
 *
 * @example
 * ```ts
 * await new TfidfRetriever().search(['q'], { k: 1 }); // throws NotFittedError
 * ```
 */
export class NotFittedError extends TfidfError {
  readonly code = 'ERR_TFIDF_NOT_FITTED' as const;

  constructor(where: string, fix: string) {
    super(`${where}: nothing fitted yet. ${fix}`);
  }
}

/**
 * A sparse vector or matrix is malformed: unsorted or out-of-range term indices, lengths that
 * disagree, or a non-finite weight.
 *
 * @example
 * ```ts
 * index.scores({ indices: Uint32Array.of(5), values: Float64Array.of(1) }); // 5 ≥ numTerms
 * ```
 */
export class InvalidVectorError extends TfidfError {
  readonly code = 'ERR_TFIDF_INVALID_VECTOR' as const;

  constructor(where: string, problem: string) {
    super(
      `${where}: ${problem}. Build vectors with the index's own vectorizer, or sort indices ascending and keep them < numTerms.`,
    );
  }
}

/**
 * Two corpus entries share an id, so rankings could not name documents unambiguously.
 *
 * @example
 * ```ts
 * await retriever.index([{ id: 'a', text: 'x y' }, { id: 'a', text: 'z w' }]); // DuplicateIdError
 * ```
 */
export class DuplicateIdError extends TfidfError {
  readonly code = 'ERR_TFIDF_DUPLICATE_ID' as const;
  /** The repeated id. */
  readonly id: string;

  constructor(where: string, id: string, first: number, second: number) {
    super(
      `${where}: document id ${JSON.stringify(id)} appears at corpus positions ${first} and ${second}. ` +
        'Give every document a unique id (merge duplicate passages first).',
    );
    this.id = id;
  }
}

/**
 * A document id asked about is not in the indexed corpus.
 *
 * @example
 * ```ts
 * retriever.rankOf('query', 'missing-id'); // throws UnknownDocumentError
 * ```
 */
export class UnknownDocumentError extends TfidfError {
  readonly code = 'ERR_TFIDF_UNKNOWN_DOCUMENT' as const;
  /** The id that was not found. */
  readonly id: string;

  constructor(where: string, id: string) {
    super(
      `${where}: document id ${JSON.stringify(id)} is not in the indexed corpus. Pass an id given to index().`,
    );
    this.id = id;
  }
}
