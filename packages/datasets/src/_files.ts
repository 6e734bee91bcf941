import { readFile } from 'node:fs/promises';
import { DatasetArgumentError, DatasetFileNotFoundError } from './errors.js';

/** Read a UTF-8 text file; a missing file becomes a {@link DatasetFileNotFoundError}. BOM dropped. */
export async function readText(file: string, hint: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new DatasetFileNotFoundError(file, hint, { cause: error });
    throw error;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
