import { extname } from 'node:path';
import type { PairFileOptions } from './pair-columns.js';
import { DatasetArgumentError } from './errors.js';
import { loadCsvPairs } from './load-csv-pairs.js';
import { loadJsonlPairs } from './load-jsonl-pairs.js';
import { loadParquetPairs } from './load-parquet-pairs.js';
import type { Pair } from './types.js';

const LOADERS: Readonly<
  Record<string, (file: string, options: PairFileOptions) => Promise<Pair[]>>
> = {
  '.jsonl': loadJsonlPairs,
  '.ndjson': loadJsonlPairs,
  '.csv': loadCsvPairs,
  '.tsv': loadCsvPairs,
  '.parquet': loadParquetPairs,
};

/** File extensions {@link loadPairsFile} understands. */
export const PAIR_FILE_EXTENSIONS: readonly string[] = Object.keys(LOADERS);

/**
 * Read (query, passage) pairs from a local file, choosing the loader by extension: `.jsonl`/`.ndjson`
 * → {@link loadJsonlPairs}, `.csv`/`.tsv` → {@link loadCsvPairs}, `.parquet` → {@link loadParquetPairs}.
 * This is what the bench's `--data PATH` uses.
 *
 * @throws {@link DatasetArgumentError} for another extension; otherwise whatever the loader throws.
 * @example
 * ```ts
 * const pairs = await loadPairsFile('my-pairs.csv', { limit: 1000 });
 * ```
 */
export function loadPairsFile(file: string, options: PairFileOptions = {}): Promise<Pair[]> {
  const loader = LOADERS[extname(file).toLowerCase()];
  if (loader === undefined) {
    return Promise.reject(
      new DatasetArgumentError(
        `${file}: unsupported pair file type ${JSON.stringify(extname(file))}: expected one of ${PAIR_FILE_EXTENSIONS.join(', ')}.`,
      ),
    );
  }
  return loader(file, options);
}
