import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type FilesErrorCode =
  'ERR_FILES_INVALID_UTF8' | 'ERR_FILES_NOT_WRITABLE' | 'ERR_FILES_READ' | 'ERR_FILES_WRITE';

/** Base class of every error `@rtk/files` throws. */
export abstract class FilesError extends RtkError {
  abstract override readonly code: FilesErrorCode;
}

/**
 * A text file is not valid UTF-8. Names the file, the 1-based line and the byte offset of the
 * first bad byte, so two different ids can never silently decode to the same U+FFFD string.
 */
export class InvalidUtf8Error extends FilesError {
  readonly code = 'ERR_FILES_INVALID_UTF8' as const;
  readonly path: string;
  /** 1-based line of the first invalid byte. */
  readonly line: number;
  /** 0-based byte offset of the first invalid byte in the file. */
  readonly byteOffset: number;
  constructor(path: string, line: number, byteOffset: number) {
    super(
      `${path}:${line}: not valid UTF-8 (first bad byte at offset ${byteOffset}). ` +
        'Re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8).',
    );
    this.path = path;
    this.line = line;
    this.byteOffset = byteOffset;
  }
}

/**
 * A file could not be written: its folder does not exist (or a parent is a plain file), the
 * path is a folder, or permission is denied. Names the path, and the folder when the folder is
 * at fault, never the internal temporary file of {@link writeFileAtomic}.
 */
export class FileWriteError extends FilesError {
  readonly code = 'ERR_FILES_WRITE' as const;
  readonly path: string;
  /** The system error code (`ENOENT`, `ENOTDIR`, `EISDIR`, `EACCES`, …), when there was one. */
  readonly systemCode: string | undefined;
  constructor(path: string, what: string, systemCode: string | undefined, options?: ErrorOptions) {
    super(`${path}: cannot write: ${what}`, options);
    this.path = path;
    this.systemCode = systemCode;
  }
}

/** A path given as a file could not be read: missing, a directory, or unreadable. */
export class FileReadError extends FilesError {
  readonly code = 'ERR_FILES_READ' as const;
  readonly path: string;
  /** The system error code (`ENOENT`, `EISDIR`, `EACCES`, …), when there was one. */
  readonly systemCode: string | undefined;
  constructor(path: string, what: string, systemCode: string | undefined, options?: ErrorOptions) {
    super(`${path}: ${what}`, options);
    this.path = path;
    this.systemCode = systemCode;
  }
}

/** An output folder cannot be created or written, or did not answer within the time limit. */
export class NotWritableError extends FilesError {
  readonly code = 'ERR_FILES_NOT_WRITABLE' as const;
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(
      `${path}: cannot write output there (${reason}). Choose a folder you can write, e.g. --out ./results.`,
      options,
    );
    this.path = path;
    this.reason = reason;
  }
}
