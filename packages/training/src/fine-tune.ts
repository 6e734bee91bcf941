import { createHash } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FreezeOptions, TokenBatch, TrainableEncoder } from '@rtk/bert';
import type { RetrievalDataset } from '@rtk/datasets';
import { evaluateRetriever, type RetrieverEvaluation } from '@rtk/evaluation';
import { writeFileAtomic } from '@rtk/files';
import { DenseRetriever, type TextEmbedder, type TextPrefixes } from '@rtk/retrieval';
import { BATCH_SAMPLERS, epochBatches, type BatchSamplerName } from './batch-sampler.js';
import { NonFiniteError, TrainingDataError, TrainingOptionError } from './errors.js';
import { createTrainStep, type TrainBatch, type TrainStep } from './train-step.js';
import type { TrainLoss } from './train-loss.js';
import type { TrainingExample } from './training-examples.js';
import {
  findLatestCheckpoint,
  prepareOutputDir,
  readCheckpoint,
  readCheckpointExamples,
  writeCheckpoint,
  writeFinalModel,
  truncateJsonl,
  type TrainerState,
} from './_checkpoints.js';

/** Evaluation during training: when, on what, through which embedder. */
export interface FineTuneEvaluation {
  /** The test set (corpus, queries, qrels), e.g. `datasetFromPairs(testPairs)`. */
  readonly dataset: RetrievalDataset;
  /** Evaluate before the first step (step 0). Default true. */
  readonly atStart?: boolean;
  /** Evaluate every N optimiser steps. Default: never. */
  readonly everySteps?: number;
  /** Evaluate after these optimiser steps (each in [1, steps]). Default none. */
  readonly atSteps?: readonly number[];
  /** Search depth and measures, as `evaluateRetriever`'s. Default k 100, its default measures. */
  readonly k?: number;
  readonly measures?: readonly string[];
  /**
   * The embedder evaluations run through, given the model with the current weights. Default: the
   * TF.js model itself (`TrainableEncoder` is a `TextEmbedder`). A faster path (an ONNX export of
   * the current weights) plugs in here; it is called at every evaluation, after the weights moved,
   * and is never cached across evaluations; its `dispose()`, if any, is called after the evaluation.
   * Return the same prefixes the run trains with (`createOnnxEmbedder` of `@rtk/bert` does).
   */
  readonly embedder?: (model: TrainableEncoder) => Promise<TextEmbedder>;
  /** Texts per forward pass of the evaluation. Default 32. */
  readonly batchSize?: number;
}

/** One evaluation of a run, as logged and passed to `onEvaluation`. */
export interface FineTuneEvaluationRecord {
  /** Optimiser steps taken when it ran (0: before training). */
  readonly step: number;
  /** Study metrics and the means of every measure, by label. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Seconds the evaluation took. */
  readonly seconds: number;
}

/** One optimiser step, as logged and passed to `onStep`. */
export interface FineTuneStepRecord {
  readonly step: number;
  readonly epoch: number;
  /** Loss before the update (the mean over micro-batches when accumulating). */
  readonly loss: number;
  readonly lr: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Seconds this step took (batch assembly, tokenisation and the step). */
  readonly seconds: number;
}

/** Options of {@link fineTune}. */
export interface FineTuneOptions {
  /** The loss by name with its options (`createTrainStep`'s). */
  readonly loss: TrainLoss;
  /** Peak learning rate. Default 5e-5 (the sentence-transformers trainer's). */
  readonly learningRate?: number;
  /** Examples per batch (per micro-batch with accumulation). Default 8 (the trainer's). */
  readonly batchSize?: number;
  /** Optimiser steps of the run. Default: `epochs` over the data. */
  readonly steps?: number;
  /** Passes over the data when `steps` is not given. Default 3 (the trainer's `num_train_epochs`). */
  readonly epochs?: number;
  /** Warmup: a ratio of the run below 1 (ceil(ratio·steps)), else a number of steps. Default 0. */
  readonly warmup?: number;
  /** `linear` (warmup, then decay to 0; the trainer's) or `constant` (after warmup). Default linear. */
  readonly schedule?: 'linear' | 'constant';
  /** AdamW's decoupled weight decay. Default 0 (the trainer's `weight_decay`). */
  readonly weightDecay?: number;
  /** Global-norm clipping, `null` for none. Default 1 (the trainer's `max_grad_norm`). */
  readonly maxGradNorm?: number | null;
  /** Micro-batches per optimiser step. Default 1. */
  readonly gradientAccumulation?: number;
  /** GradCache mini-batch rows (see `createTrainStep`). Default off. */
  readonly gradCache?: number;
  /** Gradient checkpointing in the encoder. Default: the encoder's. */
  readonly checkpointing?: boolean;
  /** Dropout on (the config's probabilities). Default true. */
  readonly dropout?: boolean;
  /** Seed of shuffling and dropout, an integer in [0, 2³¹). Default 42 (the trainer's). */
  readonly seed?: number;
  /**
   * Hard negatives used per example. Triplet: 1 (the default), and every example needs one.
   * Contrastive: exactly this many per example (default: as many as the example with fewest has).
   * InfoNCE: at most this many per example (default: as many as the example with most has); an
   * example with fewer uses those it has, one with none trains on in-batch negatives alone, and
   * each query is scored against every positive and every negative of its batch
   * (sentence-transformers' `MultipleNegativesRankingLoss` with negative columns).
   */
  readonly negatives?: number;
  /** Batch sampler. Default `no-duplicates` for info-nce (in-batch negatives), else `shuffle`. */
  readonly batchSampler?: BatchSamplerName;
  /** Prefixes added before tokenising. Default: the model's (E5's `query: `/`passage: `). */
  readonly prefixes?: TextPrefixes;
  /** Token limits (special tokens included). Defaults 32 and 128. */
  readonly maxQueryLength?: number;
  readonly maxPassageLength?: number;
  /** Freeze the embeddings and/or the lowest N layers before training. */
  readonly freeze?: FreezeOptions;
  /**
   * Output folder: checkpoints (`checkpoint-<step>/`), the final model (`final/`), the step log
   * (`train-log.jsonl`). A folder holding checkpoints of the same run resumes from the last one;
   * of another run, throws `RunMismatchError`. Without it nothing is written (no resume).
   */
  readonly outputDir?: string;
  /** Checkpoint every N steps. Default: never (only the final model). */
  readonly checkpointEvery?: number;
  /** Checkpoint after these steps too. */
  readonly checkpointSteps?: readonly number[];
  /** Keep only the newest N checkpoints. Default: all. */
  readonly keepLast?: number;
  /** Resume from the last checkpoint of the same run in `outputDir`. Default true. */
  readonly resume?: boolean;
  /** Also write one line per optimiser step with the texts as fed to the tokenizer. */
  readonly logBatches?: string;
  /** Evaluations during the run. */
  readonly evaluation?: FineTuneEvaluation;
  readonly onStep?: (record: FineTuneStepRecord, totalSteps: number) => void;
  readonly onEvaluation?: (record: FineTuneEvaluationRecord) => void;
  /** Called with the step a run resumed from. */
  readonly onResume?: (step: number, checkpoint: string) => void;
  /**
   * Replace the examples during the run, e.g. hard negatives mined again with the current
   * weights. After steps N, 2N, … (below the last), `examples(model, step, round, current)` (round 1, 2, …)
   * gives the examples of the steps that follow, and a new epoch starts over them (unless they
   * equal the ones in use: then the epoch goes on, as without the refresh). Each checkpoint
   * after a refresh records the examples in use (`examples.jsonl`), so a resumed run trains on
   * what the uninterrupted run did without calling `examples` again for rounds before it. Rounds
   * are numbered from the run's start; `everySteps` is part of the run's fingerprint.
   */
  readonly refresh?: FineTuneRefresh;
}

/** How {@link FineTuneOptions.refresh} replaces the examples during a run. */
export interface FineTuneRefresh {
  /** Refresh after every N optimiser steps, N ≥ 1. */
  readonly everySteps: number;
  /**
   * The examples after `step` (checked as the first ones: enough for a batch, negatives), given
   * the model after that step and the examples in use until now (on a resumed run, the ones its
   * checkpoint recorded), e.g. to keep a query's old negative when re-mining finds none.
   */
  readonly examples: (
    model: TrainableEncoder,
    step: number,
    round: number,
    current: readonly TrainingExample[],
  ) => Promise<readonly TrainingExample[]>;
}

/** What {@link fineTune} returns. */
export interface FineTuneResult {
  /** Optimiser steps of the run (all of them, resumed ones included). */
  readonly steps: number;
  /** The step this process started from (0, or the checkpoint's). */
  readonly resumedFrom: number;
  /** Per step, in order, from the start of the run (a resumed run reads earlier ones back). */
  readonly history: readonly FineTuneStepRecord[];
  readonly evaluations: readonly FineTuneEvaluationRecord[];
  /** The final model folder, with `outputDir`. */
  readonly finalModel: string | undefined;
  /** The run's fingerprint (settings, data and starting weights). */
  readonly fingerprint: string;
}

/** The settings fixed before a run starts, after defaults and checks. */
export interface FineTunePlan {
  readonly loss: TrainLoss;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly totalSteps: number;
  readonly warmupSteps: number;
  readonly schedule: 'linear' | 'constant';
  readonly weightDecay: number;
  readonly maxGradNorm: number | null;
  readonly gradientAccumulation: number;
  readonly gradCache: number | undefined;
  readonly checkpointing: boolean | undefined;
  readonly dropout: boolean;
  readonly seed: number;
  readonly negatives: number;
  readonly batchSampler: BatchSamplerName;
  readonly prefixes: TextPrefixes;
  readonly maxQueryLength: number;
  readonly maxPassageLength: number;
  readonly freeze: Required<FreezeOptions>;
  readonly evalSteps: readonly number[];
  readonly checkpointSteps: readonly number[];
  /** Steps after which the examples are refreshed (`refresh`), in order. */
  readonly refreshSteps: readonly number[];
}

const WHERE = 'fineTune';

function integer(
  option: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new TrainingOptionError(
      WHERE,
      option,
      value,
      max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`,
    );
  return value;
}

/** Optimiser steps of `epochs` passes: micro-batches per epoch grouped by the accumulation. */
function stepsOfEpochs(
  examples: readonly TrainingExample[],
  epochs: number,
  plan: { batchSize: number; seed: number; batchSampler: BatchSamplerName; accumulation: number },
  textsOf: (e: TrainingExample) => readonly string[],
): number {
  let steps = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const batches = epochBatches(examples, {
      batchSize: plan.batchSize,
      seed: plan.seed,
      epoch,
      sampler: plan.batchSampler,
      textsOf,
    }).length;
    steps += Math.ceil(batches / plan.accumulation);
  }
  return steps;
}

/**
 * Checks every option against the data and fixes the defaults: what a run will do, before it does
 * anything. `fineTune` calls it first; call it yourself to reject a command line early.
 *
 * @throws {@link TrainingOptionError} for a value out of range, a batch larger than the data,
 *   evaluation or checkpoint steps beyond the run, a warmup as long as the run.
 * @throws {@link TrainingDataError} when an example has fewer negatives than asked for (naming it).
 */
export function planFineTune(
  model: Pick<TrainableEncoder, 'prefixes' | 'config'>,
  examples: readonly TrainingExample[],
  options: FineTuneOptions,
): FineTunePlan {
  if (examples.length === 0) throw new TrainingDataError('fineTune: no training examples');
  const lossName = options.loss?.name;
  if (!['info-nce', 'triplet', 'contrastive'].includes(lossName))
    throw new TrainingOptionError(WHERE, 'loss.name', lossName, 'info-nce, triplet or contrastive');
  const learningRate = options.learningRate ?? 5e-5;
  if (!(Number.isFinite(learningRate) && learningRate > 0))
    throw new TrainingOptionError(WHERE, 'learningRate', learningRate, 'a finite number > 0');
  const batchSize = integer('batchSize', options.batchSize ?? 8, 1);
  if (batchSize > examples.length)
    throw new TrainingOptionError(
      WHERE,
      'batchSize',
      batchSize,
      `at most the number of training examples (${examples.length})`,
    );
  const seed = integer('seed', options.seed ?? 42, 0, 2 ** 31 - 1);
  const gradientAccumulation = integer(
    'gradientAccumulation',
    options.gradientAccumulation ?? 1,
    1,
  );
  const counts = examples.map((e) => e.negatives.length);
  const minNegatives = Math.min(...counts);
  const maxNegatives = Math.max(...counts);
  // InfoNCE takes up to `negatives` per example (mixed batches); the others exactly that many.
  const upTo = lossName === 'info-nce';
  const negatives = integer(
    'negatives',
    options.negatives ?? (lossName === 'triplet' ? 1 : upTo ? maxNegatives : minNegatives),
    0,
  );
  if (lossName === 'triplet' && negatives !== 1)
    throw new TrainingOptionError(WHERE, 'negatives', negatives, '1 for the triplet loss');
  if (upTo && negatives > maxNegatives) {
    throw new TrainingDataError(
      `fineTune: up to ${negatives} negative(s) per example asked for, but no example has more than ${maxNegatives}`,
    );
  }
  if (!upTo && negatives > minNegatives) {
    const i = examples.findIndex((e) => e.negatives.length < negatives);
    throw new TrainingDataError(
      `fineTune: ${negatives} negative(s) per example asked for, but example ${i + 1} (query ${JSON.stringify(examples[i]!.query.slice(0, 60))}) has ${examples[i]!.negatives.length}`,
    );
  }
  const batchSampler =
    options.batchSampler ?? (lossName === 'info-nce' ? 'no-duplicates' : 'shuffle');
  if (!BATCH_SAMPLERS.includes(batchSampler))
    throw new TrainingOptionError(WHERE, 'batchSampler', batchSampler, BATCH_SAMPLERS.join(' or '));
  const prefixes = options.prefixes ?? model.prefixes;
  const textsOf = (e: TrainingExample): string[] => [
    prefixes.query + e.query,
    prefixes.passage + e.positive,
    ...e.negatives.slice(0, negatives).map((n) => prefixes.passage + n),
  ];
  if (options.steps !== undefined && options.epochs !== undefined)
    throw new TrainingOptionError(WHERE, 'epochs', options.epochs, 'undefined when steps is given');
  const totalSteps =
    options.steps !== undefined
      ? integer('steps', options.steps, 1)
      : stepsOfEpochs(
          examples,
          integer('epochs', options.epochs ?? 3, 1),
          { batchSize, seed, batchSampler, accumulation: gradientAccumulation },
          textsOf,
        );
  const warmup = options.warmup ?? 0;
  if (!(Number.isFinite(warmup) && warmup >= 0) || (warmup >= 1 && !Number.isInteger(warmup)))
    throw new TrainingOptionError(
      WHERE,
      'warmup',
      warmup,
      'a ratio in [0, 1) of the run, or an integer number of steps ≥ 1',
    );
  const warmupSteps = warmup < 1 ? Math.ceil(warmup * totalSteps) : warmup;
  const schedule = options.schedule ?? 'linear';
  if (schedule !== 'linear' && schedule !== 'constant')
    throw new TrainingOptionError(WHERE, 'schedule', schedule, 'linear or constant');
  if (schedule === 'linear' && warmupSteps >= totalSteps)
    throw new TrainingOptionError(
      WHERE,
      'warmup',
      warmup,
      `fewer warmup steps than the run's ${totalSteps} (got ${warmupSteps})`,
    );
  const maxLength = model.config.maxPositionEmbeddings;
  const maxQueryLength = integer('maxQueryLength', options.maxQueryLength ?? 32, 3, maxLength);
  const maxPassageLength = integer(
    'maxPassageLength',
    options.maxPassageLength ?? 128,
    3,
    maxLength,
  );
  const stepList = (
    option: string,
    list: readonly number[] | undefined,
    every: number | undefined,
  ) => {
    const steps = new Set<number>();
    for (const s of list ?? []) {
      integer(option, s, 1);
      if (s > totalSteps)
        throw new TrainingOptionError(
          WHERE,
          option,
          s,
          `a step within the run (1 … ${totalSteps})`,
        );
      steps.add(s);
    }
    if (every !== undefined) {
      const n = integer(
        option === 'evaluation.atSteps' ? 'evaluation.everySteps' : 'checkpointEvery',
        every,
        1,
      );
      if (n > totalSteps)
        throw new TrainingOptionError(
          WHERE,
          option === 'evaluation.atSteps' ? 'evaluation.everySteps' : 'checkpointEvery',
          n,
          `at most the run's ${totalSteps} steps`,
        );
      for (let s = n; s <= totalSteps; s += n) steps.add(s);
    }
    return [...steps].sort((a, b) => a - b);
  };
  const evalSteps = options.evaluation
    ? stepList('evaluation.atSteps', options.evaluation.atSteps, options.evaluation.everySteps)
    : [];
  if (options.evaluation === undefined && options.onEvaluation !== undefined)
    throw new TrainingOptionError(WHERE, 'onEvaluation', 'a callback', 'given with evaluation');
  const checkpointSteps = stepList(
    'checkpointSteps',
    options.checkpointSteps,
    options.checkpointEvery,
  );
  if (checkpointSteps.length > 0 && options.outputDir === undefined)
    throw new TrainingOptionError(
      WHERE,
      'outputDir',
      undefined,
      'a folder when checkpoints are asked for',
    );
  if (options.keepLast !== undefined) integer('keepLast', options.keepLast, 1);
  const weightDecay = options.weightDecay ?? 0;
  const maxGradNorm = options.maxGradNorm === undefined ? 1 : options.maxGradNorm;
  const freeze = {
    embeddings: options.freeze?.embeddings === true,
    layers: options.freeze?.layers ?? 0,
  };
  if (options.gradCache !== undefined) integer('gradCache', options.gradCache, 1);
  const refreshSteps: number[] = [];
  if (options.refresh !== undefined) {
    const every = integer('refresh.everySteps', options.refresh.everySteps, 1);
    if (typeof options.refresh.examples !== 'function')
      throw new TrainingOptionError(
        WHERE,
        'refresh.examples',
        options.refresh.examples,
        'a function',
      );
    for (let s = every; s < totalSteps; s += every) refreshSteps.push(s);
  }
  return {
    loss: options.loss,
    learningRate,
    batchSize,
    totalSteps,
    warmupSteps,
    schedule,
    weightDecay,
    maxGradNorm,
    gradientAccumulation,
    gradCache: options.gradCache,
    checkpointing: options.checkpointing,
    dropout: options.dropout ?? true,
    seed,
    negatives,
    batchSampler,
    prefixes,
    maxQueryLength,
    maxPassageLength,
    freeze,
    evalSteps,
    checkpointSteps,
    refreshSteps,
  };
}

function sameExamples(a: readonly TrainingExample[], b: readonly TrainingExample[]): boolean {
  return (
    a.length === b.length &&
    a.every((e, i) => {
      const f = b[i]!;
      return (
        e.query === f.query &&
        e.positive === f.positive &&
        e.negatives.length === f.negatives.length &&
        e.negatives.every((n, k) => n === f.negatives[k])
      );
    })
  );
}

/** Checks refreshed examples as `planFineTune` checks the first ones. */
function checkRefreshed(
  examples: readonly TrainingExample[],
  plan: FineTunePlan,
  step: number,
): void {
  const at = `fineTune: the examples refreshed after step ${step}`;
  if (!Array.isArray(examples) || examples.length < plan.batchSize)
    throw new TrainingDataError(
      `${at} are ${Array.isArray(examples) ? `${examples.length}, fewer than a batch (${plan.batchSize})` : 'not an array'}`,
    );
  const needed = plan.loss.name === 'info-nce' ? 0 : plan.negatives;
  const i = (examples as readonly Partial<TrainingExample>[]).findIndex(
    (e) =>
      typeof e?.query !== 'string' ||
      typeof e.positive !== 'string' ||
      !Array.isArray(e.negatives) ||
      e.negatives.length < needed,
  );
  if (i >= 0)
    throw new TrainingDataError(
      `${at}: example ${i + 1} is not {query, positive, negatives} with at least ${needed} negative(s)`,
    );
}

/** sha256 of what makes two runs the same run: the plan's maths, the data, the starting weights. */
function runFingerprint(plan: FineTunePlan, examples: readonly TrainingExample[], start: string) {
  const { evalSteps: _e, checkpointSteps: _c, ...maths } = plan;
  const data = createHash('sha256');
  for (const e of examples) data.update(JSON.stringify([e.query, e.positive, e.negatives]));
  const parts = { settings: maths, data: data.digest('hex'), model: start };
  return {
    parts,
    fingerprint: createHash('sha256').update(JSON.stringify(parts)).digest('hex'),
  };
}

/** sha256 of the config and every weight, in the model's order (variable names vary by process). */
function startingWeights(model: TrainableEncoder): string {
  const hash = createHash('sha256').update(JSON.stringify(model.config.raw));
  for (const v of model.variables()) {
    const data = v.dataSync();
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex');
}

/** The texts of one micro-batch, as fed to the tokenizer (prefixes added). */
interface BatchTexts {
  readonly queries: string[];
  readonly positives: string[];
  /** Per query, its negatives. */
  readonly negatives: string[][];
  readonly labels?: number[];
}

function batchTexts(
  examples: readonly TrainingExample[],
  indices: readonly number[],
  plan: FineTunePlan,
): BatchTexts {
  const { prefixes } = plan;
  const chosen = indices.map((i) => examples[i]!);
  if (plan.loss.name === 'contrastive') {
    // One (query, positive, 1) row per example and a (query, negative, 0) row per negative.
    const queries: string[] = [];
    const positives: string[] = [];
    const labels: number[] = [];
    for (const e of chosen) {
      queries.push(prefixes.query + e.query);
      positives.push(prefixes.passage + e.positive);
      labels.push(1);
      for (const n of e.negatives.slice(0, plan.negatives)) {
        queries.push(prefixes.query + e.query);
        positives.push(prefixes.passage + n);
        labels.push(0);
      }
    }
    return { queries, positives, negatives: [], labels };
  }
  return {
    queries: chosen.map((e) => prefixes.query + e.query),
    positives: chosen.map((e) => prefixes.passage + e.positive),
    negatives: chosen.map((e) =>
      e.negatives.slice(0, plan.negatives).map((n) => prefixes.passage + n),
    ),
  };
}

function tokenBatch(model: TrainableEncoder, texts: BatchTexts, plan: FineTunePlan): TrainBatch {
  const encode = (t: readonly string[], maxLength: number): TokenBatch =>
    model.tokenizer.encodeBatch(t, { maxLength });
  return {
    queries: encode(texts.queries, plan.maxQueryLength),
    passages: encode(texts.positives, plan.maxPassageLength),
    ...(plan.negatives > 0 && plan.loss.name !== 'contrastive'
      ? {
          negatives: negativeTowers(texts.negatives, plan.negatives).map((t) =>
            encode(t, plan.maxPassageLength),
          ),
        }
      : {}),
    ...(texts.labels === undefined ? {} : { labels: texts.labels }),
  };
}

/**
 * The negatives towers of a batch: tower k holds the k-th negative of every query that has one,
 * in batch order (a tower no query fills is left out). With k negatives per query, tower k is
 * column k of the n-tuples; with fewer for some, InfoNCE scores every query against the ones
 * there are.
 */
export function negativeTowers(perQuery: readonly (readonly string[])[], most: number): string[][] {
  const towers: string[][] = [];
  for (let k = 0; k < most; k++) {
    const tower = perQuery.filter((row) => row.length > k).map((row) => row[k]!);
    if (tower.length > 0) towers.push(tower);
  }
  return towers;
}

async function evaluateNow(
  model: TrainableEncoder,
  evaluation: FineTuneEvaluation,
  step: number,
): Promise<FineTuneEvaluationRecord> {
  const started = performance.now();
  const embedder = evaluation.embedder ? await evaluation.embedder(model) : model;
  let result: RetrieverEvaluation;
  try {
    const retriever = new DenseRetriever({ embedder, batchSize: evaluation.batchSize ?? 32 });
    result = await evaluateRetriever(retriever, evaluation.dataset, {
      ...(evaluation.k === undefined ? {} : { k: evaluation.k }),
      ...(evaluation.measures === undefined ? {} : { measures: evaluation.measures }),
    });
  } finally {
    // An embedder made for this evaluation (an ONNX export of the weights) is released with it.
    if (embedder !== model) {
      const disposable = embedder as { dispose?: () => unknown };
      await disposable.dispose?.();
    }
  }
  const metrics: Record<string, number> = { ...result.study, ...result.means };
  return { step, metrics, seconds: (performance.now() - started) / 1000 };
}

/**
 * Fine-tunes a `TrainableEncoder` on (query, positive[, negatives…]) examples: the training loop
 * of sentence-transformers' trainer, in TF.js.
 *
 * Per epoch e the examples are shuffled with mulberry32(seed + e) and cut into batches
 * ({@link epochBatches}: `no-duplicates` for InfoNCE so no text is its own in-batch negative);
 * each batch's texts get the prefixes, are tokenised (queries to `maxQueryLength`, passages to
 * `maxPassageLength`) and go through `createTrainStep` (loss, backward, clipping, AdamW, the
 * linear or constant schedule with `warmup`), `gradientAccumulation` batches per optimiser step.
 * The run ends after `steps` optimiser steps (epochs repeat as needed) or `epochs` passes.
 *
 * With `outputDir`, it writes `checkpoint-<step>/` folders (the model in the Hugging Face layout,
 * `optimizer.safetensors`, `trainer_state.json`: step, epoch, sampler position, dropout state,
 * history, evaluations, the run's fingerprint), each complete or absent (written aside, then
 * renamed), pruned to `keepLast`; `train-log.jsonl` (one line per step and per evaluation); and
 * `final/`, the model at the end. Started again on the same folder with the same settings and
 * data, it resumes from the last checkpoint and ends with the weights an uninterrupted run ends
 * with, bit for bit on the same backend.
 *
 * Every option is checked against the data first ({@link planFineTune}): nothing is trained or
 * written for a bad setting.
 *
 * @throws {@link TrainingOptionError}, {@link TrainingDataError} before any work.
 * @throws {@link RunMismatchError} when `outputDir` holds another run's checkpoints.
 * @throws {@link NonFiniteError} for a NaN/infinite loss or gradient, naming the step; the
 *   checkpoints written so far stay, nothing half-written is left.
 * @example
 * ```ts
 * const encoder = await loadTrainableEncoder('intfloat/e5-small-v2');
 * const examples = await loadTrainingExamples('triplets.jsonl');
 * const result = await fineTune(encoder, examples, {
 *   loss: { name: 'info-nce', scale: 20 },
 *   batchSize: 32, learningRate: 2e-5, warmup: 0.1, steps: 600,
 *   outputDir: 'runs/e5-nq', checkpointEvery: 150, keepLast: 2,
 * });
 * result.finalModel; // 'runs/e5-nq/final'
 * ```
 */
export async function fineTune(
  model: TrainableEncoder,
  examples: readonly TrainingExample[],
  options: FineTuneOptions,
): Promise<FineTuneResult> {
  const plan = planFineTune(model, examples, options);
  const { fingerprint, parts } = runFingerprint(plan, examples, startingWeights(model));
  const out = options.outputDir;
  const logFile = out === undefined ? undefined : join(out, 'train-log.jsonl');
  if (out !== undefined) await prepareOutputDir(out);

  model.freeze(plan.freeze);
  const trainer: TrainStep = createTrainStep(model, {
    loss: plan.loss,
    learningRate: plan.learningRate,
    schedule:
      plan.schedule === 'linear'
        ? { name: 'linear', warmupSteps: plan.warmupSteps, totalSteps: plan.totalSteps }
        : { name: 'constant', warmupSteps: plan.warmupSteps },
    weightDecay: plan.weightDecay,
    maxGradNorm: plan.maxGradNorm,
    dropout: plan.dropout,
    seed: plan.seed,
    ...(plan.gradCache === undefined ? {} : { gradCache: plan.gradCache }),
    ...(plan.checkpointing === undefined || !plan.dropout
      ? {}
      : { checkpoint: plan.checkpointing }),
  });
  try {
    let state: TrainerState = {
      format: 1,
      fingerprint,
      run: parts,
      step: 0,
      epoch: 0,
      batchInEpoch: 0,
      dropoutPasses: 0,
      totalSteps: plan.totalSteps,
      history: [],
      evaluations: [],
    };
    let resumedFrom = 0;
    // The examples in use: the given ones until the first refresh.
    let current: readonly TrainingExample[] = examples;
    if (out !== undefined && options.resume !== false) {
      const latest = await findLatestCheckpoint(out);
      if (latest !== undefined) {
        state = await readCheckpoint(latest, model, trainer, fingerprint, parts);
        resumedFrom = state.step;
        if ((state.rounds ?? 0) > 0 && state.step < plan.totalSteps)
          current = await readCheckpointExamples(latest);
        options.onResume?.(state.step, latest);
      }
      // The logs keep what the checkpoint had seen: lines of later steps are dropped.
      if (logFile !== undefined) await truncateJsonl(logFile, resumedFrom);
      if (options.logBatches !== undefined) await truncateJsonl(options.logBatches, resumedFrom);
    } else if (options.logBatches !== undefined) {
      await writeFileAtomic(options.logBatches, '');
    }
    if (out !== undefined && resumedFrom === 0 && logFile !== undefined)
      await writeFileAtomic(logFile, '');
    const history = [...state.history];
    const evaluations = [...state.evaluations];
    const log = async (line: object): Promise<void> => {
      if (logFile !== undefined) await appendFile(logFile, `${JSON.stringify(line)}\n`);
    };
    const evaluate = async (step: number): Promise<void> => {
      if (options.evaluation === undefined) return;
      const record = await evaluateNow(model, options.evaluation, step);
      evaluations.push(record);
      await log({ type: 'evaluation', ...record });
      options.onEvaluation?.(record);
    };
    if (
      resumedFrom === 0 &&
      options.evaluation !== undefined &&
      options.evaluation.atStart !== false
    )
      await evaluate(0);

    let { epoch, batchInEpoch } = state;
    let rounds = state.rounds ?? 0;
    const refreshSet = new Set(plan.refreshSteps);
    // The batches of `epoch` over `examples` (the sampler is a function of seed and epoch).
    const batchesOf = (examples: readonly TrainingExample[], e: number) =>
      epochBatches(examples, {
        batchSize: plan.batchSize,
        seed: plan.seed,
        epoch: e,
        sampler: plan.batchSampler,
        ...(plan.batchSampler === 'no-duplicates' ? { textsOf: textsFor(plan) } : {}),
      });
    let batches = batchesOf(current, epoch);
    const evalSet = new Set(plan.evalSteps);
    const checkpointSet = new Set(plan.checkpointSteps);
    for (let step = state.step + 1; step <= plan.totalSteps; step++) {
      const started = performance.now();
      if (batchInEpoch >= batches.length) {
        epoch += 1;
        batchInEpoch = 0;
        batches = batchesOf(current, epoch);
      }
      const group = batches.slice(batchInEpoch, batchInEpoch + plan.gradientAccumulation);
      batchInEpoch += group.length;
      const texts = group.map((indices) => batchTexts(current, indices, plan));
      let result;
      try {
        result = trainer.accumulate(texts.map((t) => tokenBatch(model, t, plan)));
      } catch (error) {
        if (error instanceof NonFiniteError) throw error;
        if ((error as { code?: string }).code === 'ERR_LOSSES_VALUE')
          throw new NonFiniteError(
            WHERE,
            step,
            'loss input (an embedding)',
            NaN,
            `The weights are no longer finite (${(error as Error).message.slice(0, 120)}). Lower the learning rate.`,
          );
        throw error;
      }
      if (options.logBatches !== undefined) {
        for (const t of texts)
          await appendFile(
            options.logBatches,
            `${JSON.stringify({ step, queries: t.queries, positives: t.positives, ...(plan.negatives > 0 && plan.loss.name !== 'contrastive' ? { negatives: t.negatives } : {}), ...(t.labels ? { labels: t.labels } : {}) })}\n`,
          );
      }
      const record: FineTuneStepRecord = {
        step,
        epoch,
        loss: result.loss,
        lr: result.lr,
        gradNorm: result.gradNorm,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      await log({ type: 'step', ...record });
      options.onStep?.(record, plan.totalSteps);
      if (evalSet.has(step)) await evaluate(step);
      if (refreshSet.has(step)) {
        // New examples from the weights after this step; a new epoch starts over them.
        rounds += 1;
        const next = await options.refresh!.examples(model, step, rounds, current);
        checkRefreshed(next, plan, step);
        // The same examples change nothing: the epoch goes on, as without the refresh.
        if (!sameExamples(next, current)) {
          current = next;
          epoch += 1;
          batchInEpoch = 0;
          batches = batchesOf(current, epoch);
        }
      }
      if (out !== undefined && checkpointSet.has(step) && step < plan.totalSteps) {
        await writeCheckpoint(
          out,
          model,
          trainer,
          {
            ...state,
            step,
            epoch,
            batchInEpoch,
            dropoutPasses: trainer.dropoutPasses,
            history,
            evaluations,
            ...(rounds > 0 ? { rounds } : {}),
          },
          options.keepLast,
          rounds > 0 ? current : undefined,
        );
      }
    }
    let finalModel: string | undefined;
    if (out !== undefined) {
      finalModel = await writeFinalModel(out, model, {
        ...state,
        step: plan.totalSteps,
        epoch,
        batchInEpoch,
        dropoutPasses: trainer.dropoutPasses,
        history,
        evaluations,
      });
    }
    return { steps: plan.totalSteps, resumedFrom, history, evaluations, finalModel, fingerprint };
  } finally {
    trainer.dispose();
  }
}

function textsFor(plan: FineTunePlan): (e: TrainingExample) => string[] {
  return (e) => [
    plan.prefixes.query + e.query,
    plan.prefixes.passage + e.positive,
    ...e.negatives.slice(0, plan.negatives).map((n) => plan.prefixes.passage + n),
  ];
}
