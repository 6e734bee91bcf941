import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from './_test-fixture.js';
import { embeddingLookup, layerNorm } from './_ops.js';
import { valueAndGrads, type InputSpec } from './_test-grad-check.js';
import { BACKENDS, useBackend } from './_test-helpers.js';
import { tensorsLeaked } from '@rtk/test-utils/tfjs';

interface Case {
  readonly name: string;
  /** Input tensors (as plain data) of the op. */
  readonly inputs: readonly InputSpec[];
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
];

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
