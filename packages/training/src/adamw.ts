import * as tf from '@tensorflow/tfjs-core';
import { GradientError, TrainingOptionError } from './errors.js';
import { excludeBiasAndLayerNorm } from './exclude-bias-and-layer-norm.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';

/** A tensor with a name, as TF.js optimisers take and return them (tfjs-core does not export the type). */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

/** Options of {@link AdamW}. */
export interface AdamWOptions {
  /** A fixed learning rate ≥ 0, or a {@link LearningRateSchedule} called with the step count. */
  readonly learningRate: number | LearningRateSchedule;
  /** β₁ in [0, 1). Default 0.9. */
  readonly beta1?: number;
  /** β₂ in [0, 1). Default 0.999. */
  readonly beta2?: number;
  /** ε > 0 added to √v̂. Default 1e-8 (PyTorch's; tfjs's Adam uses 1e-7). */
  readonly epsilon?: number;
  /** λ ≥ 0, the decoupled weight decay. Default 0.01 (PyTorch's `AdamW`; Hugging Face's trainer uses 0). */
  readonly weightDecay?: number;
  /**
   * Returns true for variable names that get no weight decay. Default
   * {@link excludeBiasAndLayerNorm} (biases and LayerNorm parameters).
   */
  readonly excludeFromWeightDecay?: (name: string) => boolean;
}

interface Moments {
  readonly m: tf.Variable;
  readonly v: tf.Variable;
  /** Steps this variable has been updated (PyTorch keeps one count per parameter). */
  step: number;
}

const WHERE = 'AdamW';

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter 2019), step for step as PyTorch's
 * `torch.optim.AdamW`. For each variable w with gradient g, at its step t (counted from 1):
 *
 * m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ)
 * w ← w − lr · (m̂ / (√v̂ + ε) + λ·w)
 *
 * (decay uses w before the step; λ = 0 for names `excludeFromWeightDecay` accepts). Unlike
 * L2-regularised Adam the decay is not divided by √v̂. The learning rate of step k (k = optimiser
 * steps already taken) is `learningRate(k)` when a schedule is given.
 *
 * A TF.js `Optimizer`: `minimize(f)` works, and so does `applyGradients` on the output of
 * `tf.variableGrads` (clip in between with {@link clipByGlobalNorm}). Variables are found by name
 * in the engine, so give model variables unique, stable names (the checkpoint's tensor names).
 * Each variable's update runs in its own `tidy`; the moment variables live until `dispose()`. `getWeights()` /
 * `setWeights()` save and restore the full state (iterations, per-variable m, v, step) to resume.
 *
 * @throws {@link TrainingOptionError} from the constructor for an out-of-range option, and from
 *   `applyGradients` when a schedule returns a negative or non-finite learning rate.
 * @throws {@link GradientError} from `applyGradients` for an unknown variable name or a gradient
 *   whose shape/dtype differs from its variable's.
 *
 * @example
 * ```ts
 * const w = tf.variable(tf.tensor1d([1, -1]), true, 'dense.weight');
 * const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.01 });
 * opt.applyGradients({ 'dense.weight': tf.tensor1d([0.5, -2]) });
 * w.print(); // Tensor [0.899, -0.899]  (each moves by lr·sign(g) at step 1, plus lr·λ·w)
 * opt.dispose();
 * ```
 */
export class AdamW extends tf.Optimizer {
  /** The class name TF.js serialization uses. */
  static get className(): string {
    return 'AdamW';
  }

  private readonly learningRate: number | LearningRateSchedule;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private readonly excludeFromWeightDecay: (name: string) => boolean;
  private readonly moments = new Map<string, Moments>();

  constructor(options: AdamWOptions) {
    super();
    const { learningRate } = options;
    if (typeof learningRate === 'number' && (!Number.isFinite(learningRate) || learningRate < 0)) {
      throw new TrainingOptionError(
        WHERE,
        'learningRate',
        learningRate,
        'a finite number ≥ 0 or a schedule function',
      );
    }
    if (typeof learningRate !== 'number' && typeof learningRate !== 'function') {
      throw new TrainingOptionError(
        WHERE,
        'learningRate',
        learningRate,
        'a finite number ≥ 0 or a schedule function',
      );
    }
    this.learningRate = learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.excludeFromWeightDecay = options.excludeFromWeightDecay ?? excludeBiasAndLayerNorm;
    for (const [option, value] of [
      ['beta1', this.beta1],
      ['beta2', this.beta2],
    ] as const) {
      if (!(value >= 0 && value < 1))
        throw new TrainingOptionError(WHERE, option, value, 'a number in [0, 1)');
    }
    if (!(Number.isFinite(this.epsilon) && this.epsilon > 0)) {
      throw new TrainingOptionError(WHERE, 'epsilon', this.epsilon, 'a finite number > 0');
    }
    if (!(Number.isFinite(this.weightDecay) && this.weightDecay >= 0)) {
      throw new TrainingOptionError(WHERE, 'weightDecay', this.weightDecay, 'a finite number ≥ 0');
    }
  }

  /** The learning rate the next `applyGradients` will use. */
  currentLearningRate(): number {
    const lr =
      typeof this.learningRate === 'number'
        ? this.learningRate
        : this.learningRate(this.iterations);
    if (!Number.isFinite(lr) || lr < 0) {
      throw new TrainingOptionError(
        WHERE,
        'learningRate',
        lr,
        `a finite number ≥ 0 from the schedule at step ${this.iterations}`,
      );
    }
    return lr;
  }

  /** Whether weight decay applies to the variable `name` (false when λ = 0). */
  decays(name: string): boolean {
    return this.weightDecay > 0 && !this.excludeFromWeightDecay(name);
  }

  /**
   * One optimiser step: updates every named variable from its gradient (null gradients are
   * skipped, as PyTorch skips parameters without `.grad`). The gradients are not disposed.
   */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor | null | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const lr = this.currentLearningRate();
    const registered = tf.engine().registeredVariables;
    const updates: [tf.Variable, tf.Tensor, Moments, string][] = [];
    for (const [name, gradient] of entries) {
      if (gradient === null || gradient === undefined) continue;
      const variable = registered[name];
      if (variable === undefined) {
        throw new GradientError(
          WHERE,
          name,
          'names no registered variable',
          'Pass the gradients by the names of their tf.Variable (as tf.variableGrads returns them).',
        );
      }
      if (
        !tf.util.arraysEqual(gradient.shape, variable.shape) ||
        gradient.dtype !== variable.dtype
      ) {
        throw new GradientError(
          WHERE,
          name,
          `has shape [${gradient.shape.join(', ')}] (${gradient.dtype}), the variable [${variable.shape.join(', ')}] (${variable.dtype})`,
          'Pass the gradient computed for this variable.',
        );
      }
      updates.push([variable, gradient, this.momentsOf(name, variable), name]);
    }
    for (const [w, g, state, name] of updates) {
      // One tidy per variable: the temporaries of a step are several times the model's size if
      // they all live until the last variable is done.
      tf.tidy(() => {
        state.step += 1;
        const stepSize = lr / (1 - this.beta1 ** state.step);
        const biasCorrection2Sqrt = Math.sqrt(1 - this.beta2 ** state.step);
        const m = tf.add(tf.mul(state.m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(state.v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        state.m.assign(m);
        state.v.assign(v);
        // Same order as torch.optim.AdamW: decay w by (1 − lr·λ), then subtract the Adam step.
        const decayed = this.decays(name) ? tf.mul(w, 1 - lr * this.weightDecay) : w;
        const denominator = tf.add(tf.div(tf.sqrt(v), biasCorrection2Sqrt), this.epsilon);
        w.assign(tf.sub(decayed, tf.mul(tf.div(m, denominator), stepSize)));
      });
    }
    this.incrementIterations();
  }

  private momentsOf(name: string, variable: tf.Variable): Moments {
    let state = this.moments.get(name);
    if (state === undefined) {
      state = {
        m: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
        v: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
        step: 0,
      };
      this.moments.set(name, state);
    }
    return state;
  }

  /** Disposes the moment variables (not the model's). */
  override dispose(): void {
    for (const state of this.moments.values()) tf.dispose([state.m, state.v]);
    this.moments.clear();
  }

  /**
   * The optimiser state to checkpoint: `iter` first (as every TF.js optimiser), then for each
   * variable `<name>/m`, `<name>/v` and `<name>/step`. The tensors are the live state: serialise
   * them before the next step (tf.io does); dispose only the `iter` and `/step` scalars.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    const weights: NamedTensor[] = [await this.saveIterations()];
    for (const [name, state] of this.moments) {
      weights.push({ name: `${name}/m`, tensor: state.m });
      weights.push({ name: `${name}/v`, tensor: state.v });
      weights.push({ name: `${name}/step`, tensor: tf.scalar(state.step, 'int32') });
    }
    return weights;
  }

  /** Restores what {@link AdamW.getWeights} returned (the state is copied; the inputs stay the caller's). */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.dispose();
    const byName = new Map(rest.map((w) => [w.name, w.tensor]));
    for (const { name } of rest) {
      if (!name.endsWith('/m')) continue;
      const variableName = name.slice(0, -2);
      const m = byName.get(name);
      const v = byName.get(`${variableName}/v`);
      const step = byName.get(`${variableName}/step`);
      if (m === undefined || v === undefined || step === undefined) {
        throw new GradientError(
          WHERE,
          variableName,
          'has incomplete optimiser state (needs /m, /v and /step)',
          'Pass everything AdamW.getWeights() returned.',
        );
      }
      this.moments.set(variableName, {
        m: tf.variable(m, false),
        v: tf.variable(v, false),
        step: (await step.data())[0] ?? 0,
      });
    }
  }

  /** The numeric hyper-parameters (a schedule function is not serialisable and is left out). */
  getConfig(): tf.serialization.ConfigDict {
    return {
      ...(typeof this.learningRate === 'number' ? { learningRate: this.learningRate } : {}),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
    };
  }
}
