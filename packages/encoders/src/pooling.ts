import { InvalidEncoderOptionError } from './errors.js';

/** How token vectors become one sentence vector. */
export type Pooling = 'mean' | 'cls';

/** The valid {@link Pooling} values (the list error messages print). */
export const POOLINGS: readonly Pooling[] = ['mean', 'cls'];

/** Shape and options for {@link poolEmbeddings}. */
export interface PoolOptions {
  readonly batchSize: number;
  /** Tokens per row (the padded length). */
  readonly length: number;
  /** Width of each token vector. */
  readonly hidden: number;
  /** `mean` (default; E5, sentence-transformers) or `cls` (the first token's vector). */
  readonly pooling?: Pooling;
  /** L2-normalise each sentence vector (default true). */
  readonly normalize?: boolean;
}

/** Same floor as PyTorch `F.normalize` (eps 1e-12), so an all-zero vector stays zero. */
const NORM_EPS = 1e-12;

/**
 * Pool a `[batch, length, hidden]` block of token vectors into `[batch, hidden]` sentence vectors.
 *
 * `mean`: Σₜ mask[t]·h[t] / max(Σₜ mask[t], 1e-9), the masked mean of sentence-transformers
 * and E5 (padding never counts). `cls`: h[0]. With `normalize`, each vector is divided by
 * max(‖v‖₂, 1e-12) as PyTorch's `F.normalize` does. Sums run in float64.
 *
 * Relations: {@link SentenceEncoder.encode} calls this on the ONNX `last_hidden_state`; the
 * trainable TF.js model pools the same way in its own graph.
 *
 * @param hidden - `batch × length × hidden` float32 values, row-major.
 * @param attentionMask - `batch × length` values, 1 for real tokens and 0 for padding.
 * @returns `batch × hidden` float32 values, row-major.
 * @throws {@link InvalidEncoderOptionError} when the array lengths do not match the shape.
 * @example
 * ```ts
 * const h = Float32Array.of(1, 2, 3, 4, 100, 100); // one text, 3 tokens, hidden 2
 * poolEmbeddings(h, Int32Array.of(1, 1, 0), { batchSize: 1, length: 3, hidden: 2, normalize: false });
 * // Float32Array [ 2, 3 ]  (the padded third token is ignored)
 * ```
 */
export function poolEmbeddings(
  hidden: Float32Array,
  attentionMask: ArrayLike<number>,
  options: PoolOptions,
): Float32Array {
  const { batchSize, length, hidden: dim } = options;
  const pooling = options.pooling ?? 'mean';
  const normalize = options.normalize ?? true;
  if (!POOLINGS.includes(pooling))
    throw new InvalidEncoderOptionError(
      'pooling',
      'poolEmbeddings',
      `one of ${POOLINGS.join(', ')}`,
      pooling,
    );
  if (hidden.length !== batchSize * length * dim) {
    throw new InvalidEncoderOptionError(
      'hidden',
      'poolEmbeddings',
      `batchSize × length × hidden = ${batchSize * length * dim} values`,
      hidden.length,
    );
  }
  if (attentionMask.length !== batchSize * length) {
    throw new InvalidEncoderOptionError(
      'attentionMask',
      'poolEmbeddings',
      `batchSize × length = ${batchSize * length} values`,
      attentionMask.length,
    );
  }
  const out = new Float32Array(batchSize * dim);
  const acc = new Float64Array(dim);
  for (let b = 0; b < batchSize; b++) {
    const rowStart = b * length * dim;
    if (pooling === 'cls') {
      for (let d = 0; d < dim; d++) acc[d] = hidden[rowStart + d]!;
    } else {
      acc.fill(0);
      let count = 0;
      for (let t = 0; t < length; t++) {
        const m = attentionMask[b * length + t]!;
        if (m === 0) continue;
        count += m;
        const at = rowStart + t * dim;
        for (let d = 0; d < dim; d++) acc[d]! += m * hidden[at + d]!;
      }
      const denom = Math.max(count, 1e-9);
      for (let d = 0; d < dim; d++) acc[d]! /= denom;
    }
    let scale = 1;
    if (normalize) {
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += acc[d]! * acc[d]!;
      scale = 1 / Math.max(Math.sqrt(sq), NORM_EPS);
    }
    for (let d = 0; d < dim; d++) out[b * dim + d] = acc[d]! * scale;
  }
  return out;
}
