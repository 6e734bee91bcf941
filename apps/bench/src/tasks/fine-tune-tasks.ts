/**
 * Tasks 4 and 5 of the study: which runs, on which examples, with which negatives.
 *
 * - Task 4: triplet loss with random negatives (Initial / 50 / 100 / 150 steps) and contrastive
 *   in-batch loss (InfoNCE, as sentence-transformers' MultipleNegativesRankingLoss; Initial / 150
 *   / 300 / 450 / 600 steps).
 * - Task 5: triplet loss with hard negatives mined by the zero-shot encoder (or BM25 / TF-IDF), on
 *   the triplet grid, one negative per training pair as task 4's random run, so the two differ
 *   only in how the negative was chosen.
 * - Beyond the study, in task 5: contrastive loss (InfoNCE, task 4's scale) with the same mining
 *   run's negatives as extra candidates, on the contrastive grid. Every training pair trains (a
 *   query the guards left without a negative on in-batch negatives alone), so it differs from
 *   task 4's in-batch run only by the mined candidates; each checkpoint is tested against that
 *   run's checkpoint of the same step when task 4 runs in the same invocation (`--task 4,5`).
 *   With `--task 5` alone the table says there is no baseline (the in-batch run is not repeated:
 *   it is task 4's).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createOnnxEmbedder, type TrainableEncoder } from '@rtk/bert';
import { withProgress } from '@rtk/cli-kit';
import { RtkError } from '@rtk/errors';
import type { Pair, RetrievalDataset } from '@rtk/datasets';
import { exportOnnx, loadSentenceEncoder } from '@rtk/encoders';
import {
  formatMiningStats,
  mineHardNegatives,
  mineRandomNegatives,
  negativeRows,
  type MinedNegatives,
} from '@rtk/mining';
import { DenseRetriever, type Retriever } from '@rtk/retrieval';
import { Bm25Retriever, TfidfRetriever } from '@rtk/tfidf';
import type { TrainingExample, TrainLoss } from '@rtk/training';
import {
  STUDY_CONTRASTIVE,
  STUDY_CONTRASTIVE_STEPS,
  STUDY_TRIPLET_RANDOM,
  STUDY_TRIPLET_STEPS,
} from '../report/study.js';
import {
  evaluateCheckpoint,
  fineTuneRun,
  scaleSteps,
  type FineTuneRunResult,
  type FineTuneRunSpec,
  type FineTuneSettings,
} from './fine-tune.js';

/** Task 5's guards removed every candidate: nothing to train on. */
export class MiningLeftNothingError extends RtkError {
  readonly code = 'ERR_BENCH_NO_HARD_NEGATIVES' as const;
  constructor(h: HardNegativeSettings, seen: number) {
    super(
      `task 5: mining with ${h.mineWith} left no hard negative (${seen} candidates seen, all removed by the guards or outside ranks ${h.rangeMin}–${h.rangeMax}). Loosen --relative-margin (0 for none), --max-score or --range-min, or mine with another retriever (--mine-with bm25).`,
    );
  }
}

/** Which retriever mines task 5's hard negatives. */
export type MineWith = 'dense' | 'bm25' | 'tfidf';
export const MINE_WITH: readonly MineWith[] = ['dense', 'bm25', 'tfidf'];

/** Task 5's mining settings (sentence-transformers' `mine_hard_negatives` names). */
export interface HardNegativeSettings {
  readonly mineWith: MineWith;
  readonly rangeMin: number;
  readonly rangeMax: number;
  readonly relativeMargin: number | undefined;
  readonly absoluteMargin: number | undefined;
  readonly maxScore: number | undefined;
  readonly sampling: 'top' | 'random';
}

/** Everything tasks 4–5 need. */
export interface FineTuneTasksOptions {
  readonly tasks: readonly number[];
  readonly train: readonly Pair[];
  readonly test: RetrievalDataset;
  readonly outDir: string;
  readonly settings: FineTuneSettings;
  /** Triplet loss: distance and margin (sentence-transformers' TripletLoss: euclidean, 5). */
  readonly triplet: { readonly distance: 'euclidean' | 'cosine'; readonly margin: number };
  /** InfoNCE scale (MultipleNegativesRankingLoss: 20). */
  readonly scale: number;
  readonly stepScale: number;
  readonly hard: HardNegativeSettings;
  /**
   * Task 5's runs mine their negatives again every this many steps, with the weights being
   * trained (`--remine-every`); undefined: mined once, before training.
   */
  readonly remineEvery?: number;
}

/** One mining run, for the report. */
export interface MiningReport {
  readonly title: string;
  readonly stats: MinedNegatives['stats'];
  readonly table: string;
  /** Scores of the chosen negatives (hard mining), for the histogram. */
  readonly negativeScores: readonly number[];
  readonly seconds: number;
}

/** What tasks 4–5 produced. */
export interface FineTuneTasksResult {
  readonly runs: readonly (FineTuneRunResult & { readonly task: number })[];
  readonly mining: readonly MiningReport[];
  readonly initialSeconds: number;
  readonly steps: { readonly triplet: readonly number[]; readonly contrastive: readonly number[] };
  /** The settings every run used (for results.json). */
  readonly settings: Omit<FineTuneTasksOptions, 'train' | 'test'> & { readonly trainPairs: number };
}

function asExamples(mined: MinedNegatives): TrainingExample[] {
  return mined.rows.map((r) => {
    const row = r as { query: string; positive: string; negative: string };
    return { query: row.query, positive: row.positive, negatives: [row.negative] };
  });
}

/**
 * Every mined (query, positive) pair with the negatives mining chose for its query (none when the
 * guards left it none): the rows `rtk mine --keep-pairs` writes, as training examples.
 */
export function withMinedNegatives(mined: MinedNegatives): TrainingExample[] {
  const { queries, corpus, positives } = mined.data;
  return negativeRows(queries, corpus, positives, mined.negatives, 'triplet', 1, true).rows.map(
    (r) => {
      const row = r as { query: string; positive: string; negative?: string };
      return {
        query: row.query,
        positive: row.positive,
        negatives: row.negative === undefined ? [] : [row.negative],
      };
    },
  );
}

async function miningRetriever(
  hard: HardNegativeSettings,
  settings: FineTuneSettings,
  scratch: string,
): Promise<{ retriever: Retriever; dispose: () => Promise<void>; name: string }> {
  if (hard.mineWith === 'bm25') {
    const r = new Bm25Retriever();
    return { retriever: r, dispose: () => Promise.resolve(), name: r.name };
  }
  if (hard.mineWith === 'tfidf') {
    const r = new TfidfRetriever();
    return { retriever: r, dispose: () => Promise.resolve(), name: r.name };
  }
  // The zero-shot encoder, through the same ONNX export the evaluations use.
  await rm(scratch, { recursive: true, force: true });
  await exportOnnx(settings.model, scratch, {
    dtype: settings.evalDtype,
    ...(settings.revision === undefined ? {} : { revision: settings.revision }),
  });
  const encoder = await loadSentenceEncoder({
    model: scratch,
    dtype: settings.evalDtype,
    prefixes: settings.prefixes,
    pooling: 'mean',
    normalize: true,
    maxLength: settings.evalMaxLength,
  });
  return {
    retriever: new DenseRetriever({ embedder: encoder, batchSize: settings.evalBatchSize }),
    dispose: async () => {
      await encoder.dispose();
      await rm(scratch, { recursive: true, force: true });
    },
    name: `zero-shot ${settings.model}`,
  };
}

/** The mining options of task 5 (the first mining run and every re-mining round). */
function miningOptions(h: HardNegativeSettings, seed: number) {
  return {
    rangeMin: h.rangeMin,
    rangeMax: h.rangeMax,
    ...(h.relativeMargin === undefined ? {} : { relativeMargin: h.relativeMargin }),
    ...(h.absoluteMargin === undefined ? {} : { absoluteMargin: h.absoluteMargin }),
    ...(h.maxScore === undefined ? {} : { maxScore: h.maxScore }),
    numNegatives: 1,
    sampling: h.sampling,
    seed,
    format: 'triplet' as const,
  };
}

/**
 * The examples after a re-mining round: each keeps its (query, positive) and takes the negative
 * the round chose for its query; a query the guards left without one keeps the negative it had
 * (a triplet example needs one; an InfoNCE example without any stays in-batch only). Returns the
 * examples and how many took a fresh negative.
 */
export function mergeRemined(
  current: readonly TrainingExample[],
  mined: MinedNegatives,
): { examples: TrainingExample[]; fresh: number } {
  const { queries, corpus } = mined.data;
  const negativeOf = new Map<string, string>();
  queries.forEach((q, i) => {
    const first = mined.negatives[i]![0];
    if (first !== undefined) negativeOf.set(q, corpus[first]!);
  });
  let fresh = 0;
  const examples = current.map((e) => {
    const n = negativeOf.get(e.query);
    if (n === undefined) return { ...e, negatives: [...e.negatives] };
    fresh++;
    return { ...e, negatives: [n] };
  });
  return { examples, fresh };
}

/**
 * Re-mining for `--remine-every`: the weights being trained, exported to ONNX
 * (`createOnnxEmbedder`), behind a `DenseRetriever`, mine the training pairs again with the same
 * window, guards and seed; {@link mergeRemined} gives the run's next examples.
 */
function remineWith(
  options: FineTuneTasksOptions,
  id: string,
): NonNullable<FineTuneRunSpec['remine']> | undefined {
  if (options.remineEvery === undefined) return undefined;
  const { hard: h, settings } = options;
  return {
    everySteps: options.remineEvery,
    mine: async (
      model: TrainableEncoder,
      step: number,
      round: number,
      current: readonly TrainingExample[],
    ) => {
      const embedder = await createOnnxEmbedder(model, { dtype: settings.evalDtype });
      let mined: MinedNegatives;
      try {
        const retriever = new DenseRetriever({ embedder, batchSize: settings.evalBatchSize });
        mined = await withProgress(
          `${id}: re-mine ${round} (step ${step})`,
          'queries',
          (onProgress) =>
            mineHardNegatives(options.train, {
              retriever,
              ...miningOptions(h, settings.seed),
              onProgress: (stage, done, total) => {
                if (stage === 'search') onProgress(done, total);
              },
            }),
        );
      } finally {
        await embedder.dispose();
      }
      const { examples, fresh } = mergeRemined(current, mined);
      return { examples, fresh, stats: mined.stats, table: formatMiningStats(mined.stats) };
    },
  };
}

/** Run tasks 4 and/or 5: mine, train, evaluate every checkpoint. */
export async function fineTuneTasks(options: FineTuneTasksOptions): Promise<FineTuneTasksResult> {
  const { settings, outDir, test } = options;
  const tripletSteps = scaleSteps(STUDY_TRIPLET_STEPS, options.stepScale);
  const contrastiveSteps = scaleSteps(STUDY_CONTRASTIVE_STEPS, options.stepScale);
  const scaled = options.stepScale !== 1;
  const triplet: TrainLoss = {
    name: 'triplet',
    distance: options.triplet.distance,
    margin: options.triplet.margin,
  };

  const started = performance.now();
  const initial = await evaluateCheckpoint(
    settings.model,
    0,
    test,
    join(outDir, 'initial'),
    settings,
    'initial (zero-shot)',
  );
  const initialSeconds = (performance.now() - started) / 1000;

  const specs: (FineTuneRunSpec & { task: number })[] = [];
  const mining: MiningReport[] = [];
  if (options.tasks.includes(4)) {
    const t = performance.now();
    const random = mineRandomNegatives(options.train, { numNegatives: 1, seed: settings.seed });
    mining.push({
      title: 'Task 4: random negatives',
      stats: random.stats,
      table: formatMiningStats(random.stats),
      negativeScores: [],
      seconds: (performance.now() - t) / 1000,
    });
    specs.push({
      task: 4,
      id: 'triplet-random',
      title: 'Triplet loss, random negatives',
      loss: triplet,
      steps: tripletSteps,
      examples: asExamples(random),
      ...(scaled ? {} : { study: STUDY_TRIPLET_RANDOM }),
    });
    specs.push({
      task: 4,
      id: 'contrastive',
      title: 'Contrastive loss (in-batch negatives)',
      loss: { name: 'info-nce', scale: options.scale },
      steps: contrastiveSteps,
      examples: options.train.map((p) => ({ query: p.query, positive: p.passage, negatives: [] })),
      ...(scaled ? {} : { study: STUDY_CONTRASTIVE }),
    });
  }
  if (options.tasks.includes(5)) {
    const t = performance.now();
    const h = options.hard;
    const built = await miningRetriever(h, settings, join(outDir, '.mining-onnx'));
    let mined: MinedNegatives;
    try {
      mined = await withProgress('task 5: mine', 'queries', (onProgress) =>
        mineHardNegatives(options.train, {
          retriever: built.retriever,
          ...miningOptions(h, settings.seed),
          onProgress: (stage, done, total) => {
            if (stage === 'search') onProgress(done, total);
          },
        }),
      );
    } finally {
      await built.dispose();
    }
    console.log(
      `\nTask 5: hard negatives mined with ${built.name}\n\n${formatMiningStats(mined.stats)}\n`,
    );
    if (mined.rows.length === 0) {
      throw new MiningLeftNothingError(h, mined.stats.candidatesSeen);
    }
    mining.push({
      title: `Task 5: hard negatives mined with ${built.name}`,
      stats: mined.stats,
      table: formatMiningStats(mined.stats),
      negativeScores: (mined.scores ?? []).flat(),
      seconds: (performance.now() - t) / 1000,
    });
    specs.push({
      task: 5,
      id: 'triplet-hard',
      title: `Triplet loss, hard negatives (${h.mineWith})`,
      loss: triplet,
      steps: tripletSteps,
      examples: asExamples(mined),
      firstMining: { stats: mined.stats, with: mined.rows.length, of: mined.rows.length },
      ...optional('remine', remineWith(options, 'triplet-hard')),
    });
    const candidates = withMinedNegatives(mined);
    const bare = candidates.filter((e) => e.negatives.length === 0).length;
    const note = `Trained on all ${candidates.length} training pairs: ${candidates.length - bare} with a mined negative as an extra candidate, ${bare} without one (in-batch negatives only).`;
    console.log(`Beyond the study (task 5): contrastive with hard negatives. ${note}
`);
    specs.push({
      task: 5,
      id: 'contrastive-hard',
      title: `Beyond the study: contrastive loss, hard negatives (${h.mineWith}) as extra candidates`,
      loss: { name: 'info-nce', scale: options.scale },
      steps: contrastiveSteps,
      examples: candidates,
      firstMining: { stats: mined.stats, with: candidates.length - bare, of: candidates.length },
      baselineId: 'contrastive',
      ...optional('remine', remineWith(options, 'contrastive-hard')),
      note: options.tasks.includes(4)
        ? note
        : `${note} No in-batch-only baseline in this invocation (it is task 4's contrastive run: run --task 4,5 for the Δ rows); ▲/▼ are against Initial only.`,
    });
  }

  const runs: (FineTuneRunResult & { task: number })[] = [];
  for (const spec of specs) {
    const baseline =
      spec.baselineId === undefined ? undefined : runs.find((r) => r.series.id === spec.baselineId);
    runs.push({
      task: spec.task,
      ...(await fineTuneRun(spec, test, initial, outDir, settings, baseline)),
    });
  }
  return {
    runs,
    mining,
    initialSeconds,
    steps: { triplet: tripletSteps, contrastive: contrastiveSteps },
    settings: {
      tasks: options.tasks,
      outDir: options.outDir,
      settings: options.settings,
      triplet: options.triplet,
      scale: options.scale,
      stepScale: options.stepScale,
      hard: options.hard,
      ...(options.remineEvery === undefined ? {} : { remineEvery: options.remineEvery }),
      trainPairs: options.train.length,
    },
  };
}

/** `{ [key]: value }`, or `{}` when value is undefined (exact optional properties). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
