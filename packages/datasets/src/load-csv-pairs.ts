import { parse } from 'csv-parse/sync';
import { checkLimit, readText } from './_files.js';
import { requirePairColumns, textProblem, type PairFileOptions } from './pair-columns.js';
import { DatasetEmptyError, DatasetFormatError } from './errors.js';
import type { Pair } from './types.js';

/** Options for {@link loadCsvPairs}. */
export interface CsvPairOptions extends PairFileOptions {
  /** Field delimiter. Default `'\t'` for `.tsv` files, else `','`. */
  readonly delimiter?: string;
}

/**
 * Read (query, passage) pairs from a CSV (or TSV) file with a header row naming the columns
 * (`query`/`question`/`anchor` and `passage`/`answer`/`positive`, or `queryColumn`/`passageColumn`).
 * Parsed with `csv-parse` (RFC 4180 quoting, multi-line quoted cells, BOM).
 *
 * Related: {@link loadJsonlPairs}, {@link loadPairsFile}.
 *
 * @throws {@link DatasetColumnError} when the header lacks a query or passage column.
 * @throws {@link DatasetFormatError} naming file and line for broken quoting, a wrong cell count or an empty text.
 * @throws {@link DatasetEmptyError} when there is no header or no data row.
 * @example
 * ```ts
 * // pairs.csv:
 * // query,passage
 * // who wrote hamlet,"Hamlet Hamlet is a tragedy by William Shakespeare."
 * await loadCsvPairs('pairs.csv'); // → [{ query: 'who wrote hamlet', passage: 'Hamlet Hamlet is a tragedy by William Shakespeare.' }]
 * ```
 */
export async function loadCsvPairs(file: string, options: CsvPairOptions = {}): Promise<Pair[]> {
  const limit = checkLimit(options.limit, 'loadCsvPairs');
  const text = await readText(
    file,
    'Pass the path of a CSV file with a header row such as "query,passage".',
  );
  const delimiter = options.delimiter ?? (file.toLowerCase().endsWith('.tsv') ? '\t' : ',');
  let header: string[] | undefined;
  let rows: { record: Record<string, unknown>; info: { lines: number } }[];
  try {
    // With `info: true` csv-parse returns { record, info } objects; its typings do not model that.
    const parsed: unknown = parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      info: true,
      to: limit === Infinity ? undefined : limit,
      columns: (names: string[]) => {
        header = names.map((n) => n.trim());
        return header;
      },
    });
    rows = parsed as { record: Record<string, unknown>; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    throw new DatasetFormatError(
      { file, line: typeof line === 'number' ? line : undefined },
      `malformed CSV: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (header === undefined) throw new DatasetEmptyError(file, 'header row and data row');
  const { query: q, passage: p } = requirePairColumns(file, header, options);
  const pairs: Pair[] = [];
  for (const { record, info } of rows) {
    for (const col of [q, p]) {
      const problem = textProblem(record[col], `column "${col}"`);
      if (problem !== undefined) throw new DatasetFormatError({ file, line: info.lines }, problem);
    }
    pairs.push({ query: record[q] as string, passage: record[p] as string });
  }
  if (pairs.length === 0) throw new DatasetEmptyError(file, 'data row after the header');
  return pairs;
}
