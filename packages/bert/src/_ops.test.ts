import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from './_test-fixture.js';
import { batchMatMul, embeddingLookup, gelu, layerNorm, linear } from './_ops.js';
import { BACKENDS, useBackend } from './_test-helpers.js';

/** Deterministic pseudo-random values in [-1, 1) (a fixed LCG, no global RNG state). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

interface Case {
  readonly name: string;
  /** Input tensors (as plain data) of the op. */
  readonly inputs: readonly { readonly shape: number[]; readonly seed: number }[];
  /** Our custom-gradient op. */
  readonly ours: (...xs: tf.Tensor[]) => tf.Tensor;
  /** The same function from tfjs built-ins, differentiated by tfjs autodiff (run on cpu). */
  readonly reference: (...xs: tf.Tensor[]) => tf.Tensor;
}

const ids = [3, 0, 3, 5, 1, 3];
const eps = 1e-5;
const CASES: readonly Case[] = [
  {
    name: 'linear',
    inputs: [
      { shape: [5, 4], seed: 1 },
      { shape: [4, 3], seed: 2 },
      { shape: [3], seed: 3 },
    ],
    ours: (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
    reference: (x, w, b) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
  },
  {
    // On wasm: one product per slice (the sliced XNNPACK kernel), odd sizes.
    name: 'batchMatMul (rank 3)',
    inputs: [
      { shape: [5, 7, 3], seed: 11 },
      { shape: [5, 3, 6], seed: 12 },
    ],
    ours: (a, b) => batchMatMul(a as tf.Tensor3D, b as tf.Tensor3D),
    reference: (a, b) => tf.matMul(a, b),
  },
  {
    // A single product: wasm's own BatchMatMul (already XNNPACK) rather than the sliced kernel.
    name: 'batchMatMul (batch 1)',
    inputs: [
      { shape: [1, 1, 4, 5], seed: 13 },
      { shape: [1, 1, 5, 3], seed: 14 },
    ],
    ours: (a, b) => batchMatMul(a as tf.Tensor4D, b as tf.Tensor4D),
    reference: (a, b) => tf.matMul(a, b),
  },
  {
    name: 'batchMatMul (rank 4)',
    inputs: [
      { shape: [2, 3, 4, 5], seed: 4 },
      { shape: [2, 3, 5, 2], seed: 5 },
    ],
    ours: (a, b) => batchMatMul(a as tf.Tensor4D, b as tf.Tensor4D),
    reference: (a, b) => tf.matMul(a, b),
  },
  {
    // Repeated ids: their gradient rows must add up.
    name: 'embeddingLookup',
    inputs: [{ shape: [7, 4], seed: 6 }],
    ours: (t) => embeddingLookup(t as tf.Tensor2D, tf.tensor1d(ids, 'int32')),
    reference: (t) => tf.gather(t, tf.tensor1d(ids, 'int32')),
  },
  {
    name: 'layerNorm',
    inputs: [
      { shape: [6, 8], seed: 7 },
      { shape: [8], seed: 8 },
      { shape: [8], seed: 9 },
    ],
    ours: (x, g, b) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, eps),
    reference: (x, g, b) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), g), b);
    },
  },
  {
    name: 'gelu (exact erf)',
    inputs: [{ shape: [4, 6], seed: 10 }],
    ours: (x) => gelu(tf.mul(x, 3)),
    reference: (x) => {
      const y = tf.mul(x, 3);
      return tf.mul(tf.mul(y, 0.5), tf.add(1, tf.erf(tf.div(y, Math.SQRT2))));
    },
  },
];

/** Value and gradients of sum(op(xs) · upstream) w.r.t. every input, as plain arrays. */
function valueAndGrads(
  op: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: Case['inputs'],
): { value: Float32Array; grads: Float32Array[] } {
  return tf.tidy(() => {
    const xs = inputs.map((i) =>
      tf.tensor(
        values(
          i.shape.reduce((a, b) => a * b, 1),
          i.seed,
        ),
        i.shape,
      ),
    );
    const value = op(...xs);
    const upstream = tf.tensor(values(value.size, 99), value.shape);
    const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(op(...args), upstream)))(xs);
    return {
      value: value.dataSync() as Float32Array,
      grads: grads.map((g) => g.dataSync() as Float32Array),
    };
  });
}

describe.each(BACKENDS)('custom-gradient ops on %s', (backend) => {
  it.each(CASES)(
    '$name: value and gradients equal tfjs autodiff of the plain formula (cpu)',
    async (c) => {
      await useBackend('cpu');
      const expected = valueAndGrads(c.reference, c.inputs);
      await useBackend(backend);
      const before = tf.memory().numTensors;
      const got = valueAndGrads(c.ours, c.inputs);
      expect(tf.memory().numTensors).toBe(before);
      expect(maxAbsDiff(got.value, expected.value)).toBeLessThan(1e-5);
      got.grads.forEach((g, i) => expect(maxAbsDiff(g, expected.grads[i]!)).toBeLessThan(1e-4));
    },
  );
});
