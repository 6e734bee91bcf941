import { DatasetColumnError } from './errors.js';

/** Column names accepted for the query, in order of preference (NQ's first upload used `question`). */
export const QUERY_COLUMNS: readonly string[] = ['query', 'question', 'anchor'];
/** Column names accepted for the passage, in order of preference (NQ uses `answer`). */
export const PASSAGE_COLUMNS: readonly string[] = ['passage', 'answer', 'positive'];

/** Options shared by the pair-file loaders. */
export interface PairFileOptions {
  /** Query column/field. Default: the first of `query`, `question`, `anchor` present. */
  readonly queryColumn?: string;
  /** Passage column/field. Default: the first of `passage`, `answer`, `positive` present. */
  readonly passageColumn?: string;
  /** Read at most this many pairs (from the start of the file). Default: all. */
  readonly limit?: number;
}

export function pickColumn(
  available: readonly string[],
  given: string | undefined,
  candidates: readonly string[],
): string | undefined {
  if (given !== undefined) return available.includes(given) ? given : undefined;
  return candidates.find((c) => available.includes(c));
}

export function acceptedFor(
  given: string | undefined,
  candidates: readonly string[],
): readonly string[] {
  return given === undefined ? candidates : [given];
}

/**
 * The query and passage columns among `available` (chosen by `options` or by preference), or a
 * {@link DatasetColumnError} naming `file`, the missing role, the names accepted and the columns found.
 */
export function requirePairColumns(
  file: string,
  available: readonly string[],
  options: PairFileOptions,
): { readonly query: string; readonly passage: string } {
  const query = pickColumn(available, options.queryColumn, QUERY_COLUMNS);
  if (query === undefined)
    throw new DatasetColumnError(
      file,
      'query',
      acceptedFor(options.queryColumn, QUERY_COLUMNS),
      available,
    );
  const passage = pickColumn(available, options.passageColumn, PASSAGE_COLUMNS);
  if (passage === undefined)
    throw new DatasetColumnError(
      file,
      'passage',
      acceptedFor(options.passageColumn, PASSAGE_COLUMNS),
      available,
    );
  return { query, passage };
}

/** A text cell as a non-empty string, or a description of what is wrong with it. */
export function textProblem(value: unknown, field: string): string | undefined {
  if (typeof value !== 'string') {
    return `${field} must be a string, received ${value === null ? 'null' : value === undefined ? 'nothing' : `${typeof value} ${JSON.stringify(value)?.slice(0, 60)}`}`;
  }
  if (value.trim() === '') return `${field} is empty`;
  return undefined;
}
