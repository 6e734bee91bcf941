import * as tf from '@tensorflow/tfjs-core';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, caught, maxAbsDiff, tensorsLeaked, useBackend } from '@rtk/test-utils/tfjs';
import { TOLERANCE, tripletCases } from './_test-golden.js';
import { LossOptionError, LossShapeError, LossValueError } from './errors.js';
import { TRIPLET_DISTANCES, tripletLoss } from './triplet-loss.js';

const row = fc.array(fc.float({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true }), {
  minLength: 4,
  maxLength: 4,
});

describe.each(BACKENDS)('tripletLoss on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(tripletCases.map((c) => [`${c.distance} margin ${c.margin}`, c] as const))(
    'matches PyTorch loss and gradients (%s)',
    (_name, c) => {
      const [a, p, n] = [tf.tensor2d(c.anchor), tf.tensor2d(c.positive), tf.tensor2d(c.negative)];
      const options = { distance: c.distance, margin: c.margin };
      const { value, grads } = tf.valueAndGrads((a: tf.Tensor, p: tf.Tensor, n: tf.Tensor) =>
        tripletLoss(a as tf.Tensor2D, p as tf.Tensor2D, n as tf.Tensor2D, options),
      )([a, p, n]);
      expect(Math.abs(value.dataSync()[0]! - c.expected_loss)).toBeLessThan(TOLERANCE);
      expect(maxAbsDiff(grads[0]!.dataSync(), c.grad.anchor.flat())).toBeLessThan(TOLERANCE);
      expect(maxAbsDiff(grads[1]!.dataSync(), c.grad.positive.flat())).toBeLessThan(TOLERANCE);
      expect(maxAbsDiff(grads[2]!.dataSync(), c.grad.negative.flat())).toBeLessThan(TOLERANCE);
      tf.dispose([a, p, n, value, ...grads]);
    },
  );

  // Hand-computed: see the TSDoc example (row 0 hinge inactive, row 1: 1 − 1/√2 + 0.5).
  it('computes the documented example', () => {
    const loss = tf.tidy(() =>
      tripletLoss(
        tf.tensor2d([
          [1, 0],
          [0, 1],
        ]),
        tf.tensor2d([
          [1, 0],
          [1, 1],
        ]),
        tf.tensor2d([
          [0, 1],
          [0, 1],
        ]),
      ),
    );
    expect(loss.dataSync()[0]).toBeCloseTo((1 - 1 / Math.SQRT2 + 0.5) / 2, 6);
    loss.dispose();
  });

  // Hand-computed: a=(0,0), p=(3,4), n=(1,0): euclidean 5 − 1 + 1 = 5; manhattan 7 − 1 + 1 = 7.
  it.each([
    ['euclidean', 5],
    ['manhattan', 7],
  ] as const)('computes the %s distance', (distance, expected) => {
    const loss = tf.tidy(() =>
      tripletLoss(tf.tensor2d([[0, 0]]), tf.tensor2d([[3, 4]]), tf.tensor2d([[1, 0]]), {
        distance,
        margin: 1,
      }),
    );
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    loss.dispose();
  });

  it('gives a zero (not NaN) gradient when anchor equals positive under euclidean distance', () => {
    const x = tf.tensor2d([[0.3, -0.2, 0.5]]);
    const n = tf.tensor2d([[0.3, -0.2, 0.6]]);
    const grads = tf.grads((a: tf.Tensor, p: tf.Tensor) =>
      tripletLoss(a as tf.Tensor2D, p as tf.Tensor2D, n, { distance: 'euclidean', margin: 1 }),
    )([x, tf.clone(x)]);
    for (const g of grads) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, n, ...grads]);
  });

  it('does not leak tensors across repeated steps', () => {
    const inputs = [
      tf.randomNormal([6, 5]),
      tf.randomNormal([6, 5]),
      tf.randomNormal([6, 5]),
    ] as tf.Tensor2D[];
    const step = (): void => {
      const { value, grads } = tf.valueAndGrads((a: tf.Tensor, p: tf.Tensor, n: tf.Tensor) =>
        tripletLoss(a as tf.Tensor2D, p as tf.Tensor2D, n as tf.Tensor2D, {
          distance: 'euclidean',
        }),
      )(inputs);
      tf.dispose([value, ...grads]);
    };
    expect(tensorsLeaked(step)).toBe(0);
    tf.dispose(inputs);
  });

  // Boolean-returning properties: the vitest lint plugin does not see test.prop as a test block.
  test.prop(
    [
      fc.array(fc.tuple(row, row, row), { minLength: 1, maxLength: 5 }),
      fc.constantFrom(...TRIPLET_DISTANCES),
      fc.double({ min: 0, max: 2, noNaN: true }),
    ],
    { numRuns: 30 },
  )('is finite and ≥ 0', (rows, distance, margin) => {
    const loss = tf.tidy(() => {
      const [a, p, n] = [0, 1, 2].map((k) => tf.tensor2d(rows.map((r) => r[k]!))) as [
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
      ];
      return tripletLoss(a, p, n, { distance, margin }).dataSync()[0]!;
    });
    return Number.isFinite(loss) && loss >= 0;
  });

  test.prop([fc.array(fc.tuple(row, row), { minLength: 1, maxLength: 5 })], { numRuns: 20 })(
    'equals the margin when positive and negative are the same rows',
    (rows) => {
      const loss = tf.tidy(() => {
        const a = tf.tensor2d(rows.map((r) => r[0]));
        const p = tf.tensor2d(rows.map((r) => r[1]));
        return tripletLoss(a, p, p, { distance: 'euclidean', margin: 0.7 }).dataSync()[0]!;
      });
      return Math.abs(loss - 0.7) < 1e-5;
    },
  );

  it('rejects mismatched shapes with LossShapeError naming the argument', () => {
    const a = tf.zeros<tf.Rank.R2>([4, 8]);
    const bad = tf.zeros<tf.Rank.R2>([3, 8]);
    const e = caught(() => tripletLoss(a, bad, a));
    expect(e).toBeInstanceOf(LossShapeError);
    expect(e).toMatchObject({
      code: 'ERR_LOSSES_SHAPE',
      loss: 'tripletLoss',
      argument: 'positive',
      received: [3, 8],
    });
    expect(e.message).toContain('[3, 8]');
    expect(e.message).toContain('[4, 8]');
    const flat = tf.zeros([8]) as unknown as tf.Tensor2D;
    const rank = caught(() => tripletLoss(flat, a, a));
    expect(rank).toBeInstanceOf(LossShapeError);
    expect(rank).toMatchObject({ code: 'ERR_LOSSES_SHAPE', argument: 'anchor', received: [8] });
    expect(rank.message).toContain('expected a non-empty tf.Tensor2D [batch, dim]');
    tf.dispose([a, bad, flat]);
  });

  it('rejects non-finite embeddings with LossValueError', () => {
    const a = tf.tensor2d([[1, 0]]);
    const n = tf.tensor2d([[0, Infinity]]);
    const e = caught(() => tripletLoss(a, a, n));
    expect(e).toBeInstanceOf(LossValueError);
    expect(e).toMatchObject({ code: 'ERR_LOSSES_VALUE', argument: 'negative' });
    expect(e.message).toBe(
      'tripletLoss: argument "negative" contains NaN or Infinity. Check the encoder output (a ' +
        'diverged step, a too-high learning rate, or bad input ids); the loss refuses it because ' +
        'every gradient would become NaN.',
    );
    const wide = tf.zeros<tf.Rank.R2>([1, 3]);
    expect(caught(() => tripletLoss(a, a, wide))).toMatchObject({
      code: 'ERR_LOSSES_SHAPE',
      argument: 'negative',
      received: [1, 3],
    });
    tf.dispose([a, n, wide]);
  });

  it.each([
    [{ margin: -1 }, 'margin', 'is -1, expected a finite number ≥ 0'],
    [{ margin: NaN }, 'margin', 'is NaN, expected a finite number ≥ 0'],
    [{ distance: 'dot' as 'cosine' }, 'distance', 'is dot, expected one of cosine, euclidean'],
  ])('rejects option %o', (options, option, fact) => {
    const a = tf.zeros<tf.Rank.R2>([1, 2]);
    const e = caught(() => tripletLoss(a, a, a, options));
    expect(e).toBeInstanceOf(LossOptionError);
    expect(e).toMatchObject({ code: 'ERR_LOSSES_OPTION', option });
    expect(e.message).toContain(`tripletLoss: option "${option}" ${fact}`);
    a.dispose();
  });

  it('takes margin 0 and refuses int32, empty and non-finite inputs, naming each', () => {
    // Hand-computed: a=(0,0), p=(3,4), n=(1,0), euclidean: max(0, 5 − 1 + 0) = 4.
    const [a, p, n] = [[[0, 0]], [[3, 4]], [[1, 0]]].map((r) => tf.tensor2d(r)) as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
    ];
    const zero = tripletLoss(a, p, n, { distance: 'euclidean', margin: 0 });
    expect(zero.dataSync()[0]).toBeCloseTo(4, 5);
    const ints = tf.tensor2d([[0, 0]], [1, 2], 'int32');
    const dtype = caught(() => tripletLoss(ints, p, n));
    expect(dtype).toBeInstanceOf(LossValueError);
    expect(dtype).toMatchObject({ code: 'ERR_LOSSES_VALUE', argument: 'anchor' });
    expect(dtype.message).toBe(
      'tripletLoss: argument "anchor" has dtype int32. Pass float32 embeddings (tf.cast(x, "float32")).',
    );
    const narrow = tf.zeros<tf.Rank.R2>([1, 0]);
    const empty = caught(() => tripletLoss(narrow, narrow, narrow));
    expect(empty).toMatchObject({ code: 'ERR_LOSSES_SHAPE', argument: 'anchor', received: [1, 0] });
    const inf = tf.tensor2d([[Infinity, 0]]);
    for (const [args, argument] of [
      [[inf, p, n], 'anchor'],
      [[a, inf, n], 'positive'],
    ] as const) {
      const e = caught(() => tripletLoss(...args));
      expect(e).toMatchObject({ code: 'ERR_LOSSES_VALUE', argument });
      expect(e.message).toContain(`tripletLoss: argument "${argument}" contains NaN or Infinity`);
    }
    // ‖a − p‖ = ∞ with the check off: max(0, ∞ − 1 + 0.5) = ∞.
    const unchecked = tripletLoss(a, inf, n, { distance: 'euclidean', checkFinite: false });
    expect(unchecked.dataSync()[0]).toBe(Infinity);
    tf.dispose([a, p, n, zero, ints, narrow, inf, unchecked]);
  });
});
