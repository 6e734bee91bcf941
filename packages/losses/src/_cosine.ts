// Cosine similarity as PyTorch defines it for the goldens:
// cos(x, y) = x·y / (max(‖x‖, ε) · max(‖y‖, ε)), ε = 1e-8.
import * as tf from '@tensorflow/tfjs-core';
import { matMulNT } from './_matmul-nt.js';
import { rowNorm } from './_norm.js';

/** The ε under which a row's norm is clamped (PyTorch's `cosine_similarity` default). */
export const COSINE_EPS = 1e-8;

/** x_i / max(‖x_i‖, ε) for every row. */
export function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.expandDims(tf.maximum(rowNorm(x), COSINE_EPS), 1));
}

/** cos(x_i, y_i) for paired rows: [B, D], [B, D] → [B]. */
export function rowCosine(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(normalizeRows(x), normalizeRows(y)), -1);
}

/** cos(x_i, y_j) for all pairs: [M, D], [N, D] → [M, N]. */
export function cosineMatrix(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  return matMulNT(normalizeRows(x), normalizeRows(y));
}
