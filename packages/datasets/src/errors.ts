import { RtkError } from '@rtk/errors';

/**
 * Error classes of `@rtk/datasets`. Each has a stable `code`; messages name the file (and line or
 * row), what was expected and what was found, and how to fix it.
 */

/** Stable codes of the errors this package throws. */
export type DatasetsErrorCode =
  | 'ERR_DATASETS_MALFORMED'
  | 'ERR_DATASETS_MISSING_COLUMN'
  | 'ERR_DATASETS_EMPTY'
  | 'ERR_DATASETS_FILE_NOT_FOUND'
  | 'ERR_DATASETS_CACHED_FILE_UNREADABLE'
  | 'ERR_DATASETS_BAD_ARGUMENT';

/**
 * Base class: every error this package throws on purpose extends it.
 *
 * @example
 * ```ts
 * try {
 *   await loadJsonlPairs('pairs.jsonl');
 * } catch (error) {
 *   if (error instanceof DatasetsError) console.error(error.code); // e.g. ERR_DATASETS_MALFORMED
 * }
 * ```
 */
export abstract class DatasetsError extends RtkError {
  /** Stable machine-readable code. */
  abstract override readonly code: DatasetsErrorCode;
}

/** Where in a file a problem is. `line` is 1-based (text files); `row` is 0-based (parquet). */
export interface DatasetLocation {
  readonly file: string;
  readonly line?: number;
  readonly row?: number;
}

function where(location: DatasetLocation): string {
  if (location.line !== undefined) return `${location.file}:${location.line}`;
  if (location.row !== undefined) return `${location.file} (row ${location.row})`;
  return location.file;
}

/** A record could not be parsed or has a wrong or missing field (bad JSON, non-string text, …). */
export class DatasetFormatError extends DatasetsError {
  readonly code = 'ERR_DATASETS_MALFORMED' as const;
  readonly file: string;
  readonly line: number | undefined;
  readonly row: number | undefined;
  constructor(location: DatasetLocation, problem: string, options?: { cause?: unknown }) {
    super(`${where(location)}: ${problem}`, options);
    this.file = location.file;
    this.line = location.line;
    this.row = location.row;
  }
}

/** A required column (CSV header, parquet schema) is not there. */
export class DatasetColumnError extends DatasetsError {
  readonly code = 'ERR_DATASETS_MISSING_COLUMN' as const;
  readonly file: string;
  readonly available: readonly string[];
  constructor(
    file: string,
    wanted: string,
    accepted: readonly string[],
    available: readonly string[],
  ) {
    super(
      `${file}: no ${wanted} column: expected one of ${accepted.map((c) => JSON.stringify(c)).join(', ')}, ` +
        `found ${available.length === 0 ? 'no columns' : available.map((c) => JSON.stringify(c)).join(', ')}. ` +
        `Rename the column or pass the ${wanted}Column option.`,
    );
    this.file = file;
    this.available = available;
  }
}

/** The file (or folder part) holds no records. */
export class DatasetEmptyError extends DatasetsError {
  readonly code = 'ERR_DATASETS_EMPTY' as const;
  readonly file: string;
  constructor(file: string, what: string) {
    super(`${file}: empty: expected at least one ${what}.`);
    this.file = file;
  }
}

/** A file or folder that should exist does not. */
export class DatasetFileNotFoundError extends DatasetsError {
  readonly code = 'ERR_DATASETS_FILE_NOT_FOUND' as const;
  readonly file: string;
  constructor(file: string, hint: string, options?: { cause?: unknown }) {
    super(`${file}: not found. ${hint}`, options);
    this.file = file;
  }
}

/** `'…'` for a POSIX shell: the path as one word, whatever it holds. */
function shellQuote(path: string): string {
  return `'${path.replaceAll("'", `'\\''`)}'`;
}

/**
 * A file from the hub cache (downloaded and verified earlier) cannot be read now: changed on disk,
 * cut short by another tool, or written by one that did not verify it. Names the cache path and
 * the command that makes the next run download it again (the cache serves a file without asking
 * the hub while it is there).
 */
export class DatasetCachedFileError extends DatasetsError {
  readonly code = 'ERR_DATASETS_CACHED_FILE_UNREADABLE' as const;
  /** The file in the hub cache. */
  readonly file: string;
  /** The shell command that removes it, so the next run fetches it again. */
  readonly refetch: string;
  constructor(file: string, source: string, problem: string, options?: { cause?: unknown }) {
    const refetch = `rm ${shellQuote(file)}`;
    super(
      `${file}: the cached download of ${source} cannot be read (${problem}). ` +
        `Delete it and run again to download it afresh: ${refetch}`,
      options,
    );
    this.file = file;
    this.refetch = refetch;
  }
}

/** A bad argument to a function of this package (e.g. a test fraction outside [0, 1]). */
export class DatasetArgumentError extends DatasetsError {
  readonly code = 'ERR_DATASETS_BAD_ARGUMENT' as const;
}
