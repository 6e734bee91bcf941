import {
  datasetFromPairs,
  loadNaturalQuestions,
  loadPairsFile,
  loadSamplePairs,
  NATURAL_QUESTIONS,
  samplePairsPath,
  splitPairs,
  type Pair,
  type RetrievalDataset,
} from '@rtk/datasets';
import { progressBar } from './progress.js';

/** Where the bench's evaluation data comes from, as chosen by the command line. */
export interface DataChoice {
  readonly offline: boolean;
  /** Local pair file (JSONL/CSV/parquet) to split like NQ. */
  readonly data: string | undefined;
  /** Local pair file to evaluate on as it is, with no split. */
  readonly testFile: string | undefined;
  readonly testFraction: number;
  readonly seed: number;
  /** Keep at most this many test pairs (after the split), for quick runs. */
  readonly limit: number | undefined;
}

/** The data every task of one run shares. */
export interface BenchData {
  /** Training pairs (empty with `testFile`). */
  readonly train: readonly Pair[];
  /** The retrieval test set built from the test pairs. */
  readonly test: RetrievalDataset;
  /** Recorded in results: source, split settings and sizes. */
  readonly description: Readonly<Record<string, unknown>>;
}

async function loadSource(
  choice: DataChoice,
): Promise<{ pairs: Pair[]; source: Record<string, unknown> }> {
  if (choice.testFile !== undefined) {
    return {
      pairs: await loadPairsFile(choice.testFile),
      source: { kind: 'file (no split)', path: choice.testFile },
    };
  }
  if (choice.data !== undefined) {
    return { pairs: await loadPairsFile(choice.data), source: { kind: 'file', path: choice.data } };
  }
  if (choice.offline) {
    return {
      pairs: await loadSamplePairs(),
      source: { kind: 'shipped offline sample (generated, not NQ)', path: samplePairsPath() },
    };
  }
  const bar = progressBar('download NQ', 'bytes');
  try {
    const pairs = await loadNaturalQuestions({ onProgress: bar.update });
    return { pairs, source: { kind: 'hugging face hub', ...NATURAL_QUESTIONS } };
  } finally {
    bar.stop();
  }
}

/**
 * Load the pairs the flags name, split them (seeded) unless `testFile` is given, and build the
 * retrieval test set (passages deduplicated, each query → its passages).
 */
export async function loadBenchData(choice: DataChoice): Promise<BenchData> {
  const { pairs, source } = await loadSource(choice);
  let train: readonly Pair[] = [];
  let test: readonly Pair[] = pairs;
  let split: Record<string, unknown> | undefined;
  if (choice.testFile === undefined) {
    const s = splitPairs(pairs, { testFraction: choice.testFraction, seed: choice.seed });
    train = s.train;
    test = s.test;
    split = { ...s.settings };
  }
  if (choice.limit !== undefined && test.length > choice.limit) test = test.slice(0, choice.limit);
  const name =
    choice.testFile !== undefined
      ? 'test-file'
      : choice.offline
        ? 'sample/test'
        : choice.data !== undefined
          ? 'pairs/test'
          : 'natural-questions/test';
  const dataset = datasetFromPairs(test, { name });
  return {
    train,
    test: dataset,
    description: {
      source,
      split: split ?? 'none (evaluated as given)',
      limit: choice.limit ?? null,
      pairs: pairs.length,
      trainPairs: train.length,
      testPairs: test.length,
      corpusSize: dataset.corpus.length,
      queries: dataset.queries.length,
    },
  };
}
