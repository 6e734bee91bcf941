import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tensorsLeaked } from '@rtk/test-utils/tfjs';
import { encoderLayer, type LayerSpec } from './_layer.js';
import type { LayerWeights } from './_weights.js';
import { maxAbsDiff } from './_test-fixture.js';
import { valueAndGrads, type InputSpec } from './_test-grad-check.js';
import { BACKENDS, useBackend } from './_test-helpers.js';

const H = 8;
const I = 12;
/** Every layer weight with its shape, in `LayerWeights`' key order (the op's input order). */
const SHAPES: Record<keyof LayerWeights, number[]> = {
  qW: [H, H],
  qB: [H],
  kW: [H, H],
  kB: [H],
  vW: [H, H],
  vB: [H],
  attnOutW: [H, H],
  attnOutB: [H],
  attnLnG: [H],
  attnLnB: [H],
  interW: [H, I],
  interB: [I],
  outW: [I, H],
  outB: [H],
  outLnG: [H],
  outLnB: [H],
};
const KEYS = Object.keys(SHAPES) as (keyof LayerWeights)[];

interface Case {
  readonly name: string;
  readonly spec: LayerSpec;
  /** Attention mask, row-major [batch, length]. */
  readonly mask: readonly number[];
}

const base = {
  eps: 1e-12,
  activation: 'gelu',
  hiddenDropout: 0,
  attentionDropout: 0,
  seed: undefined,
} as const;
const CASES: readonly Case[] = [
  {
    name: 'gelu, padding, no dropout',
    spec: { ...base, batch: 2, length: 3, heads: 2 },
    mask: [1, 1, 1, 1, 1, 0],
  },
  {
    name: 'gelu, dropout on every mask',
    spec: {
      ...base,
      batch: 2,
      length: 3,
      heads: 2,
      hiddenDropout: 0.3,
      attentionDropout: 0.2,
      seed: 17,
    },
    mask: [1, 1, 0, 1, 1, 1],
  },
  {
    name: 'relu, one sequence, one head (a single attention product)',
    spec: {
      ...base,
      batch: 1,
      length: 4,
      heads: 1,
      activation: 'relu',
      hiddenDropout: 0.1,
      seed: 3,
    },
    mask: [1, 1, 1, 0],
  },
];

/** The same layer in plain TF.js ops (tf.dropout with the layer's seeds), for autodiff. */
function plainLayer(
  x: tf.Tensor2D,
  bias: tf.Tensor4D,
  w: LayerWeights,
  spec: LayerSpec,
): tf.Tensor {
  const { batch: b, length: t, heads, eps, seed } = spec;
  const d = H / heads;
  const drop = (y: tf.Tensor, rate: number, k: number): tf.Tensor =>
    seed === undefined || rate === 0 ? y : tf.dropout(y, rate, undefined, seed + k);
  const ln = (y: tf.Tensor, g: tf.Tensor, bb: tf.Tensor): tf.Tensor => {
    const { mean, variance } = tf.moments(y, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, eps))), g), bb);
  };
  const heads4 = (y: tf.Tensor): tf.Tensor =>
    tf.transpose(tf.reshape(y, [b, t, heads, d]), [0, 2, 1, 3]);
  const q = heads4(tf.add(tf.matMul(x, w.qW), w.qB));
  const k = heads4(tf.add(tf.matMul(x, w.kW), w.kB));
  const v = heads4(tf.add(tf.matMul(x, w.vW), w.vB));
  const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(d)), bias);
  const probs = drop(tf.softmax(scores), spec.attentionDropout, 3);
  const context = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [b * t, H]);
  const attn = drop(
    tf.add(tf.matMul(context as tf.Tensor2D, w.attnOutW), w.attnOutB),
    spec.hiddenDropout,
    1,
  );
  const x1 = ln(tf.add(x, attn), w.attnLnG, w.attnLnB);
  const inter = tf.add(tf.matMul(x1 as tf.Tensor2D, w.interW), w.interB);
  const act =
    spec.activation === 'gelu'
      ? tf.mul(tf.mul(inter, 0.5), tf.add(1, tf.erf(tf.div(inter, Math.SQRT2))))
      : tf.relu(inter);
  const out = drop(tf.add(tf.matMul(act as tf.Tensor2D, w.outW), w.outB), spec.hiddenDropout, 2);
  return ln(tf.add(x1, out), w.outLnG, w.outLnB);
}

const inputs = (c: Case): InputSpec[] => [
  { shape: [c.spec.batch * c.spec.length, H], seed: 1, scale: 2 },
  ...KEYS.map((key, i) => ({
    shape: SHAPES[key],
    seed: 100 + i,
    scale: key.endsWith('G') ? 1.5 : 0.6,
  })),
];

/** `fn(x, bias, weights)` as a function of the tensors [x, ...weights in KEYS order]. */
function asOp(
  c: Case,
  fn: (x: tf.Tensor2D, bias: tf.Tensor4D, w: LayerWeights) => tf.Tensor,
): (...xs: tf.Tensor[]) => tf.Tensor {
  return (x, ...ws) => {
    const w = Object.fromEntries(KEYS.map((key, i) => [key, ws[i]])) as unknown as LayerWeights;
    const bias = tf.tidy(() =>
      tf.reshape<tf.Rank.R4>(tf.mul(tf.sub(1, tf.tensor1d([...c.mask])), -1e4), [
        c.spec.batch,
        1,
        1,
        c.spec.length,
      ]),
    );
    const y = fn(x as tf.Tensor2D, bias, w);
    bias.dispose();
    return y;
  };
}

describe.each(BACKENDS)('encoderLayer on %s', (backend) => {
  it.each(CASES.flatMap((c) => [false, true].map((checkpoint) => ({ ...c, checkpoint }))))(
    '$name (checkpoint $checkpoint): value and all 17 gradients equal autodiff of plain ops (cpu)',
    async (c) => {
      await useBackend('cpu');
      const expected = valueAndGrads(
        asOp(c, (x, bias, w) => plainLayer(x, bias, w, c.spec)),
        inputs(c),
      );
      await useBackend(backend);
      const ours = asOp(c, (x, bias, w) => encoderLayer(x, bias, w, c.spec, c.checkpoint));
      const got = valueAndGrads(ours, inputs(c));
      // Counted outside any tidy: a tensor the forward or backward pass leaves behind shows.
      expect(tensorsLeaked(() => valueAndGrads(ours, inputs(c)), 2)).toBe(0);
      expect(maxAbsDiff(got.value, expected.value)).toBeLessThan(1e-5);
      expect(got.grads).toHaveLength(17);
      // Every gradient within 1e-4; the failure lists the tensors that are not.
      const off = got.grads
        .map((g, i) => ({
          tensor: i === 0 ? 'x' : KEYS[i - 1],
          diff: maxAbsDiff(g, expected.grads[i]!),
        }))
        .filter(({ diff }) => !(diff < 1e-4));
      expect(off).toEqual([]);
    },
  );
});
