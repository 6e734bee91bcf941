/**
 * Tasks 4 and 5: fine-tune the zero-shot encoder and evaluate it at the study's step counts.
 *
 * One run per loss: `fineTune` of `@rtk/training` trains for the last step of the grid, writing a
 * checkpoint at every step of it (so an interrupted run resumes from the last one); then every
 * checkpoint, and the starting model as Initial, is exported to ONNX (`exportOnnx` of
 * `@rtk/encoders`) and evaluated through the ONNX Runtime path, the fastest one for weights on
 * disk. Each evaluation is kept (`eval/step-<n>.json`, its TREC run, per-query values), so a
 * rerun reuses it; each checkpoint is compared with Initial by a paired test per metric.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTrainableEncoder, type TrainableEncoder } from '@rtk/bert';
import { evaluationProgress, progressBar } from '@rtk/cli-kit';
import type { RetrievalDataset } from '@rtk/datasets';
import { exportOnnx, loadSentenceEncoder } from '@rtk/encoders';
import {
  compareEvaluations,
  evaluateRetriever,
  type PairedTestName,
  type RetrieverEvaluation,
} from '@rtk/evaluation';
import { writeFileAtomic } from '@rtk/files';
import type { MiningStats } from '@rtk/mining';
import { writeTrecRun } from '@rtk/metrics';
import { DenseRetriever, type TextPrefixes } from '@rtk/retrieval';
import { fineTune, type TrainLoss, type TrainingExample } from '@rtk/training';
import type { SelectBackendOptions } from '@rtk/tfjs';
import {
  HEADLINE,
  type CheckpointEvaluation,
  type FineTuneSeries,
  type VersusInitial,
} from '../report/fine-tune-table.js';
import type { HeadlineMetrics } from '../report/markdown.js';
import type { PublishedCheckpoint } from '../report/study.js';

/** Settings shared by every fine-tuning run of a bench invocation. */
export interface FineTuneSettings {
  /** The starting model: a folder or a hub id with `model.safetensors`. */
  readonly model: string;
  readonly revision?: string;
  readonly prefixes: TextPrefixes;
  readonly batchSize: number;
  readonly learningRate: number;
  /** A ratio of the run below 1, else steps. */
  readonly warmup: number;
  readonly weightDecay: number;
  readonly maxGradNorm: number;
  readonly maxQueryLength: number;
  readonly maxPassageLength: number;
  readonly seed: number;
  readonly dropout: boolean;
  /** Texts per forward pass when evaluating. */
  readonly evalBatchSize: number;
  /** Token limit when evaluating (the encoder's). */
  readonly evalMaxLength: number;
  /** Weights of the evaluation graph: `fp32`, or `q8` (int8 MatMul weights: faster, a little off). */
  readonly evalDtype: 'fp32' | 'q8';
  /** Paired test of each checkpoint against Initial. */
  readonly test: PairedTestName;
  readonly maxP: number;
  /** How the TF.js backend that trains is chosen (`--backend`, `--gpu`). */
  readonly backend?: SelectBackendOptions;
}

/** One run: a loss over examples, evaluated at `steps`. */
export interface FineTuneRunSpec {
  /** `triplet-random`, `contrastive`, `triplet-hard`: folder and file names. */
  readonly id: string;
  readonly title: string;
  readonly loss: TrainLoss;
  /** Evaluation steps; the run trains for the last one. */
  readonly steps: readonly number[];
  readonly examples: readonly TrainingExample[];
  readonly study?: readonly PublishedCheckpoint[];
  /** A run on the same grid to test each checkpoint against (its id), when it ran before. */
  readonly baselineId?: string;
  /** A line printed under the run's table (what it trained on). */
  readonly note?: string;
  /** The mining the examples came from (hard negatives), for the re-mining table's round 0. */
  readonly firstMining?: FirstMining;
  /** Mine the negatives again with the current weights every `everySteps` steps (`--remine-every`). */
  readonly remine?: {
    readonly everySteps: number;
    readonly mine: (
      model: TrainableEncoder,
      step: number,
      round: number,
      current: readonly TrainingExample[],
    ) => Promise<MinedRound>;
  };
}

/** The mining before training: its statistics and how many of the run's examples got a negative. */
export interface FirstMining {
  readonly stats: MiningStats;
  readonly with: number;
  readonly of: number;
}

/** What one re-mining round gives: the examples of the next steps and the mining statistics. */
export interface MinedRound {
  readonly examples: readonly TrainingExample[];
  /** Examples whose negative this round chose (the others kept theirs, or have none). */
  readonly fresh: number;
  readonly stats: MiningStats;
  /** `formatMiningStats` of them. */
  readonly table: string;
}

/** One re-mining round of a run, as the report shows it. */
export interface RemineRound {
  readonly round: number;
  /** The optimiser steps taken when it mined (with those weights). */
  readonly step: number;
  readonly stats: MiningStats;
  readonly table: string;
  /** Examples with at least one negative, of all the round's examples. */
  readonly withNegatives: number;
  /** Examples whose negative this round chose. */
  readonly fresh: number;
  readonly examples: number;
  readonly seconds: number;
}

/** What a run produced, beyond the table's series. */
export interface FineTuneRunResult {
  readonly series: FineTuneSeries;
  /** Checkpoint folders by step. */
  readonly checkpoints: Readonly<Record<number, string>>;
  /** TREC run files by step (0: Initial). */
  readonly runs: Readonly<Record<number, string>>;
  readonly resumedFrom: number;
  readonly seconds: { readonly train: number; readonly evaluate: number };
  /** Mean seconds per optimiser step of this process's steps. */
  readonly secondsPerStep: number | undefined;
  /** The kept evaluations by step (0: Initial), for paired tests against this run. */
  readonly kept: Readonly<Record<number, KeptEvaluation>>;
  /** Re-mining rounds (`remine`), in order; empty without it. */
  readonly remined: readonly RemineRound[];
  readonly firstMining?: FirstMining;
}

/** One kept evaluation: the study metrics and the per-query values behind them. */
export interface KeptEvaluation {
  readonly key: string;
  readonly metrics: HeadlineMetrics;
  readonly means: Readonly<Record<string, number>>;
  /** Per query id, the headline metrics. */
  readonly perQuery: Readonly<Record<string, HeadlineMetrics>>;
  readonly seconds: number;
}

/** The per-query labels of the headline metrics in an evaluation (`hit@k`, full MRR). */
function headline(e: RetrieverEvaluation): {
  metrics: HeadlineMetrics;
  perQuery: Record<string, HeadlineMetrics>;
} {
  const labels: Record<keyof HeadlineMetrics, string> = {
    'Recall@1': 'hit@1',
    'Recall@3': 'hit@3',
    'Recall@10': 'hit@10',
    MRR: e.mrr.label,
  };
  const perQuery: Record<string, HeadlineMetrics> = {};
  for (const [id, row] of e.perQuery) {
    perQuery[id] = {
      'Recall@1': row[labels['Recall@1']]!,
      'Recall@3': row[labels['Recall@3']]!,
      'Recall@10': row[labels['Recall@10']]!,
      MRR: row[labels.MRR]!,
    };
  }
  return {
    metrics: {
      'Recall@1': e.study['Recall@1']!,
      'Recall@3': e.study['Recall@3']!,
      'Recall@10': e.study['Recall@10']!,
      MRR: e.mrr.value,
    },
    perQuery,
  };
}

/** A key naming what an evaluation depends on: the model's weights file, the test set, settings. */
async function evaluationKey(
  modelDir: string,
  test: RetrievalDataset,
  settings: FineTuneSettings,
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(
    await readFile(join(modelDir, 'model.safetensors')).catch(() => Buffer.from(modelDir)),
  );
  hash.update(JSON.stringify([test.name, test.corpus.length, test.queries.length]));
  for (const d of test.corpus) hash.update(`${d.id}\0${d.text}\0`);
  for (const q of test.queries) hash.update(`${q.id}\0${q.text}\0`);
  hash.update(
    JSON.stringify([
      settings.prefixes,
      settings.evalMaxLength,
      settings.evalDtype,
      settings.revision ?? null,
    ]),
  );
  return hash.digest('hex');
}

/**
 * Evaluate the model in `modelDir` (or a hub id) on `test` through an ONNX export of its weights,
 * keeping the result in `keepDir/step-<step>.json` and its TREC run in `keepDir/step-<step>.trec`;
 * a kept result with the same key is read back instead.
 */
export async function evaluateCheckpoint(
  model: string,
  step: number,
  test: RetrievalDataset,
  keepDir: string,
  settings: FineTuneSettings,
  label: string,
): Promise<KeptEvaluation & { run: string }> {
  await mkdir(keepDir, { recursive: true });
  const file = join(keepDir, `step-${step}.json`);
  const run = join(keepDir, `step-${step}.trec`);
  const key = await evaluationKey(model, test, settings);
  const kept = await readFile(file, 'utf8')
    .then((t) => JSON.parse(t) as KeptEvaluation)
    .catch(() => undefined);
  if (kept?.key === key) return { ...kept, run };

  const started = performance.now();
  const onnxDir = join(keepDir, `.onnx-step-${step}`);
  await rm(onnxDir, { recursive: true, force: true });
  await exportOnnx(model, onnxDir, {
    dtype: settings.evalDtype,
    ...(settings.revision === undefined ? {} : { revision: settings.revision }),
  });
  const encoder = await loadSentenceEncoder({
    model: onnxDir,
    dtype: settings.evalDtype,
    prefixes: settings.prefixes,
    pooling: 'mean',
    normalize: true,
    maxLength: settings.evalMaxLength,
  });
  try {
    const retriever = new DenseRetriever({
      embedder: encoder,
      batchSize: settings.evalBatchSize,
      name: label,
    });
    const bars = evaluationProgress(label);
    let e: RetrieverEvaluation;
    try {
      e = await evaluateRetriever(retriever, test, { k: 100, onProgress: bars.onProgress });
    } finally {
      bars.stop();
    }
    const { metrics, perQuery } = headline(e);
    const result: KeptEvaluation = {
      key,
      metrics,
      means: e.means,
      perQuery,
      seconds: (performance.now() - started) / 1000,
    };
    await writeTrecRun(run, e.run, { tag: e.tag });
    await writeFileAtomic(file, `${JSON.stringify(result)}\n`);
    return { ...result, run };
  } finally {
    await encoder.dispose?.();
    await rm(onnxDir, { recursive: true, force: true });
  }
}

/** The paired test of each headline metric of `checkpoint` against `initial` (or a baseline). */
export function versusInitial(
  initial: KeptEvaluation,
  checkpoint: KeptEvaluation,
  settings: Pick<FineTuneSettings, 'test' | 'maxP'>,
): Partial<Record<keyof HeadlineMetrics, VersusInitial>> {
  const asEvaluation = (k: KeptEvaluation) => ({
    perQuery: new Map<string, Readonly<Record<string, number>>>(
      Object.entries(k.perQuery).map(([id, m]) => [id, { ...m }]),
    ),
  });
  const rows = compareEvaluations(asEvaluation(initial), asEvaluation(checkpoint), {
    test: settings.test,
    maxP: settings.maxP,
    measures: HEADLINE,
  });
  const out: Partial<Record<keyof HeadlineMetrics, VersusInitial>> = {};
  for (const r of rows) {
    out[r.measure as keyof HeadlineMetrics] = { pValue: r.pValue, significant: r.significant };
  }
  return out;
}

/**
 * Train one run (resuming from its folder when it holds checkpoints of the same run) and evaluate
 * Initial and every checkpoint of its grid. `initial` is the kept evaluation of the starting
 * model, shared by the runs of one invocation.
 */
export async function fineTuneRun(
  spec: FineTuneRunSpec,
  test: RetrievalDataset,
  initial: KeptEvaluation & { run: string },
  outDir: string,
  settings: FineTuneSettings,
  baseline?: FineTuneRunResult,
): Promise<FineTuneRunResult> {
  const runDir = join(outDir, spec.id);
  const trainDir = join(runDir, 'train');
  const steps = spec.steps;
  const total = steps.at(-1)!;
  const started = performance.now();
  const model = await loadTrainableEncoder(settings.model, {
    prefixes: settings.prefixes,
    ...(settings.revision === undefined ? {} : { revision: settings.revision }),
    ...(settings.backend === undefined ? {} : { backend: settings.backend }),
  });
  let result;
  const remineDir = join(runDir, 'remine');
  const roundFile = (round: number) => join(remineDir, `round-${round}.json`);
  let bar = progressBar(`${spec.id}: train`, 'steps');
  const remine = spec.remine;
  try {
    result = await fineTune(model, spec.examples, {
      loss: spec.loss,
      learningRate: settings.learningRate,
      batchSize: settings.batchSize,
      steps: total,
      warmup: settings.warmup,
      weightDecay: settings.weightDecay,
      maxGradNorm: settings.maxGradNorm,
      seed: settings.seed,
      dropout: settings.dropout,
      prefixes: settings.prefixes,
      maxQueryLength: settings.maxQueryLength,
      maxPassageLength: settings.maxPassageLength,
      outputDir: trainDir,
      checkpointSteps: steps,
      onResume: (step, from) =>
        process.stderr.write(`${spec.id}: resuming from ${from} (step ${step} of ${total})\n`),
      onStep: (r, n) => bar.update(r.step, n, `loss ${r.loss.toFixed(4)}`),
      ...(remine === undefined
        ? {}
        : {
            refresh: {
              everySteps: remine.everySteps,
              // Each round's statistics are kept beside the run: a resumed run reads the rounds
              // before its checkpoint back (their examples come from the checkpoint itself).
              examples: async (
                m: TrainableEncoder,
                step: number,
                round: number,
                current: readonly TrainingExample[],
              ) => {
                bar.stop();
                const t = performance.now();
                const mined = await remine.mine(m, step, round, current);
                const kept: RemineRound = {
                  round,
                  step,
                  stats: mined.stats,
                  table: mined.table,
                  fresh: mined.fresh,
                  withNegatives: mined.examples.filter((e) => e.negatives.length > 0).length,
                  examples: mined.examples.length,
                  seconds: (performance.now() - t) / 1000,
                };
                await mkdir(remineDir, { recursive: true });
                await writeFileAtomic(roundFile(round), `${JSON.stringify(kept)}\n`);
                bar = progressBar(`${spec.id}: train`, 'steps');
                return mined.examples;
              },
            },
          }),
    });
  } finally {
    bar.stop();
    model.dispose();
  }
  const trainSeconds = (performance.now() - started) / 1000;
  const remined: RemineRound[] = [];
  if (remine !== undefined) {
    for (let round = 1; round * remine.everySteps < total; round++) {
      remined.push(JSON.parse(await readFile(roundFile(round), 'utf8')) as RemineRound);
    }
  }
  const own = result.history.filter((h) => h.step > result.resumedFrom);
  const secondsPerStep =
    own.length === 0 ? undefined : own.reduce((s, h) => s + h.seconds, 0) / own.length;

  const evalStarted = performance.now();
  const checkpoints: Record<number, string> = {};
  const runs: Record<number, string> = { 0: initial.run };
  const evaluations: CheckpointEvaluation[] = [{ step: 0, metrics: initial.metrics }];
  const kept: Record<number, KeptEvaluation> = { 0: initial };
  for (const step of steps) {
    // fineTune writes the last step as the final model, the others as checkpoint-<step>.
    const dir =
      step === total
        ? (result.finalModel ?? join(trainDir, 'final'))
        : join(trainDir, `checkpoint-${step}`);
    checkpoints[step] = dir;
    const e = await evaluateCheckpoint(
      dir,
      step,
      test,
      join(runDir, 'eval'),
      { ...settings, revision: undefined },
      `${spec.id}: step ${step}`,
    );
    runs[step] = e.run;
    kept[step] = e;
    const other = baseline?.kept[step];
    evaluations.push({
      step,
      metrics: e.metrics,
      versusInitial: versusInitial(initial, e, settings),
      ...(other === undefined ? {} : { versusBaseline: versusInitial(other, e, settings) }),
    });
  }
  return {
    series: {
      id: spec.id,
      title: spec.title,
      checkpoints: evaluations,
      ...(spec.study === undefined ? {} : { study: spec.study }),
      ...(baseline === undefined
        ? {}
        : {
            baseline: {
              id: baseline.series.id,
              title: baseline.series.title,
              checkpoints: baseline.series.checkpoints,
            },
          }),
      ...(spec.note === undefined ? {} : { note: spec.note }),
      losses: result.history.map((h) => ({ step: h.step, loss: h.loss })),
      significance: {
        test: settings.test,
        maxP: settings.maxP,
        queries: Object.keys(initial.perQuery).length,
      },
    },
    checkpoints,
    runs,
    resumedFrom: result.resumedFrom,
    seconds: { train: trainSeconds, evaluate: (performance.now() - evalStarted) / 1000 },
    secondsPerStep,
    kept,
    remined,
    ...(spec.firstMining === undefined ? {} : { firstMining: spec.firstMining }),
  };
}

/**
 * A step grid scaled by `factor` (`--step-scale`): each step × factor, rounded, at least 1, and
 * strictly increasing (a collision moves up by one). `factor` 1 returns the grid unchanged.
 */
export function scaleSteps(grid: readonly number[], factor: number): number[] {
  const out: number[] = [];
  for (const s of grid) {
    let v = Math.max(1, Math.round(s * factor));
    if (out.length > 0 && v <= out.at(-1)!) v = out.at(-1)! + 1;
    out.push(v);
  }
  return out;
}
