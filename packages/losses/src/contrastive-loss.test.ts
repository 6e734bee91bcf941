import * as tf from '@tensorflow/tfjs-core';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, caught, maxAbsDiff, tensorsLeaked, useBackend } from '@rtk/test-utils/tfjs';
import { contrastiveCases, TOLERANCE } from './_test-golden.js';
import { contrastiveLoss } from './contrastive-loss.js';
import { LossOptionError, LossShapeError, LossValueError } from './errors.js';

const row = fc
  .array(fc.float({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true }), {
    minLength: 3,
    maxLength: 3,
  })
  .filter((r) => Math.hypot(...r) > 1e-3);

/** The TSDoc example's towers: pair 0 orthogonal, pair 1 at 45°. */
function documentedExample(): { x: tf.Tensor2D; z: tf.Tensor2D } {
  return {
    x: tf.tensor2d([
      [1, 0],
      [1, 0],
    ]),
    z: tf.tensor2d([
      [0, 1],
      [1, 1],
    ]),
  };
}

describe.each(BACKENDS)('contrastiveLoss on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(contrastiveCases.map((c) => [`margin ${c.margin}`, c] as const))(
    'matches PyTorch loss and gradients (%s)',
    (_name, c) => {
      const [x, z] = [tf.tensor2d(c.left), tf.tensor2d(c.right)];
      const { value, grads } = tf.valueAndGrads((x: tf.Tensor, z: tf.Tensor) =>
        contrastiveLoss(x as tf.Tensor2D, z as tf.Tensor2D, c.labels, { margin: c.margin }),
      )([x, z]);
      expect(Math.abs(value.dataSync()[0]! - c.expected_loss)).toBeLessThan(TOLERANCE);
      expect(maxAbsDiff(grads[0]!.dataSync(), c.grad.left.flat())).toBeLessThan(TOLERANCE);
      expect(maxAbsDiff(grads[1]!.dataSync(), c.grad.right.flat())).toBeLessThan(TOLERANCE);
      tf.dispose([x, z, value, ...grads]);
    },
  );

  // Hand-computed: see the TSDoc example.
  it('computes the documented example, labels as numbers or a tensor', () => {
    const expected = (0.5 + 0.5 * (0.5 - (1 - 1 / Math.SQRT2)) ** 2) / 2;
    const { x, z } = documentedExample();
    const labels = tf.tensor1d([1, 0]);
    const fromArray = contrastiveLoss(x, z, [1, 0]);
    const fromTensor = contrastiveLoss(x, z, labels);
    expect(fromArray.dataSync()[0]).toBeCloseTo(expected, 6);
    expect(fromTensor.dataSync()[0]).toBeCloseTo(expected, 6);
    tf.dispose([x, z, labels, fromArray, fromTensor]);
  });

  it('does not leak tensors across repeated steps', () => {
    const inputs = [tf.randomNormal([6, 5]), tf.randomNormal([6, 5])] as tf.Tensor2D[];
    const labels = [1, 0, 1, 1, 0, 0];
    const step = (): void => {
      const { value, grads } = tf.valueAndGrads((x: tf.Tensor, z: tf.Tensor) =>
        contrastiveLoss(x as tf.Tensor2D, z as tf.Tensor2D, labels),
      )(inputs);
      tf.dispose([value, ...grads]);
    };
    expect(tensorsLeaked(step)).toBe(0);
    tf.dispose(inputs);
  });

  // Boolean-returning properties: the vitest lint plugin does not see test.prop as a test block.
  test.prop(
    [
      fc.array(fc.tuple(row, row, fc.constantFrom(0, 1)), { minLength: 1, maxLength: 6 }),
      fc.double({ min: 0, max: 2, noNaN: true }),
    ],
    { numRuns: 30 },
  )('is ≥ 0, and 0 for positive pairs of identical rows', (pairs, margin) => {
    const [loss, same] = tf.tidy(() => {
      const x = tf.tensor2d(pairs.map((p) => p[0]));
      const z = tf.tensor2d(pairs.map((p) => p[1]));
      const y = pairs.map((p) => p[2]);
      return [
        contrastiveLoss(x, z, y, { margin }).dataSync()[0]!,
        contrastiveLoss(
          x,
          x,
          pairs.map(() => 1),
          { margin },
        ).dataSync()[0]!,
      ];
    });
    // d = 1 − cos(x, x) is 0 up to float rounding.
    return loss >= 0 && Math.abs(same) < 1e-5;
  });

  it('rejects labels that are not 0/1, or not one per pair', () => {
    const x = tf.zeros<tf.Rank.R2>([2, 3]);
    const e = caught(() => contrastiveLoss(x, x, [1, 0.5]));
    expect(e).toBeInstanceOf(LossValueError);
    expect(e).toMatchObject({ code: 'ERR_LOSSES_VALUE', argument: 'labels' });
    expect(e.message).toContain('index 1');
    const wrongRank = tf.zeros([2, 1]) as unknown as tf.Tensor1D;
    for (const [labels, shape] of [
      [[1, 0, 1], '[3]'],
      [wrongRank, '[2, 1]'],
    ] as const) {
      const shapeError = caught(() => contrastiveLoss(x, x, labels));
      expect(shapeError).toBeInstanceOf(LossShapeError);
      expect(shapeError).toMatchObject({ code: 'ERR_LOSSES_SHAPE', argument: 'labels' });
      expect(shapeError.message).toContain(`has shape ${shape}, expected 2 labels (one per pair)`);
    }
    tf.dispose([x, wrongRank]);
  });

  it('rejects mismatched embeddings, non-finite values and bad margins', () => {
    const x = tf.zeros<tf.Rank.R2>([2, 3]);
    const wide = tf.zeros<tf.Rank.R2>([2, 4]);
    const nan = tf.tensor2d([
      [NaN, 0, 0],
      [0, 0, 0],
    ]);
    expect(() => contrastiveLoss(x, wide, [1, 0])).toThrow(
      expect.objectContaining({ code: 'ERR_LOSSES_SHAPE', argument: 'right' }),
    );
    const flat = tf.zeros([3]) as unknown as tf.Tensor2D;
    expect(caught(() => contrastiveLoss(flat, x, [1, 0]))).toMatchObject({
      code: 'ERR_LOSSES_SHAPE',
      argument: 'left',
      received: [3],
    });
    expect(() => contrastiveLoss(nan, x, [1, 0])).toThrow(
      expect.objectContaining({ code: 'ERR_LOSSES_VALUE', argument: 'left' }),
    );
    const margin = caught(() => contrastiveLoss(x, x, [1, 0], { margin: -0.1 }));
    expect(margin).toBeInstanceOf(LossOptionError);
    expect(margin).toMatchObject({ code: 'ERR_LOSSES_OPTION', option: 'margin', value: -0.1 });
    expect(margin.message).toContain('expected a finite number ≥ 0');
    tf.dispose([x, wide, nan, flat]);
  });

  it('takes margin 0 (only the positive pairs count) and names each bad argument', () => {
    // Hand-computed on the documented example: pair 0 (y=1) ½·1² = 0.5; pair 1 (y=0) has
    // d ≈ 0.2929 > m = 0, so max(0, 0 − d) = 0 → mean 0.25.
    const { x, z } = documentedExample();
    const zero = contrastiveLoss(x, z, [1, 0], { margin: 0 });
    expect(zero.dataSync()[0]).toBeCloseTo(0.25, 6);
    const nan = tf.tensor2d([
      [1, 0],
      [NaN, 0],
    ]);
    const e = caught(() => contrastiveLoss(x, nan, [1, 0]));
    expect(e).toMatchObject({ code: 'ERR_LOSSES_VALUE', argument: 'right' });
    expect(e.message).toContain('contrastiveLoss: argument "right" contains NaN or Infinity');
    const unchecked = contrastiveLoss(x, nan, [1, 0], { checkFinite: false });
    expect(Number.isNaN(unchecked.dataSync()[0])).toBe(true);
    const label = caught(() => contrastiveLoss(x, z, [1, 0.5]));
    expect(label.message).toBe(
      'contrastiveLoss: argument "labels" has 0.5 at index 1. ' +
        'Labels must be 1 (positive pair) or 0 (negative pair).',
    );
    const long = tf.tensor1d([1, 0, 1]);
    const shape = caught(() => contrastiveLoss(x, z, long));
    expect(shape).toMatchObject({ code: 'ERR_LOSSES_SHAPE', argument: 'labels', received: [3] });
    tf.dispose([x, z, zero, nan, unchecked, long]);
  });
});
