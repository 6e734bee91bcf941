import * as tf from '@tensorflow/tfjs-core';
import type { TokenBatch, TrainableEncoder } from '@rtk/bert';
import { AdamW } from './adamw.js';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import { NonFiniteError, TrainingBatchError, TrainingOptionError } from './errors.js';
import { gradCacheVariableGrads } from './grad-cache-variable-grads.js';
import { constantLearningRate, linearWarmupDecay } from './learning-rate-schedule.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import type { TrainLoss } from './train-loss.js';
import { DropoutSeeds } from './_dropout-seeds.js';
import { globalNorm } from './_global-norm.js';
import { guardedVariableGrads } from './_guarded-grads.js';
import { splitTokenBatch } from './_split-token-batch.js';
import { checkTowersForLoss, towerLoss, validateTrainLoss } from './_tower-loss.js';

/**
 * What a training step needs of the model: the trainable TF.js BERT of `@rtk/bert`
 * (its config for the number of layers, `embedBatch` for differentiable embeddings, and the
 * variables to update).
 */
export type TrainStepModel = Pick<TrainableEncoder, 'config' | 'embedBatch' | 'trainableVariables'>;

/** The learning-rate schedules of a step, by name; the constant validates the option. */
export const TRAIN_SCHEDULES: readonly ['constant', 'linear'] = ['constant', 'linear'];

/**
 * The learning rate over the run: `constant` (after an optional linear warmup; Hugging Face's
 * `constant_with_warmup`) or `linear` (warmup, then linear decay to 0 at `totalSteps`; Hugging
 * Face's `linear`, the sentence-transformers default). See `constantLearningRate` and
 * `linearWarmupDecay`.
 */
export type TrainSchedule =
  | { readonly name: 'constant'; readonly warmupSteps?: number }
  | { readonly name: 'linear'; readonly warmupSteps?: number; readonly totalSteps: number };

/** Options of {@link createTrainStep}. */
export interface TrainStepOptions {
  /** The loss, by name, with its options (see {@link TrainLoss}). */
  readonly loss: TrainLoss;
  /** The peak learning rate, a finite number ≥ 0 (> 0 with the `linear` schedule). */
  readonly learningRate: number;
  /** How the learning rate moves over the steps. Default `{ name: 'constant' }` (no warmup). */
  readonly schedule?: TrainSchedule;
  /** AdamW's decoupled weight decay λ ≥ 0. Default 0.01 (PyTorch's `AdamW`). */
  readonly weightDecay?: number;
  /**
   * True for variable names that get no weight decay. Default `excludeBiasAndLayerNorm`
   * (biases and LayerNorm weights, as Hugging Face's trainer groups them).
   */
  readonly excludeFromWeightDecay?: (name: string) => boolean;
  /** AdamW's β₁, β₂ and ε. Defaults 0.9, 0.999, 1e-8 (PyTorch's). */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /**
   * Global-norm clipping: the largest joint L2 norm of the gradients, > 0. Default 1.0 (the
   * Hugging Face trainer's `max_grad_norm`); `null` turns clipping off (the norm is still
   * computed and reported).
   */
  readonly maxGradNorm?: number | null;
  /**
   * Gradient caching: rows per mini-batch, an integer ≥ 1. Each tower is embedded in chunks of
   * this many rows without gradients, the loss is taken on the whole batch, and each chunk is
   * re-embedded with gradients: the full batch's gradients with one chunk's activation memory, for
   * about one extra forward pass. Default: off (one forward and backward over the whole batch).
   */
  readonly gradCache?: number;
  /**
   * Gradient checkpointing in the encoder (each layer recomputed in the backward pass). Default:
   * the encoder's (on the wasm backend, on only when a pass's activations would not fit; off
   * elsewhere). Needs `dropout` on: the encoder checkpoints in training mode only.
   */
  readonly checkpoint?: boolean;
  /**
   * Dropout in the forward passes (the config's probabilities). Default true. Off, the towers are
   * embedded in inference mode: a deterministic step (what PyTorch references replay).
   */
  readonly dropout?: boolean;
  /**
   * Seed of the dropout masks, an integer in [0, 2³¹). Default 0. A run with the same seed, batches
   * and options draws the same masks; both gradient-caching passes over a chunk draw the same
   * ones, so gradient caching stays exact with dropout on.
   */
  readonly seed?: number;
}

/**
 * One training batch, as token ids (`encoder.tokenize(texts, role, maxLength)` makes them): B
 * queries, their B positive passages, and per loss hard negatives or labels.
 */
export interface TrainBatch {
  /** B queries (tower 0). */
  readonly queries: TokenBatch;
  /** B passages; row i is the positive of query i (tower 1). */
  readonly passages: TokenBatch;
  /**
   * Negatives towers. Triplet: exactly one, of B rows (row i is the negative of query i).
   * InfoNCE: any number, each of any number of rows ≥ 1: every row is an extra candidate of every
   * query (sentence-transformers' `MultipleNegativesRankingLoss` with negative columns), so a batch
   * where only some queries have negatives passes the ones it has (`fineTune` puts the k-th
   * negative of each query that has one in tower k). Contrastive: none.
   */
  readonly negatives?: readonly TokenBatch[];
  /** Contrastive only: B labels, 1 when (query i, passage i) is a relevant pair, else 0. */
  readonly labels?: ArrayLike<number>;
}

/** What {@link TrainStep.step} reports. */
export interface TrainStepResult {
  /** The loss on the batch, before the update. */
  readonly loss: number;
  /** The learning rate the update used. */
  readonly lr: number;
  /** The global L2 norm of the gradients before clipping. */
  readonly gradNorm: number;
  /** Optimiser steps taken so far, this one included (1 after the first). */
  readonly step: number;
}

/** A training step bound to one model and its optimiser state; made by {@link createTrainStep}. */
export interface TrainStep {
  /**
   * Forward, loss, backward, clipping and one AdamW update on `batch`. Leaves no tensors behind
   * (the optimiser's moments are created at the first step and live until {@link dispose}).
   */
  step(batch: TrainBatch): TrainStepResult;
  /**
   * Gradient accumulation: one optimiser step over several micro-batches. Each micro-batch is
   * embedded, scored and differentiated on its own (its own in-batch negatives), the gradients
   * are averaged (each weighted 1/n, as Hugging Face's trainer divides the loss by the
   * accumulation steps), then clipped and applied once. The reported loss is the mean of the
   * micro-batch losses. `accumulate([b])` is `step(b)`.
   */
  accumulate(batches: readonly TrainBatch[]): TrainStepResult;
  /**
   * Dropout passes drawn so far (the dropout state; a checkpoint records it and a resumed run
   * sets it back, with the optimiser state, to draw the masks the uninterrupted run draws).
   */
  dropoutPasses: number;
  /** The optimiser, for its state (`getWeights`/`setWeights` to checkpoint and resume). */
  readonly optimizer: AdamW;
  /** Optimiser steps taken so far. */
  readonly stepsTaken: number;
  /** The learning rate the next step will use. */
  nextLearningRate(): number;
  /** Frees the optimiser state (not the model). */
  dispose(): void;
}

const WHERE = 'createTrainStep';
const STEP = 'TrainStep.step';

/**
 * Builds the training step of a bi-encoder: both towers (queries, passages, optional hard
 * negatives) through the same model, the chosen loss, backward, global-norm clipping and AdamW.
 *
 * Per step, with t = steps already taken:
 * 1. embeddings E_k = model.embedBatch(tower k, { training: dropout, checkpoint, dropoutSeed })
 *    for the towers [queries, passages, ...negatives] (with `gradCache`, chunk by chunk, see
 *    `gradCacheVariableGrads`);
 * 2. L = loss(E), and g = ∂L/∂θ for θ = model.trainableVariables() (read at every step, so
 *    `freeze` applies at once);
 * 3. N = √Σ‖g_i‖², g ← g · min(1, maxGradNorm / (N + 1e-6)) (`clipByGlobalNorm`);
 * 4. AdamW at lr = schedule(t): θ ← θ − lr·(m̂/(√v̂ + ε) + λθ), λ = 0 for biases and LayerNorm.
 *
 * This is PyTorch's `loss.backward(); clip_grad_norm_(…); optimizer.step(); scheduler.step()`, and
 * what sentence-transformers' trainer does per batch; with dropout off it is checked against a
 * PyTorch replay (`torch_finetune_reference.py`). Dropout masks come from `seed` and the count of
 * passes so far: a run is reproducible, and the two passes of gradient caching over a chunk match.
 *
 * Relations: the pieces are exported on their own ({@link AdamW}, `clipByGlobalNorm`,
 * `linearWarmupDecay`, `constantLearningRate`, `gradCacheVariableGrads`, the losses of
 * `@rtk/losses`); this composes them once, validated, leak-free.
 *
 * @param model - A `TrainableEncoder` (or anything with its `config`, `embedBatch` and
 *   `trainableVariables`).
 * @throws {@link TrainingOptionError} for an unknown loss name or an option that loss lacks, a
 *   schedule, learning rate, clipping norm, gradient-cache size or seed out of range, or
 *   `checkpoint` without `dropout`.
 * @throws `LossOptionError` (`@rtk/losses`) for a loss option the loss refuses (scale 0, …).
 *
 * @example
 * ```ts
 * // from packages/training (README.md has the whole run)
 * import '@tensorflow/tfjs';
 * import { loadTrainableEncoder } from '@rtk/bert';
 * import { createTrainStep } from '@rtk/training';
 *
 * const encoder = await loadTrainableEncoder('fixtures/tiny-bert', { seed: 0 });
 * const trainer = createTrainStep(encoder, {
 *   loss: { name: 'info-nce', scale: 20 },
 *   learningRate: 5e-3,
 *   schedule: { name: 'linear', warmupSteps: 1, totalSteps: 8 },
 *   gradCache: 2,
 * });
 * const batch = {
 *   queries: encoder.tokenize(['how many people live in the city', 'what is a debian package', …], 'query'),
 *   passages: encoder.tokenize(['the city has a population of two million people', …], 'passage'),
 * };
 * trainer.step(batch); // { loss: 1.2453…, lr: 0, gradNorm: 7.985…, step: 1 }
 * trainer.step(batch); // { loss: 1.1257…, lr: 0.005, gradNorm: 7.102…, step: 2 }
 * trainer.dispose();
 * ```
 */
export function createTrainStep(model: TrainStepModel, options: TrainStepOptions): TrainStep {
  validateTrainLoss(WHERE, options.loss);
  const schedule = scheduleOf(options);
  const maxGradNorm = options.maxGradNorm === undefined ? 1 : options.maxGradNorm;
  if (maxGradNorm !== null && !(Number.isFinite(maxGradNorm) && maxGradNorm > 0)) {
    throw new TrainingOptionError(
      WHERE,
      'maxGradNorm',
      maxGradNorm,
      'a finite number > 0, or null for no clipping',
    );
  }
  const gradCache = options.gradCache;
  if (gradCache !== undefined && !(Number.isInteger(gradCache) && gradCache >= 1)) {
    throw new TrainingOptionError(
      WHERE,
      'gradCache',
      gradCache,
      'an integer ≥ 1 (rows per mini-batch), or undefined for no gradient caching',
    );
  }
  const seed = options.seed ?? 0;
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31)) {
    throw new TrainingOptionError(WHERE, 'seed', seed, 'an integer in [0, 2^31)');
  }
  const dropout = options.dropout ?? true;
  if (!dropout && options.checkpoint === true) {
    throw new TrainingOptionError(
      WHERE,
      'checkpoint',
      true,
      'false or undefined when dropout is false (the encoder checkpoints in training mode only)',
    );
  }
  const optimizer = new AdamW({
    learningRate: schedule,
    weightDecay: options.weightDecay ?? 0.01,
    ...(options.beta1 === undefined ? {} : { beta1: options.beta1 }),
    ...(options.beta2 === undefined ? {} : { beta2: options.beta2 }),
    ...(options.epsilon === undefined ? {} : { epsilon: options.epsilon }),
    ...(options.excludeFromWeightDecay === undefined
      ? {}
      : { excludeFromWeightDecay: options.excludeFromWeightDecay }),
  });
  const seeds = new DropoutSeeds(seed, model.config.numHiddenLayers);
  const { loss } = options;
  const checkpoint = options.checkpoint;

  /** The forward options of this step's pass number `pass` (0 = the first chunk of tower 0). */
  const forward = (
    pass: number,
  ): { training: boolean; checkpoint?: boolean; dropoutSeed?: number } =>
    dropout
      ? {
          training: true,
          ...(checkpoint === undefined ? {} : { checkpoint }),
          dropoutSeed: seeds.seedOf(pass),
        }
      : { training: false };

  /** Loss and gradients of one micro-batch (not yet applied); advances the dropout passes. */
  const gradientsOf = (
    batch: TrainBatch,
    variables: tf.Variable[],
  ): { value: tf.Scalar; grads: tf.NamedTensorMap } => {
    const towers = towersOf(batch, loss.name === 'info-nce');
    checkTowersForLoss(STEP, loss, towers.length - 2, batch.labels, towers[0]!.batchSize);
    const lossOf = (embeddings: readonly tf.Tensor2D[]): tf.Scalar =>
      towerLoss(loss, embeddings, batch.labels);
    // Chunks per tower (InfoNCE's negatives towers may be shorter than the batch); pass (t, c)
    // is numbered after every chunk of the towers before t, which is t·C + c when all have C.
    const chunks = towers.map((t) =>
      gradCache === undefined ? 1 : Math.ceil(t.batchSize / gradCache),
    );
    const firstPass = chunks.map((_, t) => chunks.slice(0, t).reduce((a, b) => a + b, 0));
    const out =
      gradCache === undefined
        ? guardedVariableGrads(
            () => lossOf(towers.map((t, k) => model.embedBatch(t, forward(firstPass[k]!)))),
            variables,
          )
        : gradCacheVariableGrads({
            towers: towers.map((t) => splitTokenBatch(t, gradCache)),
            embed: (chunk, tower, index) =>
              model.embedBatch(chunk, forward(firstPass[tower]! + index)),
            loss: lossOf,
            variables,
          });
    seeds.advance(chunks.reduce((a, b) => a + b, 0));
    return out;
  };

  const accumulate = (batches: readonly TrainBatch[]): TrainStepResult => {
    if (batches.length === 0) {
      throw new TrainingBatchError(
        STEP,
        'batches',
        'is empty',
        'Pass at least one micro-batch to accumulate.',
      );
    }
    const variables = model.trainableVariables();
    if (variables.length === 0) {
      throw new TrainingOptionError(
        STEP,
        'model',
        'a model with no trainable variable',
        'a model with at least one trainable variable (unfreeze some layers)',
      );
    }
    const lr = optimizer.currentLearningRate();
    const passesBefore = seeds.passes;
    let value: tf.Scalar | undefined;
    let grads: tf.NamedTensorMap = {};
    try {
      if (batches.length === 1) {
        ({ value, grads } = gradientsOf(batches[0]!, variables));
      } else {
        const weight = 1 / batches.length;
        for (const batch of batches) {
          const micro = gradientsOf(batch, variables);
          const sum: tf.NamedTensorMap = tf.tidy(() => {
            const next: tf.NamedTensorMap = {};
            for (const [name, g] of Object.entries(micro.grads)) {
              const scaled = tf.mul(g, weight);
              next[name] = grads[name] === undefined ? scaled : tf.add(grads[name], scaled);
            }
            return next;
          });
          const total: tf.Scalar = tf.tidy(() => {
            const scaled = tf.mul<tf.Scalar>(micro.value, weight);
            return value === undefined ? scaled : tf.add<tf.Scalar>(value, scaled);
          });
          tf.dispose([micro.value, micro.grads, value ?? [], grads]);
          grads = sum;
          value = total;
        }
      }
    } catch (error) {
      tf.dispose([value ?? [], grads]);
      seeds.passes = passesBefore;
      throw error;
    }
    let clipped: tf.NamedTensorMap = grads;
    let norm: tf.Scalar | undefined;
    try {
      if (maxGradNorm === null) {
        norm = tf.tidy(() => globalNorm(grads));
      } else {
        const out = clipByGlobalNorm(grads, maxGradNorm);
        clipped = out.gradients;
        norm = out.norm;
      }
      const gradNorm = norm.dataSync()[0]!;
      const lossValue = value!.dataSync()[0]!;
      if (!Number.isFinite(gradNorm) || !Number.isFinite(lossValue)) {
        seeds.passes = passesBefore;
        throw new NonFiniteError(
          STEP,
          optimizer.iterations + 1,
          Number.isFinite(lossValue) ? 'gradient norm' : 'loss',
          Number.isFinite(lossValue) ? gradNorm : lossValue,
        );
      }
      optimizer.applyGradients(clipped);
      return { loss: lossValue, lr, gradNorm, step: optimizer.iterations };
    } finally {
      tf.dispose([value ?? [], grads, norm ?? [], clipped === grads ? [] : clipped]);
    }
  };

  return {
    step: (batch: TrainBatch) => accumulate([batch]),
    accumulate,
    get dropoutPasses(): number {
      return seeds.passes;
    },
    set dropoutPasses(value: number) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new TrainingOptionError(STEP, 'dropoutPasses', value, 'an integer ≥ 0');
      }
      seeds.passes = value;
    },
    optimizer,
    get stepsTaken(): number {
      return optimizer.iterations;
    },
    nextLearningRate: () => optimizer.currentLearningRate(),
    dispose: () => optimizer.dispose(),
  };
}

function scheduleOf(options: TrainStepOptions): LearningRateSchedule {
  const schedule = options.schedule ?? { name: 'constant' };
  const { learningRate } = options;
  switch (schedule.name) {
    case 'constant':
      return constantLearningRate({
        learningRate,
        ...(schedule.warmupSteps === undefined ? {} : { warmupSteps: schedule.warmupSteps }),
      });
    case 'linear':
      return linearWarmupDecay({
        learningRate,
        totalSteps: schedule.totalSteps,
        ...(schedule.warmupSteps === undefined ? {} : { warmupSteps: schedule.warmupSteps }),
      });
    default:
      throw new TrainingOptionError(
        WHERE,
        'schedule.name',
        (schedule as { name?: unknown }).name,
        `one of ${TRAIN_SCHEDULES.join(', ')}`,
      );
  }
}

/**
 * [queries, passages, ...negatives], checked to have the same number of rows (negatives towers of
 * any number of rows ≥ 1 when `anyNegativeRows`: InfoNCE's extra candidates).
 */
function towersOf(batch: TrainBatch, anyNegativeRows: boolean): TokenBatch[] {
  const towers = [batch.queries, batch.passages, ...(batch.negatives ?? [])];
  const fields = [
    'queries',
    'passages',
    ...(batch.negatives ?? []).map((_, k) => `negatives[${k}]`),
  ];
  towers.forEach((t, k) => {
    if (typeof t !== 'object' || t === null || !Number.isInteger(t.batchSize)) {
      throw new TrainingBatchError(
        STEP,
        fields[k]!,
        `is ${t === null ? 'null' : typeof t}, not a token batch`,
        'Pass { inputIds, attentionMask, batchSize, length } (encoder.tokenize makes one).',
      );
    }
  });
  const rows = batch.queries.batchSize;
  towers.forEach((t, k) => {
    if (k >= 2 && anyNegativeRows) {
      if (t.batchSize < 1)
        throw new TrainingBatchError(
          STEP,
          fields[k]!,
          'has no rows',
          'Leave out a negatives tower no query has a negative for.',
        );
      return;
    }
    if (t.batchSize !== rows) {
      throw new TrainingBatchError(
        STEP,
        fields[k]!,
        `has ${t.batchSize} rows, queries have ${rows}`,
        'Give every tower one row per query (row i of each belongs to query i).',
      );
    }
  });
  return towers;
}
