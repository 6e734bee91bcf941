import { checkLimit, readText, splitLines } from './_files.js';
import {
  PASSAGE_COLUMNS,
  QUERY_COLUMNS,
  acceptedFor,
  pickColumn,
  textProblem,
  type PairFileOptions,
} from './pair-columns.js';
import { DatasetEmptyError, DatasetFormatError } from './errors.js';
import type { Pair } from './types.js';

/**
 * Read (query, passage) pairs from a JSON Lines file: one JSON object a line, e.g.
 * `{"query": "who wrote hamlet", "passage": "Hamlet Hamlet is a tragedy by …"}`. The fields may also
 * be named `question`/`anchor` and `answer`/`positive` (NQ and sentence-transformers names), or be
 * chosen with `queryColumn`/`passageColumn`. Blank lines are skipped. Other fields are ignored.
 *
 * Related: {@link loadCsvPairs}, {@link loadParquetPairs}, {@link loadPairsFile} (picks by extension).
 *
 * @throws {@link DatasetFormatError} naming file and line for bad JSON, a non-object line, a missing
 *   field, or a text that is not a non-empty string.
 * @throws {@link DatasetEmptyError} when the file has no pairs; {@link DatasetFileNotFoundError} when it is missing.
 * @example
 * ```ts
 * const pairs = await loadJsonlPairs('data/pairs.jsonl');
 * // → [{ query: 'who wrote hamlet', passage: 'Hamlet Hamlet is a tragedy by …' }, …]
 * ```
 */
export async function loadJsonlPairs(file: string, options: PairFileOptions = {}): Promise<Pair[]> {
  const limit = checkLimit(options.limit, 'loadJsonlPairs');
  const lines = splitLines(
    await readText(
      file,
      'Pass the path of a JSONL file with one {"query", "passage"} object a line.',
    ),
  );
  const pairs: Pair[] = [];
  for (let i = 0; i < lines.length && pairs.length < limit; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const at = { file, line: i + 1 };
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new DatasetFormatError(
        at,
        `not valid JSON (${(error as Error).message}): ${line.slice(0, 80)}`,
        { cause: error },
      );
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new DatasetFormatError(
        at,
        `expected a JSON object such as {"query": "…", "passage": "…"}, received ${line.slice(0, 80)}`,
      );
    }
    const obj = record as Record<string, unknown>;
    const keys = Object.keys(obj);
    const q = pickColumn(keys, options.queryColumn, QUERY_COLUMNS);
    const p = pickColumn(keys, options.passageColumn, PASSAGE_COLUMNS);
    for (const [col, given, candidates, what] of [
      [q, options.queryColumn, QUERY_COLUMNS, 'query'],
      [p, options.passageColumn, PASSAGE_COLUMNS, 'passage'],
    ] as const) {
      if (col === undefined) {
        throw new DatasetFormatError(
          at,
          `no ${what} field: expected one of ${acceptedFor(given, candidates).join(', ')}, found ${keys.length === 0 ? 'no fields' : keys.join(', ')} (or pass ${what}Column)`,
        );
      }
      const problem = textProblem(obj[col], `field "${col}"`);
      if (problem !== undefined) throw new DatasetFormatError(at, problem);
    }
    pairs.push({ query: obj[q as string] as string, passage: obj[p as string] as string });
  }
  if (pairs.length === 0) throw new DatasetEmptyError(file, '{"query", "passage"} line');
  return pairs;
}
