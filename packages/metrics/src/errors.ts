import { RtkError } from '@rtk/errors';

/**
 * Error classes of `@rtk/metrics`. Every error extends {@link MetricsError} and carries a stable
 * `code` (match on it, not on the message) plus the facts its message names.
 */

/** Stable codes of the errors this package throws. */
export type MetricsErrorCode =
  | 'ERR_METRICS_INVALID_CUTOFF'
  | 'ERR_METRICS_NON_FINITE_SCORE'
  | 'ERR_METRICS_LENGTH_MISMATCH'
  | 'ERR_METRICS_INVALID_INDEX'
  | 'ERR_METRICS_DUPLICATE_DOCUMENT'
  | 'ERR_METRICS_INVALID_GRADE'
  | 'ERR_METRICS_NO_RELEVANT_DOCUMENTS'
  | 'ERR_METRICS_EMPTY_EVALUATION'
  | 'ERR_METRICS_INVALID_MEASURE'
  | 'ERR_METRICS_INVALID_RANK'
  | 'ERR_METRICS_TREC_PARSE'
  | 'ERR_METRICS_TREC_WRITE';

/**
 * Base class of every error thrown by `@rtk/metrics`.
 *
 * @example
 * ```ts
 * try {
 *   recall(ranking, grades, { k: 0 });
 * } catch (error) {
 *   if (error instanceof MetricsError) console.error(error.code); // ERR_METRICS_INVALID_CUTOFF
 * }
 * ```
 */
export abstract class MetricsError extends RtkError {
  /** Stable machine-readable code. */
  abstract override readonly code: MetricsErrorCode;
}

/** Where a value came from, for messages: `" (query q1)"` or `""`. */
function inQuery(queryId: string | undefined): string {
  return queryId === undefined ? '' : ` (query ${JSON.stringify(queryId)})`;
}

/**
 * A cut-off `k` is not a positive integer.
 *
 * @example
 * ```ts
 * recall(ranking, grades, { k: 2.5 }); // throws InvalidCutoffError, code ERR_METRICS_INVALID_CUTOFF
 * ```
 */
export class InvalidCutoffError extends MetricsError {
  readonly code = 'ERR_METRICS_INVALID_CUTOFF' as const;
  /** The rejected value. */
  readonly k: unknown;

  constructor(k: unknown, where: string) {
    super(
      `${where}: cut-off k must be an integer ≥ 1, received ${String(k)}. ` +
        'Pass { k: 10 } for the top 10, or leave k out where the metric allows the full ranking.',
    );
    this.k = k;
  }
}

/**
 * A score is NaN or ±Infinity, so no order can be derived from it.
 *
 * @example
 * ```ts
 * rankByScore(['a', 'b'], [0.5, NaN]); // throws NonFiniteScoreError with index 1
 * ```
 */
export class NonFiniteScoreError extends MetricsError {
  readonly code = 'ERR_METRICS_NON_FINITE_SCORE' as const;
  /** Position of the offending score in the input. */
  readonly index: number;
  /** The offending score. */
  readonly score: number;

  constructor(index: number, score: number, where: string) {
    super(
      `${where}: score at index ${index} is ${String(score)}; scores must be finite numbers. ` +
        'Check the model output for NaN (e.g. a zero vector normalised) or map missing scores to a finite value.',
    );
    this.index = index;
    this.score = score;
  }
}

/**
 * Two parallel arrays (ids and scores) have different lengths.
 *
 * @example
 * ```ts
 * rankByScore(['a', 'b'], [0.5]); // throws LengthMismatchError
 * ```
 */
export class LengthMismatchError extends MetricsError {
  readonly code = 'ERR_METRICS_LENGTH_MISMATCH' as const;

  /** Required length (the number of ids). */
  readonly expected: number;
  /** Length received (the number of scores). */
  readonly received: number;

  constructor(expected: number, received: number, where: string) {
    super(
      `${where}: expected ${expected} scores (one per id), received ${received}. ` +
        'Pass exactly one score per document id, in the same order.',
    );
    this.expected = expected;
    this.received = received;
  }
}

/**
 * A document position is not an integer in [0, n) for the n scores it should index.
 *
 * @example
 * ```ts
 * rankOf([0.5, 0.9], 2); // throws InvalidIndexError: index must be in [0, 2)
 * ```
 */
export class InvalidIndexError extends MetricsError {
  readonly code = 'ERR_METRICS_INVALID_INDEX' as const;

  /** The rejected value. */
  readonly index: unknown;
  /** Number of scores the index should point into. */
  readonly size: number;

  constructor(index: unknown, size: number, where: string) {
    super(
      `${where}: document index must be an integer in [0, ${size}), received ${String(index)}. ` +
        'Pass the position of the document in the scores array (its row in the corpus).',
    );
    this.index = index;
    this.size = size;
  }
}

/**
 * The same document id occurs twice in one ranking (TREC files report this as {@link TrecParseError}).
 *
 * @example
 * ```ts
 * recall([{ id: 'a', score: 1 }, { id: 'a', score: 0 }], grades, { k: 2 }); // throws
 * ```
 */
export class DuplicateDocumentError extends MetricsError {
  readonly code = 'ERR_METRICS_DUPLICATE_DOCUMENT' as const;

  /** The repeated document id. */
  readonly docId: string;
  /** 0-based position of its first occurrence. */
  readonly firstIndex: number;
  /** 0-based position of the repeat. */
  readonly secondIndex: number;
  /** Query of the ranking, when known. */
  readonly queryId: string | undefined;

  constructor(
    docId: string,
    firstIndex: number,
    secondIndex: number,
    queryId: string | undefined,
    where: string,
  ) {
    super(
      `${where}: document ${JSON.stringify(docId)} appears twice in one ranking${inQuery(queryId)}, ` +
        `at positions ${firstIndex} and ${secondIndex} (0-based). A ranking lists each document once; ` +
        'deduplicate the retriever output (keep the best-scored copy).',
    );
    this.docId = docId;
    this.firstIndex = firstIndex;
    this.secondIndex = secondIndex;
    this.queryId = queryId;
  }
}

/**
 * A relevance grade is not a finite number.
 *
 * @example
 * ```ts
 * recall(ranking, new Map([['a', NaN]]), { k: 1 }); // throws InvalidGradeError
 * ```
 */
export class InvalidGradeError extends MetricsError {
  readonly code = 'ERR_METRICS_INVALID_GRADE' as const;

  /** Document whose grade is invalid. */
  readonly docId: string;
  /** The invalid grade. */
  readonly grade: number;
  /** Query of the judgement, when known. */
  readonly queryId: string | undefined;

  constructor(
    docId: string,
    grade: number,
    queryId: string | undefined,
    expected: string,
    where: string,
  ) {
    super(
      `${where}: grade of document ${JSON.stringify(docId)}${inQuery(queryId)} is ${String(grade)}, ` +
        `expected ${expected}. Use 1 for relevant and 0 for judged non-relevant (higher integers for graded qrels).`,
    );
    this.docId = docId;
    this.grade = grade;
    this.queryId = queryId;
  }
}

/**
 * A per-query metric was asked for a query with no relevant document (no grade > 0): recall,
 * nDCG and AP are 0/0 there. {@link evaluate} skips such queries and counts them instead.
 *
 * @example
 * ```ts
 * recall(ranking, new Map([['a', 0]]), { k: 1 }); // throws NoRelevantDocumentsError
 * ```
 */
export class NoRelevantDocumentsError extends MetricsError {
  readonly code = 'ERR_METRICS_NO_RELEVANT_DOCUMENTS' as const;

  constructor(where: string) {
    super(
      `${where}: the query has no relevant document (no grade > 0), so the metric is undefined. ` +
        'Leave such queries out, or use evaluate(), which skips and counts them.',
    );
  }
}

/**
 * {@link evaluate} found no query it could score (qrels empty, or no query with a relevant document).
 *
 * @example
 * ```ts
 * evaluate(run, new Map(), [{ metric: 'mrr' }]); // throws EmptyEvaluationError
 * ```
 */
export class EmptyEvaluationError extends MetricsError {
  readonly code = 'ERR_METRICS_EMPTY_EVALUATION' as const;

  /** Number of queries in the qrels. */
  readonly queriesInQrels: number;
  /** Queries skipped for having no relevant document. */
  readonly skipped: number;
  /** Queries skipped for being absent from the run (`missingQueries: 'skip'`). */
  readonly missing: number;

  constructor(queriesInQrels: number, skipped: number, missing: number, where = 'evaluate') {
    super(
      where === 'evaluate'
        ? `evaluate: no query could be evaluated (${queriesInQrels} queries in qrels, ${skipped} without a ` +
            `relevant document, ${missing} missing from the run and skipped). Means would be 0/0. ` +
            'Check that run and qrels use the same query ids and that qrels hold grades > 0.'
        : `${where}: no query to average over (empty input). The mean would be 0/0. ` +
            'Pass one value per evaluated query.',
    );
    this.queriesInQrels = queriesInQrels;
    this.skipped = skipped;
    this.missing = missing;
  }
}

/**
 * A measure is not one this package knows, or its cut-off is missing or invalid.
 *
 * @example
 * ```ts
 * parseMeasure('recal@10'); // throws InvalidMeasureError listing the valid names
 * ```
 */
export class InvalidMeasureError extends MetricsError {
  readonly code = 'ERR_METRICS_INVALID_MEASURE' as const;

  /** The rejected measure, as text. */
  readonly measure: string;

  constructor(measure: string, problem: string, fix: string) {
    super(`Invalid measure ${measure}: ${problem}. ${fix}`);
    this.measure = measure;
  }
}

/**
 * A rank (of a query's first relevant document) is not an integer ≥ 1 or `Infinity`.
 *
 * @example
 * ```ts
 * meanReciprocalRank([1, 0]); // throws InvalidRankError, index 1
 * ```
 */
export class InvalidRankError extends MetricsError {
  override readonly name = 'InvalidRankError';
  readonly code = 'ERR_METRICS_INVALID_RANK' as const;

  /** The rejected value. */
  readonly rank: unknown;
  /** Its position in the input, when it came from an array. */
  readonly index: number | undefined;

  constructor(rank: unknown, index: number | undefined, where: string) {
    super(
      `${where}: rank${index === undefined ? '' : ` at index ${index}`} must be an integer ≥ 1 ` +
        `(1 = first) or Infinity (no relevant document ranked), received ${String(rank)}. ` +
        'Ranks are 1-based positions in the full ranking; convert 0-based positions with + 1.',
    );
    this.rank = rank;
    this.index = index;
  }
}

/**
 * A line of a TREC run or qrels file is malformed. Names the file (or source label) and the
 * 1-based line number.
 *
 * @example
 * ```ts
 * parseTrecQrels('q1 0 d1\n', { source: 'qrels.txt' }); // throws TrecParseError, line 1
 * ```
 */
export class TrecParseError extends MetricsError {
  readonly code = 'ERR_METRICS_TREC_PARSE' as const;

  /** File path, or the `source` label given to the parser. */
  readonly source: string;
  /** 1-based line number. */
  readonly line: number;
  /** The offending line. */
  readonly content: string;

  constructor(source: string, line: number, content: string, problem: string, expected: string) {
    const shown = content.length > 120 ? `${content.slice(0, 117)}...` : content;
    super(
      `${source}:${line}: ${problem}. Expected ${expected}; received ${JSON.stringify(shown)}. ` +
        'Fix or remove that line.',
    );
    this.source = source;
    this.line = line;
    this.content = content;
  }
}

/**
 * A run or qrels cannot be written as a TREC file that trec_eval would read back unchanged
 * (whitespace in an id, non-finite score, ranking not sorted by score, non-integer grade).
 *
 * @example
 * ```ts
 * formatTrecRun(new Map([['q 1', []]])); // throws TrecWriteError: id contains whitespace
 * ```
 */
export class TrecWriteError extends MetricsError {
  readonly code = 'ERR_METRICS_TREC_WRITE' as const;

  /** Query whose data cannot be written. */
  readonly queryId: string;

  constructor(queryId: string, problem: string, fix: string) {
    super(`Cannot write query ${JSON.stringify(queryId)} in TREC format: ${problem}. ${fix}`);
    this.queryId = queryId;
  }
}
