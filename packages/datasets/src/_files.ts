import { FileReadError, readTextFile } from '@rtk/files';
import { DatasetArgumentError, DatasetFileNotFoundError } from './errors.js';

/**
 * Read a text file as strict UTF-8 (BOM dropped): a missing file becomes a
 * {@link DatasetFileNotFoundError}; a folder or an unreadable file a `FileReadError` naming the
 * path; bytes that are not UTF-8 an `InvalidUtf8Error` with file, line and byte offset (never
 * U+FFFD, which could make two different ids equal).
 */
export async function readText(file: string, hint: string): Promise<string> {
  try {
    return await readTextFile(file);
  } catch (error) {
    if (
      error instanceof FileReadError &&
      (error.systemCode === 'ENOENT' || error.systemCode === 'ENOTDIR')
    ) {
      throw new DatasetFileNotFoundError(file, hint, { cause: error });
    }
    throw error;
  }
}

/** Lines without their terminators (`\n` or `\r\n`); a final empty line after the last newline is dropped. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function checkLimit(limit: number | undefined, fn: string): number {
  if (limit === undefined) return Infinity;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new DatasetArgumentError(
      `${fn}: limit must be an integer ≥ 1, received ${String(limit)}.`,
    );
  }
  return limit;
}
