/**
 * Error classes of `@rtk/evaluation`. Every error extends {@link EvaluationError} (itself an
 * `RtkError` from `@rtk/errors`) and carries a stable `code` plus the facts its message names.
 */
import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type EvaluationErrorCode =
  | 'ERR_EVALUATION_INVALID_OPTION'
  | 'ERR_EVALUATION_EMPTY_DATASET'
  | 'ERR_EVALUATION_INVALID_DATASET'
  | 'ERR_EVALUATION_UNKNOWN_DOCUMENT'
  | 'ERR_EVALUATION_INVALID_SCORE'
  | 'ERR_EVALUATION_INVALID_RANKING'
  | 'ERR_EVALUATION_INVALID_COMPARISON';

/**
 * Base class of every error thrown by `@rtk/evaluation`.
 *
 * @example
 * ```ts
 * try {
 *   await evaluateRetriever(retriever, dataset, { k: 0 });
 * } catch (error) {
 *   if (error instanceof EvaluationError) console.error(error.code); // ERR_EVALUATION_INVALID_OPTION
 * }
 * ```
 */
export abstract class EvaluationError extends RtkError {
  abstract override readonly code: EvaluationErrorCode;
}

/** Shows a value in a message, cut to 80 characters. */
function shown(value: unknown): string {
  let text: string;
  try {
    text =
      typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  if (typeof value === 'number') text = String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * An option of {@link evaluateRetriever} is out of range: `k` not an integer ≥ 1, a bad
 * `batchSize`, an unknown measure, or a measure deeper than `k`.
 *
 * @example
 * ```ts
 * await evaluateRetriever(retriever, dataset, { k: 0 }); // throws InvalidOptionError, option 'k'
 * ```
 */
export class InvalidOptionError extends EvaluationError {
  readonly code = 'ERR_EVALUATION_INVALID_OPTION' as const;
  /** The option's name (`k`, `batchSize`, `measures`). */
  readonly option: string;
  /** The rejected value. */
  readonly value: unknown;

  constructor(
    option: string,
    expected: string,
    value: unknown,
    fix: string,
    options?: ErrorOptions,
  ) {
    super(
      `evaluateRetriever: option ${option} must be ${expected}, received ${shown(value)}. ${fix}`,
      options,
    );
    this.option = option;
    this.value = value;
  }
}

/**
 * The dataset gives nothing to evaluate: an empty corpus, or no query with a relevant document
 * (a grade > 0 in the qrels).
 *
 * @example
 * ```ts
 * await evaluateRetriever(retriever, { name: 'x', corpus: [], queries: [], qrels: new Map() });
 * // throws EmptyDatasetError
 * ```
 */
export class EmptyDatasetError extends EvaluationError {
  readonly code = 'ERR_EVALUATION_EMPTY_DATASET' as const;
  /** The dataset's name. */
  readonly dataset: string;
  /** Passages in the corpus. */
  readonly corpusSize: number;
  /** Queries in the dataset. */
  readonly queries: number;
  /** Queries with at least one relevant document. */
  readonly judgedQueries: number;

  constructor(dataset: string, corpusSize: number, queries: number, judgedQueries: number) {
    super(
      `evaluateRetriever: dataset ${JSON.stringify(dataset)} has nothing to evaluate ` +
        `(${corpusSize} passages, ${queries} queries, ${judgedQueries} of them with a relevant ` +
        'document in the qrels). Check that the corpus is loaded and that the qrels use the ' +
        "queries' ids with grades > 0.",
    );
    this.dataset = dataset;
    this.corpusSize = corpusSize;
    this.queries = queries;
    this.judgedQueries = judgedQueries;
  }
}

/**
 * The dataset is malformed: an id used twice in the corpus or in the queries, or an entry that
 * is not `{ id: string, text: string }`.
 *
 * @example
 * ```ts
 * // two queries with id 'q1'
 * await evaluateRetriever(retriever, dataset); // throws InvalidDatasetError
 * ```
 */
export class InvalidDatasetError extends EvaluationError {
  readonly code = 'ERR_EVALUATION_INVALID_DATASET' as const;
  /** The dataset's name. */
  readonly dataset: string;
  /** `'corpus'` or `'queries'`. */
  readonly part: 'corpus' | 'queries';
  /** 0-based position of the offending entry. */
  readonly index: number;

  constructor(dataset: string, part: 'corpus' | 'queries', index: number, problem: string) {
    super(
      `evaluateRetriever: dataset ${JSON.stringify(dataset)}, ${part}[${index}]: ${problem}. ` +
        'Every entry must be { id, text } with an id unique within its list; deduplicate the data.',
    );
    this.dataset = dataset;
    this.part = part;
    this.index = index;
  }
}

/**
 * The retriever returned a document id that is not in the corpus it indexed.
 *
 * @example
 * ```ts
 * // a retriever whose search() answers { id: 'nope', score: 1 }
 * await evaluateRetriever(retriever, dataset); // throws UnknownDocumentError naming 'nope'
 * ```
 */
export class UnknownDocumentError extends EvaluationError {
  readonly code = 'ERR_EVALUATION_UNKNOWN_DOCUMENT' as const;
  /** The retriever's name. */
  readonly retriever: string;
  /** Query whose ranking holds the id. */
  readonly queryId: string;
  /** The unknown document id. */
  readonly docId: unknown;
  /** 0-based position in the ranking. */
  readonly position: number;

  constructor(retriever: string, queryId: string, docId: unknown, position: number) {
    super(
      `evaluateRetriever: retriever ${JSON.stringify(retriever)} returned document ${shown(docId)} ` +
        `at position ${position} (0-based) for query ${JSON.stringify(queryId)}, but the corpus it ` +
        'indexed has no such id. A retriever must answer with ids of the indexed corpus; check that ' +
        'index() was given this corpus and that search() maps rows back to ids.',
    );
    this.retriever = retriever;
    this.queryId = queryId;
    this.docId = docId;
    this.position = position;
  }
}

/**
 * The retriever returned a score that is not a finite number (NaN, ±Infinity, not a number).
 *
 * @example
 * ```ts
 * // a retriever whose search() answers { id: 'p1', score: NaN }
 * await evaluateRetriever(retriever, dataset); // throws InvalidScoreError
 * ```
 */
export class InvalidScoreError extends EvaluationError {
  readonly code = 'ERR_EVALUATION_INVALID_SCORE' as const;
  /** The retriever's name. */
  readonly retriever: string;
  /** Query whose ranking holds the score. */
  readonly queryId: string;
  /** Document the score belongs to. */
  readonly docId: string;
  /** The rejected score. */
  readonly score: unknown;

  constructor(retriever: string, queryId: string, docId: string, score: unknown) {
    super(
      `evaluateRetriever: retriever ${JSON.stringify(retriever)} scored document ` +
        `${JSON.stringify(docId)} ${shown(score)} for query ${JSON.stringify(queryId)}; scores must ` +
        'be finite numbers. Look for a division by zero (e.g. normalising a zero vector) in the model.',
    );
    this.retriever = retriever;
    this.queryId = queryId;
    this.docId = docId;
    this.score = score;
  }
}

/**
 * The retriever's answer breaks the `Retriever` contract in another way: the wrong number of
 * rankings, more than k documents, a document twice, scores not in descending order, or a
 * `firstRelevantRank` answer that is not one rank (an integer ≥ 1 or `Infinity`) per query.
 *
 * @example
 * ```ts
 * // a retriever whose search() returns [] for 3 queries
 * await evaluateRetriever(retriever, dataset); // throws InvalidRankingError
 * ```
 */
export class InvalidRankingError extends EvaluationError {
  readonly code = 'ERR_EVALUATION_INVALID_RANKING' as const;
  /** The retriever's name. */
  readonly retriever: string;
  /** The method that answered: `search` or `firstRelevantRank`. */
  readonly method: 'search' | 'firstRelevantRank';
  /** Query concerned, when the problem is within one query's answer. */
  readonly queryId: string | undefined;

  constructor(
    retriever: string,
    method: 'search' | 'firstRelevantRank',
    queryId: string | undefined,
    problem: string,
  ) {
    const where = queryId === undefined ? '' : ` for query ${JSON.stringify(queryId)}`;
    super(
      `evaluateRetriever: retriever ${JSON.stringify(retriever)}.${method}() ${problem}${where}. ` +
        'The Retriever contract (@rtk/retrieval): one answer per query, in query order; search() ' +
        'returns at most k distinct documents, best first.',
    );
    this.retriever = retriever;
    this.method = method;
    this.queryId = queryId;
  }
}

/**
 * A paired significance test cannot run on what it was given: unpaired or too few values, a
 * non-finite value, an unknown test, a query or measure that one side lacks, a bad option.
 *
 * @example
 * ```ts
 * pairedStudentTTest([1, 0], [1]); // throws ComparisonError: treatment must pair with control
 * ```
 */
export class ComparisonError extends EvaluationError {
  readonly code = 'ERR_EVALUATION_INVALID_COMPARISON' as const;
  /** The argument or option at fault (`control`, `treatment`, `permutations`, `measures`, …). */
  readonly option: string;
  /** The rejected value. */
  readonly value: unknown;

  constructor(fn: string, option: string, value: unknown, problem: string) {
    super(`${fn}: ${option} ${problem} (received ${shown(value)}).`);
    this.option = option;
    this.value = value;
  }
}
