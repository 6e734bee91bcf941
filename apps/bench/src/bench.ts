import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { DEFAULT_ENCODER_MODEL, type Pooling } from '@rtk/encoders';
import type { TextPrefixes } from '@rtk/retrieval';
import {
  addModelOptions,
  beirOptions,
  checkModelOffline,
  checkOutputs,
  chooseModel,
  given,
  limitOption,
  backendOptions,
  loadEvalData,
  metricTable,
  packageVersion,
  processIo,
  requireWith,
  runCli,
  seedOption,
  strictCommand,
  testFractionOption,
  userCwd,
  userPath,
  UsageError,
  type CliIo,
  type DataSource,
  type ModelFlags,
  type OutputTarget,
} from '@rtk/cli-kit';
import { getBackend } from '@tensorflow/tfjs-core';
import { comparisonTable, writeReport, type TaskResult } from './report/markdown.js';
import { addFineTuneOptions, checkRemineEvery, type FineTuneFlags } from './fine-tune-flags.js';
import { fineTuneTasks, type FineTuneTasksResult } from './tasks/fine-tune-tasks.js';
import { fineTuneReport } from './report/fine-tune-report.js';
import { metricsCheck } from './tasks/metrics-check.js';
import { sparseTask, type SparseModel } from './tasks/sparse.js';
import { denseTask } from './tasks/dense.js';
import { DEFAULT_TASKS, parseTasks, TASKS } from './options.js';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * The model `--offline` runs for tasks 3–5 when no `--model` is given: a small sentence encoder
 * this toolkit trained from a random initialisation on the Python and Django manuals
 * (`models/rtk-docs-mini`, see its README), not E5.
 */
export const DOCS_MODEL: string = resolve(here, '../models/rtk-docs-mini');
/** How the offline model is named in tables and reports. */
export const DOCS_MODEL_LABEL: string =
  'rtk-docs-mini, trained here on the Python/Django manuals, not E5';

/** The flags of `pnpm bench`, as commander parses them (numbers already checked). */
interface BenchFlags extends ModelFlags, FineTuneFlags {
  readonly task: readonly number[];
  readonly offline: boolean;
  readonly data?: string;
  readonly testFile?: string;
  readonly beir?: string;
  readonly split: string;
  readonly testFraction: number;
  readonly seed: number;
  readonly limit?: number;
  readonly sparse: SparseModel;
  readonly model: string;
  readonly embeddingCache: string;
  readonly out: string;
}

/** What task 3 runs, settled before any task starts. */
interface DensePlan {
  readonly model: string;
  readonly prefixes: TextPrefixes | false;
  readonly pooling: Pooling | undefined;
  /** True for the offline stand-in ({@link DOCS_MODEL}) in place of the default E5 model. */
  readonly fixture: boolean;
  readonly e5: boolean;
}

/**
 * The model task 3 runs. `--offline` without `--model` runs {@link DOCS_MODEL} in place of the
 * default E5 model, with its own recipe (no prefixes, as it was trained; `--query-prefix` and
 * `--passage-prefix` still apply), labelled as what it is; a `--model` the user named is always
 * that model — offline it must be a folder or cached, else an error.
 */
async function planDense(flags: BenchFlags, command: Command): Promise<DensePlan> {
  if (flags.offline && !given(command, 'model')) {
    return {
      model: DOCS_MODEL,
      prefixes: {
        query: flags.queryPrefix ?? '',
        passage: flags.passagePrefix ?? '',
      },
      pooling: flags.pooling,
      fixture: true,
      e5: false,
    };
  }
  const choice = await chooseModel(flags, userCwd());
  if (flags.offline || choice.location.kind === 'folder') await checkModelOffline(choice, flags);
  return { ...choice, fixture: false };
}

function dataSource(flags: BenchFlags): { source: DataSource; name: string | undefined } {
  const split = { testFraction: flags.testFraction, seed: flags.seed };
  if (flags.testFile !== undefined)
    return {
      source: { kind: 'pairs', path: userPath(flags.testFile), split: undefined },
      name: 'test-file',
    };
  if (flags.data !== undefined)
    return { source: { kind: 'pairs', path: userPath(flags.data), split }, name: undefined };
  if (flags.beir !== undefined)
    return {
      source: { kind: 'beir', path: userPath(flags.beir), split: flags.split },
      name: undefined,
    };
  if (flags.offline) return { source: { kind: 'sample', split }, name: undefined };
  return { source: { kind: 'natural-questions', split }, name: undefined };
}

async function run(flags: BenchFlags, command: Command, argv: readonly string[]): Promise<void> {
  // Everything the command line decides is checked here, before the first task runs.
  requireWith(
    command,
    { attribute: 'split', flag: '--split' },
    { attribute: 'beir', flag: '--beir' },
  );
  const tasks = flags.task;
  // Offline: no network call anywhere; a hub model id then resolves from the cache only.
  if (flags.offline) process.env.HF_HUB_OFFLINE = '1';
  const fineTuning = tasks.includes(4) || tasks.includes(5);
  checkRemineEvery(flags, tasks);
  backendOptions(flags); // --gpu with --backend wasm|cpu fails here, before any task runs
  if (fineTuning && flags.dtype !== 'fp32' && flags.dtype !== 'q8') {
    throw new UsageError(
      `--dtype ${flags.dtype}: tasks 4–5 evaluate the checkpoints through graphs they export, in fp32 or q8; choose one of those`,
      '--dtype',
    );
  }
  const dense = tasks.includes(3) || fineTuning ? await planDense(flags, command) : undefined;
  const cacheDir = flags.embeddingCache === '' ? undefined : userPath(flags.embeddingCache);
  const outputs: OutputTarget[] = [{ flag: '--out', dir: userPath(flags.out) }];
  if (dense !== undefined && cacheDir !== undefined)
    outputs.push({ flag: '--embedding-cache', dir: cacheDir });
  const [outDir] = await checkOutputs(outputs);
  const { source, name } = dataSource(flags);
  const data = await loadEvalData(source, { limit: flags.limit, name });
  console.log(`Data: ${JSON.stringify(data.description)}\n`);

  const results: TaskResult[] = [];
  const report = (r: TaskResult): void => {
    results.push(r);
    console.log(`\nTask ${r.task}: ${r.title}\n\n${metricTable(r.metrics)}\n`);
    for (const note of r.notes) console.log(`Note: ${note}`);
  };
  for (const task of tasks) {
    if (task === 1) report(metricsCheck(data.test, flags.seed));
    if (task === 2) report(await sparseTask(data.test, flags.sparse));
    if (task === 3 && dense !== undefined) {
      report(
        await denseTask(data.test, {
          model: dense.model,
          revision: flags.revision,
          dtype: flags.dtype,
          maxLength: flags.maxLength,
          batchSize: flags.batchSize,
          cacheDir,
          ...(dense.fixture
            ? {
                label: DOCS_MODEL_LABEL,
                note: `The model is ${DOCS_MODEL_LABEL}: a small encoder trained from a random start by this toolkit (${dense.model}, see its README), a baseline for the offline sample, NOT E5. Run without --offline for E5.`,
              }
            : {}),
          e5: dense.e5,
          prefixes: dense.prefixes,
          pooling: dense.pooling,
        }),
      );
    }
  }
  let fineTuned: FineTuneTasksResult | undefined;
  if (fineTuning && dense !== undefined) {
    fineTuned = await runFineTuneTasks(
      fixtureDefaults(flags, command, dense),
      dense,
      data,
      outDir!,
    );
  }
  const retrieval = results.filter((r) => r.task >= 2 && r.task <= 3);
  let extra = '';
  if (retrieval.length > 1) {
    extra = `## Summary\n\n${comparisonTable(retrieval.map((r) => ({ name: r.title, metrics: r.metrics })))}\n`;
    console.log(`\n${extra}`);
  }
  const startedAt = new Date().toISOString();
  const commandLine = `pnpm bench ${argv.join(' ')}`.trim();
  const fineTuneSection =
    fineTuned === undefined
      ? undefined
      : await fineTuneReport(fineTuned, {
          outDir: outDir!,
          command: commandLine,
          startedAt,
          fixture: dense?.fixture ?? false,
          ...(dense?.fixture === true
            ? {
                caveat: `The starting model is ${DOCS_MODEL_LABEL} (${dense.model}), NOT E5, fine-tuned on the shipped sample: the tables show the machinery on a small trained model, not the study's numbers. Run without --offline for E5 on Natural Questions.`,
              }
            : {}),
          model: dense?.model ?? '',
          data: data.description,
          backend: getBackend(),
        });
  const paths = await writeReport(outDir!, {
    startedAt,
    command: commandLine,
    results: results.map((r) => ({ ...r, settings: { data: data.description, ...r.settings } })),
    extra: `${extra}${fineTuneSection?.markdown ?? ''}`,
    ...(fineTuneSection === undefined ? {} : { fineTune: fineTuneSection.json }),
  });
  console.log(
    `\nWrote ${paths.json} and ${paths.markdown}${fineTuneSection === undefined ? '' : ` and ${fineTuneSection.html}`}`,
  );
}

/**
 * With the offline model ({@link DOCS_MODEL}: `--offline` without `--model`), a default suited
 * to a small model trained from scratch, said on stderr: a learning rate of 2e-4, a fifth of the
 * peak it was trained with (1e-3); E5's 5e-5 is meant for a large pretrained model. The rest are
 * the study's defaults, which suit it: passages of 128 tokens (its training length) and task 5's
 * mining with the model itself (a trained model's hard negatives mean something, where the random
 * fixture's did not). A flag the user gave always wins.
 */
function fixtureDefaults(flags: BenchFlags, command: Command, dense: DensePlan): BenchFlags {
  if (!dense.fixture) return flags;
  const changes: Partial<Record<keyof BenchFlags, unknown>> = {};
  if (!given(command, 'lr')) changes.lr = 2e-4;
  const said = Object.entries(changes).map(([k, v]) => `${k} ${String(v)}`);
  if (said.length > 0) {
    console.error(
      `Tasks 4–5 on the offline model rtk-docs-mini: ${said.join(', ')} (flags you give override these)`,
    );
  }
  return { ...flags, ...changes } as BenchFlags;
}

/** Tasks 4–5 with the command line's settings; prints each table as its run ends. */
async function runFineTuneTasks(
  flags: BenchFlags,
  dense: DensePlan,
  data: Awaited<ReturnType<typeof loadEvalData>>,
  outDir: string,
): Promise<FineTuneTasksResult> {
  if (data.train.length === 0) {
    throw new UsageError(
      '--task 4,5 fine-tune on the training side of a split: use --data (split with --test-fraction), the NQ default or --offline, not --test-file or --beir',
      '--task',
    );
  }
  const prefixes = dense.prefixes === false ? { query: '', passage: '' } : dense.prefixes;
  const result = await fineTuneTasks({
    tasks: flags.task,
    train: data.train,
    test: data.test,
    outDir,
    settings: {
      model: dense.model,
      ...(dense.fixture ? {} : { revision: flags.revision }),
      prefixes,
      batchSize: flags.trainBatchSize,
      learningRate: flags.lr,
      warmup: flags.warmup,
      weightDecay: flags.weightDecay,
      maxGradNorm: flags.maxGradNorm,
      maxQueryLength: flags.maxQueryLength,
      maxPassageLength: flags.maxPassageLength,
      seed: flags.seed,
      dropout: flags.dropout === 'default',
      evalBatchSize: flags.batchSize,
      evalMaxLength: flags.maxLength,
      evalDtype: flags.dtype === 'q8' ? 'q8' : 'fp32',
      test: flags.significance,
      maxP: flags.maxP,
      backend: backendOptions(flags),
    },
    triplet: { distance: flags.distance, margin: flags.margin },
    scale: flags.scale,
    stepScale: flags.stepScale,
    hard: {
      mineWith: flags.mineWith,
      rangeMin: flags.rangeMin,
      rangeMax: flags.rangeMax,
      relativeMargin: flags.relativeMargin === 0 ? undefined : flags.relativeMargin,
      absoluteMargin: flags.absoluteMargin,
      maxScore: flags.maxScore,
      sampling: flags.sampling,
    },
    ...(flags.remineEvery === undefined ? {} : { remineEvery: flags.remineEvery }),
  });
  return result;
}

/** The `pnpm bench` command line (commander, strict: see `@rtk/cli-kit`). */
function benchCommand(argv: readonly string[]): Command {
  const [beir, split] = beirOptions() as [Option, Option];
  const command = strictCommand(
    'rtk-bench',
    "Reproduce the study's retrieval tasks on Natural Questions (or your own pairs).",
  )
    .version(packageVersion(import.meta.url))
    .addOption(
      new Option('--task <list>', `Tasks to run, comma-separated (${TASKS.join(', ')})`)
        .argParser(parseTasks)
        .default([...DEFAULT_TASKS], DEFAULT_TASKS.join(',')),
    )
    .addOption(
      new Option(
        '--offline',
        'No network: the shipped sample dataset and, unless --model names one, the rtk-docs-mini model',
      ).default(false),
    )
    .addOption(
      new Option(
        '--data <file>',
        'Local pairs file (JSONL/CSV/parquet with query and passage columns), split like NQ',
      ).conflicts(['testFile', 'beir']),
    )
    .addOption(
      new Option(
        '--test-file <file>',
        'Local pairs file evaluated as it is, with no split',
      ).conflicts(['beir', 'testFraction']),
    )
    .addOption(beir.conflicts(['testFraction']))
    .addOption(split)
    .addOption(testFractionOption('Fraction of pairs held out for test, in (0, 1)', 0.2))
    .addOption(seedOption('Seed of the train/test split and random baselines, in [0, 4294967295]'))
    .addOption(limitOption('Evaluate on at most this many test pairs (BEIR: queries)'))
    .addOption(
      new Option('--sparse <name>', 'Task 2 retriever').choices(['tfidf', 'bm25']).default('tfidf'),
    );
  addModelOptions(command, {
    defaultModel: DEFAULT_ENCODER_MODEL,
    modelDescription: 'Task 3 encoder: a model folder, else a hub id',
  })
    .addOption(
      new Option('--embedding-cache <dir>', "Embedding cache folder ('' for none)").default(
        '.cache/embeddings',
      ),
    )
    .addOption(
      new Option('--out <dir>', 'Folder for results.json and report.md').default('bench-results'),
    );
  addFineTuneOptions(command).action((flags: BenchFlags, self: Command) => run(flags, self, argv));
  return command;
}

/**
 * Run the bench with these command-line arguments (a leading `--`, as `pnpm bench -- …` passes
 * it, is dropped). Returns the exit status: 0; 2 for a wrong command line (one line on stderr,
 * before any task runs); 1 after printing any other error (known errors, which carry a stable
 * `code`, print message and code; others their stack).
 */
export async function runBench(
  rawArgs: readonly string[],
  io: CliIo = processIo(),
): Promise<number> {
  const argv = rawArgs[0] === '--' ? rawArgs.slice(1) : rawArgs;
  return runCli(benchCommand(argv), argv, io);
}
