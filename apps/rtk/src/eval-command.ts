import { join } from 'node:path';
import type { Command } from 'commander';
import {
  checkOutputs,
  evaluationProgress,
  loadEvalData,
  lockOutputFiles,
  metricTable,
  packageVersion,
  userPath,
  type DataSource,
  type OutputTarget,
} from '@rtk/cli-kit';
import { evaluateRetriever } from '@rtk/evaluation';
import { writeTrecRun } from '@rtk/metrics';
import type { Retriever } from '@rtk/retrieval';
import { writeFileAtomic } from '@rtk/files';
import { checkEvalFlags, evalFlagsCommand, type EvalFlags } from './eval-flags.js';
import { resultsJson, tableRows } from './eval-results.js';
import {
  denseRetriever,
  planRetriever,
  sparseRetriever,
  type RetrieverPlan,
} from './retrievers.js';

/** Where `rtk eval` writes, settled (and probed) before any work. */
interface Outputs {
  readonly results: string | undefined;
  readonly run: string | undefined;
}

function outputTargets(flags: EvalFlags): { targets: OutputTarget[]; outputs: Outputs } {
  const targets: OutputTarget[] = [];
  const out = flags.out === undefined ? undefined : userPath(flags.out);
  if (out !== undefined) targets.push({ flag: '--out', dir: out });
  const results =
    flags.results !== undefined
      ? userPath(flags.results)
      : out === undefined
        ? undefined
        : join(out, 'results.json');
  const run =
    flags.run !== undefined
      ? userPath(flags.run)
      : out === undefined
        ? undefined
        : join(out, 'run.trec');
  if (results !== undefined)
    targets.push({ flag: flags.results === undefined ? '--out' : '--results', file: results });
  if (run !== undefined)
    targets.push({ flag: flags.run === undefined ? '--out' : '--run', file: run });
  if (flags.embeddingCache !== undefined)
    targets.push({ flag: '--embedding-cache', dir: userPath(flags.embeddingCache) });
  return { targets, outputs: { results, run } };
}

function dataSource(flags: EvalFlags): DataSource {
  if (flags.beir !== undefined)
    return { kind: 'beir', path: userPath(flags.beir), split: flags.split };
  return {
    kind: 'pairs',
    path: userPath(flags.data!),
    split:
      flags.testFraction === undefined
        ? undefined
        : { testFraction: flags.testFraction, seed: flags.seed },
  };
}

async function run(flags: EvalFlags, command: Command, argv: readonly string[]): Promise<void> {
  // Everything the command line decides is settled here, before any data is read.
  checkEvalFlags(flags, command);
  if (flags.offline) process.env.HF_HUB_OFFLINE = '1';
  const plan = await planRetriever(flags);
  const { targets, outputs } = outputTargets(flags);
  await checkOutputs(targets);
  // Two runs sharing an output would both report "Wrote …" and one result would be lost.
  const lock = await lockOutputFiles(targets);
  try {
    await evaluateAndWrite(flags, plan, outputs, argv);
  } finally {
    await lock.release();
  }
}

async function evaluateAndWrite(
  flags: EvalFlags,
  plan: RetrieverPlan,
  outputs: Outputs,
  argv: readonly string[],
): Promise<void> {
  const started = new Date().toISOString();
  const data = await loadEvalData(dataSource(flags), { limit: flags.limit });
  const built: { retriever: Retriever; settings: Record<string, unknown> } =
    plan.kind === 'sparse'
      ? sparseRetriever(plan.name)
      : await denseRetriever(plan.choice, {
          revision: flags.revision,
          dtype: flags.dtype,
          maxLength: flags.maxLength,
          batchSize: flags.batchSize,
          cacheDir: flags.embeddingCache === undefined ? undefined : userPath(flags.embeddingCache),
        });
  const progress = evaluationProgress(built.retriever.name);
  let evaluation;
  try {
    evaluation = await evaluateRetriever(built.retriever, data.test, {
      k: flags.depth,
      onProgress: progress.onProgress,
    });
  } finally {
    progress.stop();
  }
  const tag = flags.runTag ?? evaluation.tag;
  console.log(
    `\n${built.retriever.name} on ${data.test.name}\n\n${metricTable(tableRows(evaluation))}\n`,
  );
  if (outputs.run !== undefined) {
    await writeTrecRun(outputs.run, evaluation.run, { tag });
    console.log(`Wrote ${outputs.run}`);
  }
  if (outputs.results !== undefined) {
    const json = resultsJson(evaluation, {
      version: packageVersion(import.meta.url),
      command: ['rtk', ...argv].join(' '),
      startedAt: started,
      data: data.description,
      retriever: built.settings,
      depth: flags.depth,
      run: outputs.run ?? null,
      tag,
    });
    await writeFileAtomic(outputs.results, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`Wrote ${outputs.results}`);
  }
}

/**
 * `rtk eval`: flags, checks, and the action. `argv` is the whole command line after `rtk`,
 * recorded in the results as the command that ran.
 */
export function evalCommand(argv: readonly string[]): Command {
  return evalFlagsCommand().action((flags: EvalFlags, self: Command) => run(flags, self, argv));
}
