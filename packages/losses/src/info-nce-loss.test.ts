import * as tf from '@tensorflow/tfjs-core';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, caught, maxAbsDiff, tensorsLeaked, useBackend } from '@rtk/test-utils/tfjs';
import { infoNceCases, TOLERANCE } from './_test-golden.js';
import { LossOptionError, LossShapeError, LossValueError } from './errors.js';
import { infoNceLoss } from './info-nce-loss.js';

const row = fc.array(fc.float({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true }), {
  minLength: 3,
  maxLength: 3,
});

describe.each(BACKENDS)('infoNceLoss on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(
    infoNceCases.map(
      (c) =>
        [
          `scale ${c.scale}, negatives ${c.negative !== undefined}, symmetric ${c.symmetric}`,
          c,
        ] as const,
    ),
  )('matches PyTorch loss and gradients (%s)', (_name, c) => {
    const inputs = [tf.tensor2d(c.anchor), tf.tensor2d(c.positive)];
    if (c.negative !== undefined) inputs.push(tf.tensor2d(c.negative));
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) =>
      infoNceLoss(xs[0] as tf.Tensor2D, xs[1] as tf.Tensor2D, {
        scale: c.scale,
        symmetric: c.symmetric,
        ...(xs[2] === undefined ? {} : { negatives: xs[2] as tf.Tensor2D }),
      }),
    )(inputs);
    expect(Math.abs(value.dataSync()[0]! - c.expected_loss)).toBeLessThan(TOLERANCE);
    const expected = [
      c.grad.anchor,
      c.grad.positive,
      ...(c.grad.negative === undefined ? [] : [c.grad.negative]),
    ];
    expect(grads).toHaveLength(expected.length);
    const worst = grads.map((g, k) => maxAbsDiff(g.dataSync(), expected[k]!.flat()));
    expect(Math.max(...worst)).toBeLessThan(TOLERANCE);
    tf.dispose([...inputs, value, ...grads]);
  });

  // Hand-computed: see the TSDoc example; log(1 + e^-1).
  it('computes the documented example', () => {
    const a = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const loss = infoNceLoss(a, a, { scale: 1 });
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(1 + Math.exp(-1)), 6);
    tf.dispose([a, loss]);
  });

  // temperature τ is the same as scale 1/τ; a list of negatives equals their concatenation.
  it('treats temperature as 1/scale and a list of negatives as their concatenation', () => {
    tf.tidy(() => {
      // Four different matrices (with one seed for all, every cosine would be 1 and the loss
      // log(3·4) whatever the scale).
      const [a, p, n1, n2] = [0, 1, 2, 3].map((i) =>
        tf.randomNormal([4, 6], 0, 1, 'float32', 7 + i),
      ) as tf.Tensor2D[];
      const byScale = infoNceLoss(a!, p!, { scale: 50, negatives: [n1!, n2!] }).dataSync()[0]!;
      const byTemperature = infoNceLoss(a!, p!, {
        temperature: 0.02,
        negatives: [n1!, n2!],
      }).dataSync()[0]!;
      expect(byTemperature).toBeCloseTo(byScale, 4);
      const byDefaultScale = infoNceLoss(a!, p!, { negatives: [n1!, n2!] }).dataSync()[0]!;
      expect(Math.abs(byDefaultScale - byScale)).toBeGreaterThan(1e-2);
      const single = infoNceLoss(a!, p!, { negatives: n1! }).dataSync()[0]!;
      const listOfOne = infoNceLoss(a!, p!, { negatives: [n1!] }).dataSync()[0]!;
      expect(listOfOne).toBeCloseTo(single, 6);
    });
  });

  // Extra candidates need not be one per anchor: every row is scored against every anchor.
  it('takes negatives with any number of rows, as extra candidates of every anchor', () => {
    const a = [
      [1, 0, 0],
      [0, 1, 0],
      [0.6, 0.8, 0],
    ];
    const p = [
      [0.8, 0.6, 0],
      [0, 0.6, 0.8],
      [0.6, 0, 0.8],
    ];
    const n = [[0, 0, 1]];
    const scale = 3;
    const cos = (x: number[], y: number[]): number =>
      x.reduce((s, v, i) => s + v * y[i]!, 0) / (Math.hypot(...x) * Math.hypot(...y));
    const candidates = [...p, ...n];
    const expected =
      a.reduce((sum, q, i) => {
        const logits = candidates.map((c) => scale * cos(q, c));
        const lse = Math.log(logits.reduce((s, l) => s + Math.exp(l), 0));
        return sum + lse - logits[i]!;
      }, 0) / a.length;
    tf.tidy(() => {
      const got = infoNceLoss(tf.tensor2d(a), tf.tensor2d(p), {
        scale,
        negatives: tf.tensor2d(n),
      }).dataSync()[0]!;
      expect(got).toBeCloseTo(expected, 5);
      // Not the loss without the negative (the candidate counts).
      const without = infoNceLoss(tf.tensor2d(a), tf.tensor2d(p), { scale }).dataSync()[0]!;
      expect(Math.abs(without - expected)).toBeGreaterThan(1e-2);
    });
  });

  it('does not leak tensors across repeated steps (with negatives and symmetric term)', () => {
    const inputs = [
      tf.randomNormal([6, 5]),
      tf.randomNormal([6, 5]),
      tf.randomNormal([6, 5]),
    ] as tf.Tensor2D[];
    const step = (): void => {
      const { value, grads } = tf.valueAndGrads((a: tf.Tensor, p: tf.Tensor, n: tf.Tensor) =>
        infoNceLoss(a as tf.Tensor2D, p as tf.Tensor2D, {
          negatives: n as tf.Tensor2D,
          symmetric: true,
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
      fc.array(fc.tuple(row, row), { minLength: 1, maxLength: 6 }),
      fc.double({ min: 1, max: 50, noNaN: true }),
      fc.boolean(),
    ],
    { numRuns: 30 },
  )('is ≥ 0 and at most log(B) + 2s (cosines lie in [−1, 1])', (pairs, scale, symmetric) => {
    const loss = tf.tidy(() => {
      const a = tf.tensor2d(pairs.map((p) => p[0]));
      const p = tf.tensor2d(pairs.map((p) => p[1]));
      return infoNceLoss(a, p, { scale, symmetric }).dataSync()[0]!;
    });
    return loss >= -1e-6 && loss <= Math.log(pairs.length) + 2 * scale + 1e-3;
  });

  test.prop([fc.array(fc.tuple(row, row), { minLength: 2, maxLength: 5 })], { numRuns: 20 })(
    'does not change when the batch rows are permuted',
    (pairs) => {
      const [original, reversed] = tf.tidy(() => {
        const f = (ps: typeof pairs): number =>
          infoNceLoss(tf.tensor2d(ps.map((p) => p[0])), tf.tensor2d(ps.map((p) => p[1])), {
            symmetric: true,
          }).dataSync()[0]!;
        return [f(pairs), f([...pairs].reverse())];
      });
      return Math.abs(reversed - original) <= 1e-4 * Math.max(1, Math.abs(original));
    },
  );

  it('is one-directional (symmetric false) unless asked', () => {
    tf.tidy(() => {
      const [a, p] = [0, 1].map((i) =>
        tf.randomNormal([4, 6], 0, 1, 'float32', 3 + i),
      ) as tf.Tensor2D[];
      const byDefault = infoNceLoss(a!, p!).dataSync()[0]!;
      expect(byDefault).toBe(infoNceLoss(a!, p!, { symmetric: false }).dataSync()[0]!);
      expect(
        Math.abs(byDefault - infoNceLoss(a!, p!, { symmetric: true }).dataSync()[0]!),
      ).toBeGreaterThan(1e-3);
    });
  });

  it('rejects bad shapes, non-finite values and bad options', () => {
    const a = tf.zeros<tf.Rank.R2>([2, 3]);
    const short = tf.zeros<tf.Rank.R2>([1, 3]);
    const inf = tf.tensor2d([
      [0, Infinity, 0],
      [0, 0, 1],
    ]);
    expect(() => infoNceLoss(a, short)).toThrow(
      expect.objectContaining({ code: 'ERR_LOSSES_SHAPE', argument: 'positive' }),
    );
    const narrow = tf.zeros<tf.Rank.R2>([2, 2]);
    expect(() => infoNceLoss(a, a, { negatives: [a, narrow] })).toThrow(
      expect.objectContaining({ code: 'ERR_LOSSES_SHAPE', argument: 'negatives[1]' }),
    );
    narrow.dispose();
    // A negatives tensor may have fewer rows than the batch (only some anchors have one).
    expect(() => infoNceLoss(a, a, { negatives: [a, short] })).not.toThrow();
    expect(() => infoNceLoss(a, a, { negatives: inf })).toThrow(
      expect.objectContaining({ code: 'ERR_LOSSES_VALUE', argument: 'negatives[0]' }),
    );
    for (const [options, option, fact] of [
      [{ scale: 0 }, 'scale', 'option "scale" is 0, expected a finite number > 0'],
      [
        { temperature: -1 },
        'temperature',
        'option "temperature" is -1, expected a finite number > 0',
      ],
    ] as const) {
      const e = caught(() => infoNceLoss(a, a, options));
      expect(e).toBeInstanceOf(LossOptionError);
      expect(e).toMatchObject({ code: 'ERR_LOSSES_OPTION', option });
      expect(e.message).toContain(`infoNceLoss: ${fact}`);
    }
    const both = caught(() => infoNceLoss(a, a, { scale: 20, temperature: 0.05 }));
    expect(both).toMatchObject({ code: 'ERR_LOSSES_OPTION', option: 'temperature', value: 0.05 });
    expect(both.message).toBe(
      'infoNceLoss: option "temperature" is 0.05, expected undefined when "scale" is given (s = 1/τ).',
    );
    expect(() => infoNceLoss(inf, a)).toThrow(
      expect.objectContaining({ code: 'ERR_LOSSES_VALUE', argument: 'anchor' }),
    );
    expect(() => infoNceLoss(a, inf)).toThrow(
      expect.objectContaining({ code: 'ERR_LOSSES_VALUE', argument: 'positive' }),
    );
    const empty = tf.zeros<tf.Rank.R2>([0, 3]);
    const e = caught(() => infoNceLoss(empty, a));
    expect(e).toBeInstanceOf(LossShapeError);
    expect(e).toMatchObject({ code: 'ERR_LOSSES_SHAPE', argument: 'anchor', received: [0, 3] });
    expect(e.message).toContain('expected a non-empty tf.Tensor2D [batch, dim]');
    empty.dispose();
    expect(() => infoNceLoss(inf, inf, { checkFinite: false })).not.toThrow(LossValueError);
    tf.dispose([a, short, inf]);
  });
});
