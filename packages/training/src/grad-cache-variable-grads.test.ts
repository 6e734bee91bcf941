import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, caught, maxAbsDiff, useBackend } from '@rtk/test-utils/tfjs';
import { TrainingOptionError } from './errors.js';
import { gradCacheVariableGrads } from './grad-cache-variable-grads.js';

/** An in-batch loss that couples every row of both towers (logsumexp over q·pᵀ minus the diagonal). */
function inBatchLoss([q, p]: readonly tf.Tensor2D[]): tf.Scalar {
  const scores = tf.matMul(q!, tf.transpose(p!));
  const diagonal = tf.sum(tf.mul(scores, tf.eye(q!.shape[0], p!.shape[0])), 1);
  return tf.mean(tf.sub(tf.logSumExp(scores, 1), diagonal));
}

describe.each(BACKENDS)('gradCacheVariableGrads on %s', (backend) => {
  beforeAll(() => useBackend(backend));
  let variables: tf.Variable[] = [];
  afterEach(() => tf.dispose(variables));

  // The reference is plain tf.variableGrads over the whole batch: gradient caching must give the
  // same loss and gradients with a deterministic embedding function, whatever the chunking.
  it.each([
    [
      [2, 2, 2],
      [3, 3],
    ],
    [[6], [1, 5]],
  ])(
    'equals full-batch tf.variableGrads (query chunks %o, passage chunks %o)',
    (queryChunks, passageChunks) => {
      const w = tf.variable(
        tf.randomNormal([5, 4], 0, 0.5, 'float32', 11),
        true,
        `gc-${backend}-w`,
      );
      const b = tf.variable(tf.randomNormal([4], 0, 0.5, 'float32', 12), true, `gc-${backend}-b`);
      variables = [w, b];
      const queries = tf.randomNormal<tf.Rank.R2>([6, 5], 0, 1, 'float32', 13);
      const passages = tf.randomNormal<tf.Rank.R2>([6, 5], 0, 1, 'float32', 14);
      const embed = (x: tf.Tensor2D): tf.Tensor2D =>
        tf.tanh(tf.add<tf.Tensor2D>(tf.matMul(x, w), b));
      const split = (x: tf.Tensor2D, sizes: number[]): tf.Tensor2D[] => tf.split(x, sizes, 0);
      const direct = tf.variableGrads(
        () => inBatchLoss([embed(queries), embed(passages)]),
        variables,
      );
      const towers = [split(queries, queryChunks), split(passages, passageChunks)];
      const before = tf.memory().numTensors;
      const cached = gradCacheVariableGrads({ towers, embed, loss: inBatchLoss, variables });
      // Only the loss and one gradient per variable are left behind.
      expect(tf.memory().numTensors).toBe(before + 1 + variables.length);
      expect(Math.abs(cached.value.dataSync()[0]! - direct.value.dataSync()[0]!)).toBeLessThan(
        1e-6,
      );
      for (const v of variables) {
        expect(
          maxAbsDiff(cached.grads[v.name]!.dataSync(), direct.grads[v.name]!.dataSync()),
        ).toBeLessThan(1e-5);
      }
      tf.dispose([
        queries,
        passages,
        towers,
        direct.value,
        direct.grads,
        cached.value,
        cached.grads,
      ]);
    },
  );

  // TF.js keeps a recorded pass's saved tensors until its backward pass, which a throw skips.
  it.each(['loss', 'embed'] as const)('leaks no tensors when %s throws', (where) => {
    const w = tf.variable(
      tf.randomNormal([5, 4], 0, 0.5, 'float32', 21),
      true,
      `gc-${backend}-t-${where}`,
    );
    variables = [w];
    const towers = [
      tf.split<tf.Tensor2D>(tf.randomNormal<tf.Rank.R2>([4, 5], 0, 1, 'float32', 22), 2, 0),
    ];
    let calls = 0;
    const before = tf.memory().numTensors;
    const e = caught(() =>
      gradCacheVariableGrads<tf.Tensor2D>({
        towers,
        embed: (x) => {
          // The embed failure comes in pass 3 (with gradients), after its tanh was recorded.
          const y = tf.tanh(tf.matMul(x, w)) as tf.Tensor2D;
          if (where === 'embed' && ++calls > 2) throw new Error('embed failed');
          return y;
        },
        loss: ([q]) => {
          const l = tf.sum<tf.Scalar>(tf.square(q!));
          if (where === 'loss') throw new Error('loss failed');
          return l;
        },
        variables,
      }),
    );
    expect(e.message).toBe(`${where} failed`);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(towers);
  });

  it('rejects empty towers', () => {
    const w = tf.variable(tf.zeros([2, 2]), true, `gc-${backend}-empty`);
    variables = [w];
    const e = caught(() =>
      gradCacheVariableGrads<tf.Tensor2D>({
        towers: [[], []],
        embed: (x) => x,
        loss: ([q]) => tf.sum(q!),
        variables,
      }),
    );
    expect(e).toBeInstanceOf(TrainingOptionError);
    expect(e).toMatchObject({ code: 'ERR_TRAINING_OPTION', option: 'towers' });
  });
});
