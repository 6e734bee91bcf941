import {
  datasetFromPairs,
  loadBeir,
  loadNaturalQuestions,
  loadPairsFile,
  loadSamplePairs,
  NATURAL_QUESTIONS,
  samplePairsPath,
  splitPairs,
  type Pair,
  type RetrievalDataset,
} from '@rtk/datasets';
import { UsageError } from './errors.js';
import { progressBar } from './progress.js';

/**
 * Where a command's evaluation data comes from:
 * - `pairs`: a (query, passage) file, split seeded when `split` is set, else evaluated as it is;
 * - `beir`: a BEIR folder and its qrels split;
 * - `sample`: the shipped offline sample, split like NQ;
 * - `natural-questions`: NQ from the Hugging Face hub, split.
 */
export type DataSource =
  | {
      readonly kind: 'pairs';
      readonly path: string;
      readonly split: SplitChoice | undefined;
    }
  | { readonly kind: 'beir'; readonly path: string; readonly split: string }
  | { readonly kind: 'sample'; readonly split: SplitChoice }
  | { readonly kind: 'natural-questions'; readonly split: SplitChoice };

/** A seeded train/test split, and the flag its fraction came from (for messages). */
export interface SplitChoice {
  readonly testFraction: number;
  readonly seed: number;
}

/** Options of {@link loadEvalData}. */
export interface LoadEvalDataOptions {
  /** Keep at most this many test pairs (pairs sources) or queries (BEIR), for quick runs. */
  readonly limit?: number | undefined;
  /** Dataset name written in reports; default per source. */
  readonly name?: string | undefined;
}

/** The data every task of one run shares. */
export interface EvalData {
  /** Training pairs (empty when nothing was split off). */
  readonly train: readonly Pair[];
  /** The retrieval test set. */
  readonly test: RetrievalDataset;
  /** Recorded in results: source, split settings and sizes. */
  readonly description: Readonly<Record<string, unknown>>;
}

async function loadPairs(
  source: Exclude<DataSource, { kind: 'beir' }>,
): Promise<{ pairs: Pair[]; described: Record<string, unknown> }> {
  switch (source.kind) {
    case 'pairs':
      return {
        pairs: await loadPairsFile(source.path),
        described:
          source.split === undefined
            ? { kind: 'file (no split)', path: source.path }
            : { kind: 'file', path: source.path },
      };
    case 'sample':
      return {
        pairs: await loadSamplePairs(),
        described: { kind: 'shipped offline sample (generated, not NQ)', path: samplePairsPath() },
      };
    case 'natural-questions': {
      const bar = progressBar('download NQ', 'bytes');
      try {
        const pairs = await loadNaturalQuestions({
          onProgress: bar.update,
          // Retries, a lock held by another process, low disk space: said as they happen.
          onLog: (message) => process.stderr.write(`download NQ: ${message}\n`),
        });
        return { pairs, described: { kind: 'hugging face hub', ...NATURAL_QUESTIONS } };
      } finally {
        bar.stop();
      }
    }
  }
}

const DEFAULT_NAMES: Readonly<Record<DataSource['kind'], string>> = {
  pairs: 'pairs/test',
  sample: 'sample/test',
  'natural-questions': 'natural-questions/test',
  beir: '',
};

async function loadBeirData(
  source: Extract<DataSource, { kind: 'beir' }>,
  options: LoadEvalDataOptions,
): Promise<EvalData> {
  const all = await loadBeir(source.path, {
    split: source.split,
    ...(options.name === undefined ? {} : { name: options.name }),
  });
  const limit = options.limit;
  const queries =
    limit !== undefined && all.queries.length > limit ? all.queries.slice(0, limit) : all.queries;
  const test: RetrievalDataset = {
    ...all,
    queries,
    qrels: new Map(queries.map((q) => [q.id, all.qrels.get(q.id) ?? new Map<string, number>()])),
  };
  return {
    train: [],
    test,
    description: {
      source: { kind: 'BEIR folder', path: source.path },
      split: `qrels/${source.split}.tsv`,
      limit: limit ?? null,
      corpusSize: test.corpus.length,
      queries: test.queries.length,
    },
  };
}

/**
 * Loads the data a command line chose and builds the retrieval test set (passages
 * deduplicated, each query → its passages). Pairs are split seeded (`splitPairs`, groups of
 * linked pairs kept together) when the source has a split; `limit` then keeps the first test
 * pairs. Runs before any task, so a split that comes out empty fails up front.
 *
 * @throws {@link UsageError} when a split leaves the test or the train side empty (naming
 *   `--test-fraction`, the pair count and what to change).
 * @throws the loaders' own errors (missing file, malformed line, empty file, hub unreachable).
 */
export async function loadEvalData(
  source: DataSource,
  options: LoadEvalDataOptions = {},
): Promise<EvalData> {
  if (source.kind === 'beir') return loadBeirData(source, options);
  const { pairs, described } = await loadPairs(source);
  let train: readonly Pair[] = [];
  let test: readonly Pair[] = pairs;
  let split: Record<string, unknown> | undefined;
  if (source.split !== undefined) {
    const s = splitPairs(pairs, source.split);
    const empty = s.test.length === 0 ? 'test' : s.train.length === 0 ? 'train' : undefined;
    if (empty !== undefined) {
      throw new UsageError(
        `--test-fraction ${source.split.testFraction} of ${pairs.length} pairs leaves the ${empty} split empty ` +
          `(${s.train.length} train, ${s.test.length} test). Choose a fraction that puts pairs on both sides, or evaluate the file as it is.`,
        '--test-fraction',
      );
    }
    train = s.train;
    test = s.test;
    split = { ...s.settings };
  }
  const limit = options.limit;
  if (limit !== undefined && test.length > limit) test = test.slice(0, limit);
  const dataset = datasetFromPairs(test, { name: options.name ?? DEFAULT_NAMES[source.kind] });
  return {
    train,
    test: dataset,
    description: {
      source: described,
      split: split ?? 'none (evaluated as given)',
      limit: limit ?? null,
      pairs: pairs.length,
      trainPairs: train.length,
      testPairs: test.length,
      corpusSize: dataset.corpus.length,
      queries: dataset.queries.length,
    },
  };
}
