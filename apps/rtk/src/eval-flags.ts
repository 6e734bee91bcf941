import { Option, type Command } from 'commander';
import {
  addModelOptions,
  beirOptions,
  decimalOption,
  given,
  limitOption,
  requireWith,
  seedOption,
  strictCommand,
  testFractionOption,
  UsageError,
  type ModelFlags,
} from '@rtk/cli-kit';

/** The sparse retrievers `--sparse` chooses from. */
export const SPARSE_RETRIEVERS: readonly SparseRetrieverName[] = ['tfidf', 'bm25'];

/** `tfidf` (scikit-learn `TfidfVectorizer()` semantics) or `bm25` (Lucene BM25). */
export type SparseRetrieverName = 'tfidf' | 'bm25';

/** The flags of `rtk eval`, as commander parses them (numbers already checked). */
export interface EvalFlags extends Omit<ModelFlags, 'model'> {
  readonly sparse?: SparseRetrieverName;
  readonly model?: string;
  readonly data?: string;
  readonly testFraction?: number;
  readonly seed: number;
  readonly beir?: string;
  readonly split: string;
  readonly limit?: number;
  readonly depth: number;
  readonly offline: boolean;
  readonly embeddingCache?: string;
  readonly out?: string;
  readonly results?: string;
  readonly run?: string;
  readonly runTag?: string;
}

/** Default search depth: the run's depth and the deepest cut-off (MAP@100, recall@100). */
export const DEFAULT_DEPTH = 100;

/** Flags that only mean something for a dense model: each needs `--model`. */
const MODEL_ONLY: readonly { readonly attribute: string; readonly flag: string }[] = [
  { attribute: 'revision', flag: '--revision' },
  { attribute: 'dtype', flag: '--dtype' },
  { attribute: 'maxLength', flag: '--max-length' },
  { attribute: 'batchSize', flag: '--batch-size' },
  { attribute: 'queryPrefix', flag: '--query-prefix' },
  { attribute: 'passagePrefix', flag: '--passage-prefix' },
  { attribute: 'pooling', flag: '--pooling' },
  { attribute: 'embeddingCache', flag: '--embedding-cache' },
];

/** The `rtk eval` command's flags (no action yet). */
export function evalFlagsCommand(): Command {
  const [beir, split] = beirOptions() as [Option, Option];
  const command = strictCommand(
    'eval',
    'Evaluate one retriever on a pairs file or a BEIR folder: metrics table, results JSON, TREC run.',
  )
    .addOption(
      new Option('--sparse <name>', 'Sparse retriever')
        .choices([...SPARSE_RETRIEVERS])
        .conflicts('model'),
    )
    .addOption(
      new Option(
        '--data <file>',
        'Pairs file (JSONL/CSV/parquet, query and passage columns), evaluated as it is unless --test-fraction',
      ).conflicts('beir'),
    )
    .addOption(
      testFractionOption('Split --data seeded and evaluate the held-out fraction, in (0, 1)'),
    )
    .addOption(seedOption('Seed of the --test-fraction split, in [0, 4294967295]'))
    .addOption(beir)
    .addOption(split)
    .addOption(limitOption('Evaluate at most this many test pairs (BEIR: queries)'))
    .addOption(
      decimalOption(
        '--depth <k>',
        'Documents retrieved per query: the TREC run depth and the deepest cut-off',
        { integer: true, min: 1 },
        DEFAULT_DEPTH,
      ),
    );
  addModelOptions(command, { modelDescription: 'Dense retriever: a model folder, else a hub id' })
    .addOption(new Option('--embedding-cache <dir>', 'Reuse and store embeddings in this folder'))
    .addOption(
      new Option(
        '--offline',
        'No network: --model must be a folder or in the Hugging Face cache',
      ).default(false),
    )
    .addOption(new Option('--out <dir>', 'Write results.json and run.trec in this folder'))
    .addOption(
      new Option(
        '--results <file>',
        'Write the results JSON (metrics, settings, per-query values) here',
      ),
    )
    .addOption(new Option('--run <file>', 'Write the TREC run (qid Q0 docid rank score tag) here'))
    .addOption(new Option('--run-tag <tag>', "TREC run tag (default: the retriever's name)"));
  return command;
}

/**
 * The checks commander cannot express: one retriever, one data source, and no flag without the
 * flag it belongs to.
 *
 * @throws {@link UsageError} naming the flags.
 */
export function checkEvalFlags(flags: EvalFlags, command: Command): void {
  if (flags.sparse === undefined && flags.model === undefined)
    throw new UsageError(
      `choose a retriever: --sparse ${SPARSE_RETRIEVERS.join('|')} or --model HUB_ID_OR_FOLDER`,
    );
  if (flags.data === undefined && flags.beir === undefined)
    throw new UsageError('choose the data: --data PAIRS_FILE or --beir DIR');
  const data = { attribute: 'data', flag: '--data' };
  requireWith(command, { attribute: 'testFraction', flag: '--test-fraction' }, data);
  requireWith(
    command,
    { attribute: 'seed', flag: '--seed' },
    { attribute: 'testFraction', flag: '--test-fraction' },
  );
  requireWith(
    command,
    { attribute: 'split', flag: '--split' },
    { attribute: 'beir', flag: '--beir' },
  );
  const model = { attribute: 'model', flag: '--model' };
  for (const flag of MODEL_ONLY) requireWith(command, flag, model);
  if (given(command, 'runTag') && flags.run === undefined && flags.out === undefined)
    throw new UsageError('--run-tag needs --run or --out', '--run-tag');
  if (flags.runTag !== undefined && !/^\S+$/.test(flags.runTag))
    throw new UsageError(
      `--run-tag: a TREC run tag has no whitespace, got ${JSON.stringify(flags.runTag)}`,
      '--run-tag',
    );
}
