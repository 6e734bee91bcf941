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

  it('defaults to the registered trainable variables and leaves frozen ones out', () => {
    const w = tf.variable(
      tf.randomNormal([3, 2], 0, 0.5, 'float32', 31),
      true,
      `gc-${backend}-default-w`,
    );
    const frozen = tf.variable(tf.fill([2], 0.5), false, `gc-${backend}-default-frozen`);
    variables = [w, frozen];
    const x = tf.randomNormal<tf.Rank.R2>([4, 3], 0, 1, 'float32', 32);
    const embed = (c: tf.Tensor2D): tf.Tensor2D => tf.mul<tf.Tensor2D>(tf.matMul(c, w), frozen);
    const loss = ([q]: readonly tf.Tensor2D[]): tf.Scalar => tf.sum<tf.Scalar>(tf.square(q!));
    // The reference: plain tf.variableGrads over the whole batch, for the one trainable variable.
    const direct = tf.variableGrads(() => loss([embed(x)]), [w]);
    const towers = [tf.split<tf.Tensor2D>(x, 2, 0)];
    const cached = gradCacheVariableGrads({ towers, embed, loss });
    expect(Object.keys(cached.grads)).toEqual([w.name]);
    expect(Math.abs(cached.value.dataSync()[0]! - direct.value.dataSync()[0]!)).toBeLessThan(1e-5);
    expect(
      maxAbsDiff(cached.grads[w.name]!.dataSync(), direct.grads[w.name]!.dataSync()),
    ).toBeLessThan(1e-5);
    tf.dispose([x, towers, direct.value, direct.grads, cached.value, cached.grads]);
  });

  it('rejects a default with no trainable variable, in full', () => {
    const frozen = tf.variable(tf.zeros([2, 2]), false, `gc-${backend}-only-frozen`);
    variables = [frozen];
    expect(Object.values(tf.engine().registeredVariables).filter((v) => v.trainable)).toEqual([]);
    const towers = [[tf.ones<tf.Rank.R2>([1, 2])]];
    const e = caught(() =>
      gradCacheVariableGrads<tf.Tensor2D>({
        towers,
        embed: (x) => tf.matMul(x, frozen),
        loss: ([q]) => tf.sum(q!),
      }),
    );
    expect(e).toBeInstanceOf(TrainingOptionError);
    expect(e.message).toBe(
      'gradCacheVariableGrads: option "variables" is [], expected at least one trainable variable.',
    );
    tf.dispose(towers);
  });

  it('rejects an empty variable list, in full', () => {
    const towers = [[tf.ones<tf.Rank.R2>([1, 2])]];
    const e = caught(() =>
      gradCacheVariableGrads<tf.Tensor2D>({
        towers,
        embed: (x) => x,
        loss: ([q]) => tf.sum(q!),
        variables: [],
      }),
    );
    expect(e).toBeInstanceOf(TrainingOptionError);
    expect(e).toMatchObject({ code: 'ERR_TRAINING_OPTION', option: 'variables', value: '[]' });
    expect(e.message).toBe(
      'gradCacheVariableGrads: option "variables" is [], expected at least one trainable variable.',
    );
    tf.dispose(towers);
  });

  it('rejects no towers, or one tower without chunks, naming the chunk counts', () => {
    const w = tf.variable(tf.zeros([2, 2]), true, `gc-${backend}-counts`);
    variables = [w];
    const x = tf.ones<tf.Rank.R2>([1, 2]);
    for (const [towers, counts] of [
      [[], '[]'],
      [[[x], []], '[1, 0]'],
      [[[x, x], [x]], null],
    ] as const) {
      const run = () =>
        gradCacheVariableGrads<tf.Tensor2D>({
          towers,
          embed: (c) => tf.matMul(c, w),
          loss: (e) => tf.addN(e.map((t) => tf.sum<tf.Scalar>(t))),
          variables,
        });
      if (counts === null) {
        // Every tower has a chunk: no error.
        const out = run();
        tf.dispose([out.value, out.grads]);
        continue;
      }
      const e = caught(run);
      expect(e).toBeInstanceOf(TrainingOptionError);
      expect(e).toMatchObject({
        code: 'ERR_TRAINING_OPTION',
        option: 'towers',
        where: 'gradCacheVariableGrads',
      });
      expect(e.message).toBe(
        `gradCacheVariableGrads: option "towers" is ${counts} chunks, expected at least one tower, each with at least one chunk.`,
      );
    }
    x.dispose();
  });

  it('rethrows an embed failure of the first (no-gradient) pass and leaks nothing', () => {
    const w = tf.variable(
      tf.randomNormal([5, 4], 0, 0.5, 'float32', 41),
      true,
      `gc-${backend}-pass1`,
    );
    variables = [w];
    const towers = [
      [tf.randomNormal<tf.Rank.R2>([2, 5], 0, 1, 'float32', 42)],
      [tf.randomNormal<tf.Rank.R2>([2, 5], 0, 1, 'float32', 43)],
    ];
    let calls = 0;
    let lossCalls = 0;
    const before = tf.memory().numTensors;
    const e = caught(() =>
      gradCacheVariableGrads<tf.Tensor2D>({
        towers,
        embed: (x) => {
          // The second call is tower 1 of pass 1: tower 0's cached embeddings already exist.
          if (++calls === 2) throw new Error('embed failed in pass 1');
          return tf.tanh(tf.matMul(x, w)) as tf.Tensor2D;
        },
        loss: (e) => {
          lossCalls++;
          return tf.addN(e.map((t) => tf.sum<tf.Scalar>(tf.square(t))));
        },
        variables,
      }),
    );
    expect(e.message).toBe('embed failed in pass 1');
    expect([calls, lossCalls]).toEqual([2, 0]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(towers);
  });
});
