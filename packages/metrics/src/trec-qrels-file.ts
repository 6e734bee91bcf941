import { writeFileAtomic, readTextFile } from '@rtk/files';
import { formatTrecQrels, parseTrecQrels, type ParseTrecQrelsOptions } from './trec-qrels.js';
import type { Qrels } from './types.js';

/**
 * Reads a TREC qrels file (`qid iteration docid grade` per line) with {@link parseTrecQrels}.
 *
 * @param path - File to read (UTF-8).
 * @param options - `source` defaults to `path`.
 * @returns Query id → (doc id → grade).
 * @throws {@link TrecParseError} naming the file and line of a malformed line; `@rtk/files`'
 *   `InvalidUtf8Error` (file, line, byte offset) for bytes that are not UTF-8 and `FileReadError`
 *   (naming the path) for a missing file or a folder.
 * @example
 * ```ts
 * const qrels = await readTrecQrels('qrels/test.txt');
 * ```
 */
export async function readTrecQrels(
  path: string,
  options: ParseTrecQrelsOptions = {},
): Promise<Qrels> {
  const text = await readTextFile(path);
  return parseTrecQrels(text, { source: options.source ?? path });
}

/**
 * Writes qrels as a TREC qrels file ({@link formatTrecQrels}), atomically (temporary file in the
 * same folder, then rename).
 *
 * @param path - File to write; its folder must exist.
 * @param qrels - Query id → (doc id → integer grade).
 * @throws {@link TrecWriteError} as {@link formatTrecQrels}, before anything is written.
 * @example
 * ```ts
 * await writeTrecQrels('qrels/test.txt', dataset.qrels);
 * ```
 */
export async function writeTrecQrels(path: string, qrels: Qrels): Promise<void> {
  await writeFileAtomic(path, formatTrecQrels(qrels));
}
