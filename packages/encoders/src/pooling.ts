import { l2NormalizeRows } from '@rtk/retrieval';
import { InvalidEncoderOptionError } from './errors.js';

/**
 * How token vectors become one sentence vector: `mean` over the real tokens, `cls` (the first
 * token's vector) or `max` (element-wise maximum over the real tokens), as sentence-transformers'
 * Pooling module names them (`pooling_mode_mean_tokens`, `_cls_token`, `_max_tokens`).
 */
export type Pooling = 'mean' | 'cls' | 'max';

/** The valid {@link Pooling} values (the list error messages print). */
export const POOLINGS: readonly Pooling[] = ['mean', 'cls', 'max'];

/** Shape and options for {@link poolEmbeddings}. */
export interface PoolOptions {
  readonly batchSize: number;
  /** Tokens per row (the padded length). */
  readonly length: number;
  /** Width of each token vector. */
  readonly hidden: number;
  /** `mean` (default; E5, sentence-transformers), `cls` (the first token's vector) or `max`. */
  readonly pooling?: Pooling;
  /** L2-normalise each sentence vector (default true). */
  readonly normalize?: boolean;
}

/**
 * Pool a `[batch, length, hidden]` block of token vectors into `[batch, hidden]` sentence vectors.
 *
 * `mean`: Σₜ mask[t]·h[t] / max(Σₜ mask[t], 1e-9), the masked mean of sentence-transformers
 * and E5 (padding never counts). `cls`: h[0]. `max`: maxₜ h[t] over the real tokens (zeros for a
 * row without any). With `normalize`, each vector is L2-normalised with `@rtk/retrieval`'s
 * `l2NormalizeRows` (all-zero vectors stay zero, as with PyTorch's `F.normalize`). Sums run in
 * float64.
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
    } else if (pooling === 'max') {
      acc.fill(Number.NEGATIVE_INFINITY);
      let any = false;
      for (let t = 0; t < length; t++) {
        if (attentionMask[b * length + t] === 0) continue;
        any = true;
        const at = rowStart + t * dim;
        for (let d = 0; d < dim; d++) acc[d] = Math.max(acc[d]!, hidden[at + d]!);
      }
      if (!any) acc.fill(0);
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
    for (let d = 0; d < dim; d++) out[b * dim + d] = acc[d]!;
  }
  return normalize ? l2NormalizeRows(out, dim) : out;
}
