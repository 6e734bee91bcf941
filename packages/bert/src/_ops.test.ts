import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from './_test-fixture.js';
import { batchMatMul, embeddingLookup, gelu, layerNorm, linear } from './_ops.js';
import { BACKENDS, useBackend } from './_test-helpers.js';
import { tensorsLeaked } from '@rtk/test-utils/tfjs';

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
  readonly inputs: readonly {
    readonly shape: number[];
    readonly seed: number;
    /** Multiplies the values in [-1, 1) (default 1). */
    readonly scale?: number;
  }[];
  /** Our custom-gradient op. */
  readonly ours: (...xs: tf.Tensor[]) => tf.Tensor;
  /** The same function from tfjs built-ins, differentiated by tfjs autodiff (run on cpu). */
  readonly reference: (...xs: tf.Tensor[]) => tf.Tensor;
}

const ids = [3, 0, 3, 5, 1, 3];
/** One ids tensor per backend, made on first use, so the ops' calls create no tensor of their own. */
const idsTensors = new Map<string, tf.Tensor1D>();
function idsTensor(): tf.Tensor1D {
  const backend = tf.getBackend();
  let t = idsTensors.get(backend);
  if (t === undefined) {
    t = tf.keep(tf.tensor1d(ids, 'int32'));
    idsTensors.set(backend, t);
  }
  return t;
}
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
    ours: (t) => embeddingLookup(t as tf.Tensor2D, idsTensor()),
    reference: (t) => tf.gather(t, idsTensor()),
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
    inputs: [{ shape: [4, 6], seed: 10, scale: 3 }],
    ours: (x) => gelu(x),
    reference: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
  },
];

/**
 * Value and gradients of sum(op(xs) · upstream) w.r.t. every input, as plain arrays. No
 * `tf.tidy`: every tensor is disposed by hand, so a tensor the op leaves behind stays counted in
 * `tf.memory()` (see the leak check below).
 */
function valueAndGrads(
  op: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: Case['inputs'],
): { value: Float32Array; grads: Float32Array[] } {
  const xs = inputs.map((i) =>
    tf.tensor(
      values(
        i.shape.reduce((a, b) => a * b, 1),
        i.seed,
      ).map((v) => v * (i.scale ?? 1)),
      i.shape,
    ),
  );
  const value = op(...xs);
  const upstream = tf.tensor(values(value.size, 99), value.shape);
  const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(op(...args), upstream)))(xs);
  const out = {
    value: value.dataSync() as Float32Array,
    grads: grads.map((g) => g.dataSync() as Float32Array),
  };
  tf.dispose([...xs, value, upstream, ...grads]);
  return out;
}

describe.each(BACKENDS)('custom-gradient ops on %s', (backend) => {
  it.each(CASES)(
    '$name: value and gradients equal tfjs autodiff of the plain formula (cpu)',
    async (c) => {
      await useBackend('cpu');
      const expected = valueAndGrads(c.reference, c.inputs);
      await useBackend(backend);
      const got = valueAndGrads(c.ours, c.inputs);
      // Counted outside any tidy: a leak in the op (forward or backward) is not hidden.
      expect(tensorsLeaked(() => valueAndGrads(c.ours, c.inputs), 2)).toBe(0);
      expect(maxAbsDiff(got.value, expected.value)).toBeLessThan(1e-5);
      got.grads.forEach((g, i) => expect(maxAbsDiff(g, expected.grads[i]!)).toBeLessThan(1e-4));
    },
  );
});
