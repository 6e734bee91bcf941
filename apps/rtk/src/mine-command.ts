import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  checkOutputs,
  loadEvalData,
  progressBar,
  userPath,
  type DataSource,
  type ProgressBar,
} from '@rtk/cli-kit';
import {
  formatMiningStats,
  mineHardNegatives,
  mineRandomNegatives,
  pairsFromDataset,
  writeNegativesJsonl,
  type MinedNegatives,
  type MiningStage,
} from '@rtk/mining';
import { checkMineFlags, mineFlagsCommand, type MineFlags } from './mine-flags.js';
import {
  denseRetriever,
  planRetriever,
  sparseRetriever,
  type BuiltRetriever,
} from './retrievers.js';

function dataSource(flags: MineFlags): DataSource {
  if (flags.beir !== undefined)
    return { kind: 'beir', path: userPath(flags.beir), split: flags.split };
  return { kind: 'pairs', path: userPath(flags.data!), split: undefined };
}

/** One progress bar per stage (indexing the corpus, searching the queries), opened on first use. */
function stageBars(): {
  onProgress: (stage: MiningStage, done: number, total: number | undefined) => void;
  stop: () => void;
} {
  const bars = new Map<MiningStage, ProgressBar>();
  const labels: Record<MiningStage, [string, string]> = {
    index: ['index corpus', 'passages'],
    search: ['mine', 'queries'],
  };
  return {
    onProgress: (stage, done, total) => {
      let bar = bars.get(stage);
      if (bar === undefined) {
        if (stage === 'search') bars.get('index')?.stop();
        bar = progressBar(...labels[stage]);
        bars.set(stage, bar);
      }
      bar.update(done, total);
    },
    stop: () => {
      // 'index' was stopped when 'search' started
      if (bars.has('search')) bars.get('search')!.stop();
      else bars.get('index')?.stop();
    },
  };
}

async function run(flags: MineFlags, command: Command): Promise<void> {
  // Everything the command line decides is settled here, before any data is read.
  const source = checkMineFlags(flags, command);
  if (flags.offline) process.env.HF_HUB_OFFLINE = '1';
  const plan =
    source.kind === 'model'
      ? await planRetriever({ ...flags, model: source.model })
      : source.kind === 'sparse'
        ? await planRetriever({ ...flags, sparse: source.name })
        : undefined;
  const out = userPath(flags.out!);
  await checkOutputs([
    { flag: '--out', file: out },
    ...(flags.embeddingCache === undefined
      ? []
      : [{ flag: '--embedding-cache', dir: userPath(flags.embeddingCache) }]),
  ]);

  const data = await loadEvalData(dataSource(flags), { name: basename(flags.beir ?? flags.data!) });
  const { pairs, corpus } = pairsFromDataset(data.test);
  let mined: MinedNegatives;
  let name: string;
  if (plan === undefined) {
    name = 'random';
    mined = mineRandomNegatives(pairs, {
      corpus,
      numNegatives: flags.numNegatives,
      seed: flags.seed,
      format: flags.format,
    });
  } else {
    const built: BuiltRetriever =
      plan.kind === 'sparse'
        ? sparseRetriever(plan.name)
        : await denseRetriever(plan.choice, {
            revision: flags.revision,
            dtype: flags.dtype,
            maxLength: flags.maxLength,
            batchSize: flags.batchSize,
            cacheDir:
              flags.embeddingCache === undefined ? undefined : userPath(flags.embeddingCache),
          });
    name = built.retriever.name;
    const bars = stageBars();
    try {
      mined = await mineHardNegatives(pairs, {
        retriever: built.retriever,
        corpus,
        rangeMin: flags.rangeMin,
        ...(flags.rangeMax === undefined ? {} : { rangeMax: flags.rangeMax }),
        ...(flags.absoluteMargin === undefined ? {} : { absoluteMargin: flags.absoluteMargin }),
        ...(flags.relativeMargin === undefined ? {} : { relativeMargin: flags.relativeMargin }),
        ...(flags.maxScore === undefined ? {} : { maxScore: flags.maxScore }),
        ...(flags.minScore === undefined ? {} : { minScore: flags.minScore }),
        numNegatives: flags.numNegatives,
        sampling: flags.sampling,
        seed: flags.seed,
        format: flags.format,
        keepPairs: flags.keepPairs,
        onProgress: bars.onProgress,
      });
    } finally {
      bars.stop();
    }
  }
  await writeNegativesJsonl(out, mined.rows);
  console.log(`\n${name} negatives for ${data.test.name}\n\n${formatMiningStats(mined.stats)}\n`);
  console.log(
    `Wrote ${mined.rows.length} ${flags.format === 'triplet' ? 'triplets' : `${flags.numNegatives + 2}-tuples`}${flags.keepPairs ? ` (${mined.rows.filter((r) => !('negative' in r) && !('negative_1' in r)).length} of them plain pairs without a negative)` : ''} to ${out}`,
  );
}

/** `rtk mine`: flags, checks, and the action. */
export function mineCommand(): Command {
  return mineFlagsCommand().action((flags: MineFlags, self: Command) => run(flags, self));
}
