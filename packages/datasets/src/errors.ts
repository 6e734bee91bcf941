/**
 * Error classes of `@rtk/datasets`. Each has a stable `code`; messages name the file (and line or
 * row), what was expected and what was found, and how to fix it.
 */

/** Base class: every error this package throws on purpose extends it. */
export class DatasetError extends Error {
  override readonly name: string = 'DatasetError';
  readonly code: string = 'DATASET_ERROR';
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
export class DatasetFormatError extends DatasetError {
  override readonly name: string = 'DatasetFormatError';
  override readonly code = 'DATASET_MALFORMED' as const;
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
export class DatasetColumnError extends DatasetError {
  override readonly name: string = 'DatasetColumnError';
  override readonly code = 'DATASET_MISSING_COLUMN' as const;
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
export class DatasetEmptyError extends DatasetError {
  override readonly name: string = 'DatasetEmptyError';
  override readonly code = 'DATASET_EMPTY' as const;
  readonly file: string;
  constructor(file: string, what: string) {
    super(`${file}: empty: expected at least one ${what}.`);
    this.file = file;
  }
}

/** A file or folder that should exist does not. */
export class DatasetFileNotFoundError extends DatasetError {
  override readonly name: string = 'DatasetFileNotFoundError';
  override readonly code = 'DATASET_FILE_NOT_FOUND' as const;
  readonly file: string;
  constructor(file: string, hint: string, options?: { cause?: unknown }) {
    super(`${file}: not found. ${hint}`, options);
    this.file = file;
  }
}

/** A bad argument to a function of this package (e.g. a test fraction outside [0, 1]). */
export class DatasetArgumentError extends DatasetError {
  override readonly name: string = 'DatasetArgumentError';
  override readonly code = 'DATASET_BAD_ARGUMENT' as const;
}
