import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { checkLimit } from './_files.js';
import { requirePairColumns, textProblem, type PairFileOptions } from './pair-columns.js';
import { DatasetEmptyError, DatasetFileNotFoundError, DatasetFormatError } from './errors.js';
import type { Pair } from './types.js';

/**
 * Read (query, passage) pairs from a Parquet file (Hugging Face datasets' format) with hyparquet,
 * decompressing snappy, gzip, zstd, brotli and lz4 pages (`hyparquet-compressors`). The schema is
 * read first and the columns picked by name: query `query`/`question`/`anchor`, passage
 * `passage`/`answer`/`positive` (NQ's first upload named them `question`, `answer`; later ones
 * `query`, `answer`), or `queryColumn`/`passageColumn`. Only those two columns are decoded.
 *
 * Related: {@link loadNaturalQuestions} downloads NQ's parquet and calls this; {@link loadJsonlPairs}.
 *
 * @throws {@link DatasetColumnError} listing the schema's columns when one is missing.
 * @throws {@link DatasetFormatError} naming the file and row for a null or non-string text, or
 *   naming the file when it is not parquet or a data page cannot be decoded (a damaged file).
 *   {@link DatasetEmptyError} for zero rows.
 * @example
 * ```ts
 * const pairs = await loadParquetPairs('train-00000-of-00001.parquet', { limit: 2 });
 * // → [{ query: 'when did richmond last play in a preliminary final', passage: "2017 AFL Grand Final …" }, …]
 * ```
 */
export async function loadParquetPairs(
  file: string,
  options: PairFileOptions = {},
): Promise<Pair[]> {
  const limit = checkLimit(options.limit, 'loadParquetPairs');
  let buffer: AsyncBuffer;
  try {
    buffer = await asyncBufferFromFile(file);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new DatasetFileNotFoundError(file, 'Pass the path of a .parquet file.', {
        cause: error,
      });
    }
    throw error;
  }
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new DatasetFormatError(
      { file },
      `not a readable Parquet file (${(error as Error).message}); re-download it or check the path`,
      {
        cause: error,
      },
    );
  }
  const available = parquetSchema(metadata).children.map((c) => c.element.name);
  const { query: q, passage: p } = requirePairColumns(file, available, options);
  const rowEnd = Math.min(Number(metadata.num_rows), limit);
  if (rowEnd === 0) throw new DatasetEmptyError(file, 'row');
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({
      file: buffer,
      metadata,
      columns: [q, p],
      rowStart: 0,
      rowEnd,
      compressors,
    });
  } catch (error) {
    // hyparquet's own errors (e.g. "thrift unhandled type" for a damaged page header).
    throw new DatasetFormatError(
      { file },
      `a data page of column "${q}" or "${p}" cannot be decoded (${(error as Error).message}); ` +
        'the file is damaged or cut short: download it again or check the path',
      { cause: error },
    );
  }
  return rows.map((row, i) => {
    for (const col of [q, p]) {
      const problem = textProblem(row[col], `column "${col}"`);
      if (problem !== undefined) throw new DatasetFormatError({ file, row: i }, problem);
    }
    return { query: row[q] as string, passage: row[p] as string };
  });
}
