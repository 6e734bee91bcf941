import { writeFileAtomic, readTextFile } from '@rtk/files';
import {
  formatTrecRun,
  parseTrecRun,
  type FormatTrecRunOptions,
  type ParseTrecRunOptions,
} from './trec-run.js';
import type { Run } from './types.js';

/**
 * Reads a TREC run file (`qid Q0 docid rank score tag` per line) with {@link parseTrecRun}:
 * documents sorted by score descending, ties in file order unless `ties: 'docid-descending'`.
 *
 * @param path - File to read (UTF-8).
 * @param options - `ties` order; `source` defaults to `path`.
 * @returns Query id → ranking, best first.
 * @throws {@link TrecParseError} naming the file and line of a malformed line; `@rtk/files`'
 *   `InvalidUtf8Error` (file, line, byte offset) for bytes that are not UTF-8 and `FileReadError`
 *   (naming the path) for a missing file or a folder.
 * @example
 * ```ts
 * const run = await readTrecRun('runs/bm25.trec');
 * ```
 */
export async function readTrecRun(path: string, options: ParseTrecRunOptions = {}): Promise<Run> {
  const text = await readTextFile(path);
  return parseTrecRun(text, { ...options, source: options.source ?? path });
}

/**
 * Writes a run as a TREC run file ({@link formatTrecRun}), atomically: a temporary file in the
 * same folder is renamed over `path`, so a crash never leaves a truncated run.
 *
 * @param path - File to write; its folder must exist.
 * @param run - Query id → ranking, best first (descending scores).
 * @param options - `tag`, the run name (default `'rtk'`).
 * @throws {@link TrecWriteError} / {@link NonFiniteScoreError} / {@link DuplicateDocumentError}
 *   as {@link formatTrecRun}, before anything is written; `@rtk/files`' `FileWriteError` naming
 *   the path (and its folder when that is missing or not a folder) when it cannot be written.
 * @example
 * ```ts
 * await writeTrecRun('runs/tfidf.trec', run, { tag: 'tfidf' });
 * // then: trec_eval -m recip_rank qrels.txt runs/tfidf.trec
 * ```
 */
export async function writeTrecRun(
  path: string,
  run: Run,
  options: FormatTrecRunOptions = {},
): Promise<void> {
  await writeFileAtomic(path, formatTrecRun(run, options));
}
