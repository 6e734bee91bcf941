import * as tf from '@tensorflow/tfjs-core';
import { TrainingOptionError } from './errors.js';
import { guardedValueAndGrads, guardedVariableGrads } from './_guarded-grads.js';

/** Options of {@link gradCacheVariableGrads}. */
export interface GradCacheOptions<C> {
  /**
   * The inputs of each tower (e.g. `[queryChunks, passageChunks]`), each split into mini-batches
   * small enough to back-propagate through at once. A tower's embeddings are its chunks' rows in
   * order.
   */
  readonly towers: readonly (readonly C[])[];
  /**
   * Embeds chunk `index` of tower `tower` → [rows, dim], using the trainable variables. Called
   * twice per chunk (without, then with gradients): pin any randomness to (tower, index), e.g.
   * the encoder's dropout seed, so both calls compute the same function.
   */
  readonly embed: (chunk: C, tower: number, index: number) => tf.Tensor2D;
  /** The loss on every tower's full-batch embeddings (e.g. `([q, p]) => infoNceLoss(q, p)`). */
  readonly loss: (embeddings: readonly tf.Tensor2D[]) => tf.Scalar;
  /** The variables to differentiate. Default: every trainable variable (as tf.variableGrads). */
  readonly variables?: readonly tf.Variable[];
}

/**
 * The loss and its gradients for the variables, as `tf.variableGrads(() => loss(embed all))`
 * would give them, with the memory of one mini-batch: gradient caching (Gao et al. 2021,
 * "Scaling Deep Contrastive Learning Batch Size under Memory Limited Setup"; sentence-transformers'
 * `CachedMultipleNegativesRankingLoss`). In-batch losses need the whole batch's embeddings, so
 * gradient accumulation cannot enlarge their batch; this can:
 *
 * 1. embed every chunk without recording gradients;
 * 2. compute the loss on the cached embeddings E and its gradient G = ∂L/∂E (cheap);
 * 3. for each chunk c, re-embed it with gradients and back-propagate Σ E_c ⊙ G_c, summing the
 *    variable gradients over chunks (∂/∂θ Σ_c ⟨E_c(θ), G_c⟩ = ∂L/∂θ by the chain rule).
 *
 * About one extra forward pass (≈ 1.3× the compute); peak memory is that of one chunk's
 * backward. Exact when `embed` computes the same function in passes 1 and 3: with dropout, pin the
 * masks to (tower, index) — the reference implementation replays the random state for this; with
 * fresh masks in each pass the result is the gradient of a slightly different loss.
 *
 * Relations: feed the result to `clipByGlobalNorm` and {@link AdamW}'s `applyGradients`.
 *
 * @returns `value` (the loss) and `grads` by variable name; the caller disposes both.
 * @throws {@link TrainingOptionError} when a tower is empty or there is no trainable variable.
 *
 * @example
 * ```ts
 * // queryChunks, passageChunks: a batch of 32 pairs as 8 token batches of 4 rows each
 * const { value, grads } = gradCacheVariableGrads({
 *   towers: [queryChunks, passageChunks],
 *   // the same dropout masks in both passes over a chunk: a seed per (step, tower, chunk)
 *   embed: (batch, tower, index) =>
 *     encoder.embedBatch(batch, { training: true, dropoutSeed: step * 1000 + tower * 100 + index }),
 *   loss: ([q, p]) => infoNceLoss(q!, p!, { scale: 20 }),
 *   variables: encoder.trainableVariables(),
 * });
 * optimizer.applyGradients(grads);
 * tf.dispose([value, grads]);
 * ```
 */
export function gradCacheVariableGrads<C>(options: GradCacheOptions<C>): {
  value: tf.Scalar;
  grads: tf.NamedTensorMap;
} {
  const { towers, embed, loss } = options;
  const variables =
    options.variables ?? Object.values(tf.engine().registeredVariables).filter((v) => v.trainable);
  if (towers.length === 0 || towers.some((t) => t.length === 0)) {
    throw new TrainingOptionError(
      'gradCacheVariableGrads',
      'towers',
      `[${towers.map((t) => t.length).join(', ')}] chunks`,
      'at least one tower, each with at least one chunk',
    );
  }
  if (variables.length === 0) {
    throw new TrainingOptionError(
      'gradCacheVariableGrads',
      'variables',
      '[]',
      'at least one trainable variable',
    );
  }
  // 1. Cached embeddings, no tape: nothing of the forward passes is kept.
  const cached: tf.Tensor2D[] = [];
  try {
    towers.forEach((chunks, t) =>
      cached.push(
        tf.tidy(() =>
          tf.concat(
            chunks.map((c, i) => embed(c, t, i)),
            0,
          ),
        ),
      ),
    );
  } catch (error) {
    tf.dispose(cached);
    throw error;
  }
  let value: tf.Scalar | undefined;
  let embeddingGrads: tf.Tensor[] = [];
  try {
    // 2. Loss and ∂L/∂E on the cached embeddings.
    const out = guardedValueAndGrads((...e: tf.Tensor[]) => loss(e as tf.Tensor2D[]), cached);
    value = out.value;
    embeddingGrads = out.grads;
  } finally {
    tf.dispose(cached);
  }
  // 3. Per chunk: re-embed with gradients, back-propagate the cached embedding gradient.
  const total: tf.NamedTensorMap = {};
  try {
    towers.forEach((chunks, t) => {
      let row = 0;
      chunks.forEach((chunk, index) => {
        const start = row;
        const { value: dot, grads } = guardedVariableGrads(() => {
          const e = embed(chunk, t, index);
          const rows = e.shape[0];
          row = start + rows;
          const g = tf.slice(embeddingGrads[t]!, [start, 0], [rows, e.shape[1]]);
          return tf.sum<tf.Scalar>(tf.mul(e, g));
        }, variables);
        dot.dispose();
        for (const [name, g] of Object.entries(grads)) {
          const previous = total[name];
          if (previous === undefined) {
            total[name] = g;
          } else {
            total[name] = tf.add(previous, g);
            tf.dispose([previous, g]);
          }
        }
      });
    });
  } catch (error) {
    tf.dispose([value ?? [], total]);
    throw error;
  } finally {
    tf.dispose(embeddingGrads);
  }
  return { value, grads: total };
}
