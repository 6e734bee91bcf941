import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineCommand, runCommand, runMain } from 'citty';
import { ENCODER_DTYPES, type EncoderDtype } from '@rtk/encoders';
import { loadBenchData } from './data.js';
import { comparisonTable, metricTable, writeReport, type TaskResult } from './report.js';
import { metricsCheck } from './tasks/metrics-check.js';
import { sparseTask } from './tasks/sparse.js';
import { denseTask } from './tasks/dense.js';
import { BenchUsageError, parseTasks, parseNumber, TASKS } from './options.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Relative paths on the command line are relative to where the user ran `pnpm bench` (pnpm sets INIT_CWD). */
const userPath = (p: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), p);
/** A model argument is a local folder when it starts with `.` or `/`; otherwise a hub id. */
const modelArg = (m: string): string => (m.startsWith('.') || m.startsWith('/') ? userPath(m) : m);
/** The tiny BERT test fixture (a PyTorch-written random model), used by `--offline` for task 3. */
const FIXTURE_MODEL = resolve(here, '../../../packages/encoders/fixtures/tiny-bert');

/** The `pnpm bench` command (citty definition). */
const command = defineCommand({
  meta: {
    name: 'rtk-bench',
    description: "Reproduce the study's retrieval tasks on Natural Questions (or your own pairs).",
  },
  args: {
    task: {
      type: 'string',
      default: TASKS.join(','),
      description: `Tasks to run, comma-separated (${TASKS.join(', ')})`,
    },
    offline: {
      type: 'boolean',
      default: false,
      description: 'No network: the shipped sample dataset and the test fixture model',
    },
    data: {
      type: 'string',
      description:
        'Local pairs file (JSONL/CSV/parquet with query and passage columns), split like NQ',
    },
    'test-file': {
      type: 'string',
      description: 'Local pairs file evaluated as it is, with no split',
    },
    'test-fraction': {
      type: 'string',
      default: '0.2',
      description: 'Fraction of pairs held out for test',
    },
    seed: {
      type: 'string',
      default: '42',
      description: 'Seed of the train/test split and random baselines',
    },
    limit: { type: 'string', description: 'Evaluate on at most this many test pairs (quick runs)' },
    sparse: {
      type: 'enum',
      options: ['tfidf', 'bm25'],
      default: 'tfidf',
      description: 'Task 2 retriever',
    },
    model: {
      type: 'string',
      default: 'intfloat/e5-small-v2',
      description: 'Task 3 encoder: hub id or local folder',
    },
    revision: { type: 'string', default: 'main', description: 'Hub revision of the model' },
    dtype: {
      type: 'string',
      default: 'fp32',
      description: `ONNX weights (${Object.keys(ENCODER_DTYPES).join(', ')})`,
    },
    'max-length': {
      type: 'string',
      default: '512',
      description: 'Encoder max tokens (truncation)',
    },
    'batch-size': { type: 'string', default: '32', description: 'Encoder batch size' },
    'embedding-cache': {
      type: 'string',
      default: '.cache/embeddings',
      description: "Embedding cache folder ('' for none)",
    },
    out: {
      type: 'string',
      default: 'bench-results',
      description: 'Folder for results.json and report.md',
    },
  },
  async run({ args }) {
    const tasks = parseTasks(args.task);
    const seed = parseNumber(args.seed, '--seed', { integer: true, min: 0 });
    const dtype = args.dtype;
    if (!(dtype in ENCODER_DTYPES))
      throw new BenchUsageError(
        `--dtype must be one of ${Object.keys(ENCODER_DTYPES).join(', ')}; got '${dtype}'`,
      );
    // Offline: no network call anywhere; a hub model id then resolves from the cache only.
    if (args.offline) process.env.HF_HUB_OFFLINE = '1';
    const data = await loadBenchData({
      offline: args.offline,
      data: args.data === undefined ? undefined : userPath(args.data),
      testFile: args['test-file'] === undefined ? undefined : userPath(args['test-file']),
      testFraction: parseNumber(args['test-fraction'], '--test-fraction', { min: 0, max: 1 }),
      seed,
      limit:
        args.limit === undefined
          ? undefined
          : parseNumber(args.limit, '--limit', { integer: true, min: 1 }),
    });
    console.log(`Data: ${JSON.stringify(data.description)}\n`);
    const results: TaskResult[] = [];
    const report = (r: TaskResult): void => {
      results.push(r);
      console.log(`\nTask ${r.task}: ${r.title}\n\n${metricTable(r.metrics)}\n`);
      for (const note of r.notes) console.log(`Note: ${note}`);
    };
    for (const task of tasks) {
      if (task === 1) report(metricsCheck(data.test, seed));
      if (task === 2) report(await sparseTask(data.test, args.sparse));
      if (task === 3) {
        const fixture = args.offline && args.model === 'intfloat/e5-small-v2';
        report(
          await denseTask(data.test, {
            model: fixture ? FIXTURE_MODEL : modelArg(args.model),
            revision: args.revision,
            dtype: dtype as EncoderDtype,
            maxLength: parseNumber(args['max-length'], '--max-length', { integer: true, min: 1 }),
            batchSize: parseNumber(args['batch-size'], '--batch-size', { integer: true, min: 1 }),
            cacheDir:
              args['embedding-cache'] === '' ? undefined : userPath(args['embedding-cache']),
            fixture,
          }),
        );
      }
    }
    const retrieval = results.filter((r) => r.task >= 2);
    let extra = '';
    if (retrieval.length > 1) {
      extra = `## Summary\n\n${comparisonTable(retrieval.map((r) => ({ name: r.title, metrics: r.metrics })))}\n`;
      console.log(`\n${extra}`);
    }
    const paths = await writeReport(userPath(args.out), {
      startedAt: new Date().toISOString(),
      command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
      results: results.map((r) => ({ ...r, settings: { data: data.description, ...r.settings } })),
      extra,
    });
    console.log(`\nWrote ${paths.json} and ${paths.markdown}`);
  },
});

function isKnown(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * Run the bench with these command-line arguments. Returns the exit status: 0, or 1 after
 * printing the error (known errors, which carry a stable `code`, print message and code; others
 * their stack).
 */
export async function runBench(rawArgs: string[]): Promise<number> {
  if (rawArgs.includes('--help') || rawArgs.includes('-h')) {
    await runMain(command, { rawArgs });
    return 0;
  }
  try {
    await runCommand(command, { rawArgs });
    return 0;
  } catch (error) {
    if (isKnown(error)) console.error(`\nerror ${error.code}: ${error.message}`);
    else console.error(error);
    return 1;
  }
}
