import { downloadHubFile, type HubOptions } from '@rtk/hub';
import type { PairFileOptions } from './pair-columns.js';
import { loadParquetPairs } from './load-parquet-pairs.js';
import { DatasetCachedFileError, DatasetFormatError } from './errors.js';
import type { Pair } from './types.js';

/** Where Natural Questions pairs live on the hub (https://huggingface.co/datasets/sentence-transformers/natural-questions): config `pair`, split `train`, 100,231 rows. */
export const NATURAL_QUESTIONS: {
  readonly repo: string;
  readonly type: 'dataset';
  readonly revision: string;
  readonly path: string;
} = {
  repo: 'sentence-transformers/natural-questions',
  type: 'dataset',
  revision: 'main',
  path: 'pair/train-00000-of-00001.parquet',
};

/** Options for {@link loadNaturalQuestions}: hub options, column options, and which file. */
export interface LoadNaturalQuestionsOptions extends HubOptions, PairFileOptions {
  /** Dataset repo. Default `sentence-transformers/natural-questions`. */
  readonly repo?: string;
  /** Default `'main'` (the auto-converted copy is `refs/convert/parquet` with path `pair/train/0000.parquet`). */
  readonly revision?: string;
  /** Parquet file in the repo. Default `pair/train-00000-of-00001.parquet`. */
  readonly path?: string;
}

/**
 * Download (once; cached, resumable, with byte progress through `onProgress`) and read the Natural
 * Questions (query, passage) pairs of `sentence-transformers/natural-questions`. Honours `HF_ENDPOINT`,
 * `HF_TOKEN`, `HF_HUB_CACHE`/`HF_HOME` and `HF_HUB_OFFLINE` through `@rtk/hub`. The query column is
 * `query` or `question` (both uploads are accepted, read from the schema), the passage column `answer`.
 *
 * Passages start with the Wikipedia article title, and one passage can answer several questions:
 * feed the pairs to {@link splitPairs} and {@link datasetFromPairs}.
 *
 * @throws `HubUnreachableError` (from `@rtk/hub`, code `ERR_HUB_UNREACHABLE`) when the hub does not answer:
 *   its message says to set `HF_ENDPOINT` to a mirror, pass a local file (`--data PATH`), or use the
 *   offline sample (`--offline`, {@link loadSamplePairs}). Other `@rtk/hub` errors (not found,
 *   unauthorized, offline and not cached) pass through, as do {@link loadParquetPairs}' errors,
 *   except that a cached file that is not readable parquet (damaged on disk) is a
 *   {@link DatasetCachedFileError} naming its cache path and the `rm` command that makes the next
 *   run download it again.
 * @example
 * ```ts
 * const pairs = await loadNaturalQuestions({ onProgress: (done, total) => bar.update(done, { total }) });
 * pairs.length; // 100231
 * const { train, test, settings } = splitPairs(pairs, { testFraction: 0.2, seed: 42 });
 * ```
 */
export async function loadNaturalQuestions(
  options: LoadNaturalQuestionsOptions = {},
): Promise<Pair[]> {
  const ref = {
    repo: options.repo ?? NATURAL_QUESTIONS.repo,
    type: 'dataset',
    revision: options.revision ?? NATURAL_QUESTIONS.revision,
    path: options.path ?? NATURAL_QUESTIONS.path,
  } as const;
  const file = await downloadHubFile(ref, options);
  try {
    return await loadParquetPairs(file, options);
  } catch (error) {
    // A whole-file failure (not parquet, a page that cannot be decoded) of a cached copy: the
    // cache would keep serving it, so say where it is and how to fetch it again.
    if (error instanceof DatasetFormatError && error.row === undefined) {
      const reason = error.cause instanceof Error ? error.cause.message : error.message;
      throw new DatasetCachedFileError(
        file,
        `datasets/${ref.repo}@${ref.revision}:${ref.path}`,
        `not readable Parquet: ${reason}`,
        { cause: error },
      );
    }
    throw error;
  }
}
