import { readFile } from 'node:fs/promises';
import { FileReadError, InvalidUtf8Error } from './errors.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes `bytes` as UTF-8 with errors fatal (a leading BOM is dropped). On invalid input throws
 * {@link InvalidUtf8Error} naming `path`, the line and the byte offset of the first bad byte.
 */
export function decodeUtf8Strict(bytes: Uint8Array, path: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    throw new InvalidUtf8Error(path, line, offset);
  }
}

/** Byte offset of the first byte that starts an invalid UTF-8 sequence (bytes.length if none). */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= n) return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return n;
}

/**
 * Reads a whole text file as strict UTF-8 (see {@link decodeUtf8Strict}). A missing file, a
 * directory or an unreadable file is a {@link FileReadError} naming the path, never a bare
 * `ENOENT`/`EISDIR`.
 *
 * @example
 * ```ts
 * import { readTextFile } from '@rtk/files';
 * import { writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const path = join(tmpdir(), 'pairs.jsonl');
 * await writeFile(path, '{"query":"q","passage":"p"}\n');
 * console.log(await readTextFile(path)); // {"query":"q","passage":"p"}
 * ```
 */
export async function readTextFile(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, expected a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : `cannot be read (${code ?? String(error)})`;
    throw new FileReadError(path, what, code, { cause: error });
  }
  return decodeUtf8Strict(bytes, path);
}
