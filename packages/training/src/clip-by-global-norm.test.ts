import * as tf from '@tensorflow/tfjs-core';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, caught, maxAbsDiff, useBackend } from '@rtk/test-utils/tfjs';
import { flat, golden } from './_test-golden.js';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import { TrainingOptionError } from './errors.js';

const names = Object.keys(golden.shapes);
const vector = fc.array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), {
  minLength: 1,
  maxLength: 6,
});

describe.each(BACKENDS)('clipByGlobalNorm on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  // PyTorch torch.nn.utils.clip_grad_norm_ values from scripts/make_adamw_golden.py; steps alternate
  // between gradients far above max_norm (clipped) and below it (unchanged).
  it.each(golden.steps.map((s, i) => [i, s.norm, s] as const))(
    'matches PyTorch at golden step %i (norm %f)',
    (_i, _norm, step) => {
      const raw = Object.fromEntries(
        names.map((n) => [n, tf.tensor(flat(step.grads[n]!), golden.shapes[n])]),
      );
      const { gradients, norm } = clipByGlobalNorm(raw, golden.max_norm);
      expect(Math.abs(norm.dataSync()[0]! - step.norm)).toBeLessThan(1e-5 * step.norm);
      expect(Object.keys(gradients)).toEqual(names);
      const worst = Math.max(
        ...names.map((n) => maxAbsDiff(gradients[n]!.dataSync(), flat(step.clipped[n]!))),
      );
      expect(worst).toBeLessThan(1e-6);
      tf.dispose([raw, gradients, norm]);
    },
  );

  // Hand-computed: ‖(3, 4)‖ = 5 → scaled by 1/(5 + 1e-6).
  it('computes the documented example and leaves its inputs alone', () => {
    const g = tf.tensor1d([3, 4]);
    const before = tf.memory().numTensors;
    const { gradients, norm } = clipByGlobalNorm({ w: g }, 1);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(norm.dataSync()[0]).toBeCloseTo(5, 6);
    expect(maxAbsDiff(gradients.w!.dataSync(), [3 / (5 + 1e-6), 4 / (5 + 1e-6)])).toBeLessThan(
      1e-7,
    );
    expect(Array.from(g.dataSync())).toEqual([3, 4]);
    tf.dispose([g, gradients, norm]);
  });

  it('handles all-zero and empty gradient sets', () => {
    const z = tf.zeros([3]);
    const zero = clipByGlobalNorm({ z }, 1);
    expect(zero.norm.dataSync()[0]).toBe(0);
    expect(Array.from(zero.gradients.z!.dataSync())).toEqual([0, 0, 0]);
    const empty = clipByGlobalNorm({}, 1);
    expect(empty.norm.dataSync()[0]).toBe(0);
    expect(Object.keys(empty.gradients)).toEqual([]);
    tf.dispose([z, zero, empty]);
  });

  // Boolean-returning property: the vitest lint plugin does not see test.prop as a test block.
  test.prop([vector, vector, fc.double({ min: 0.01, max: 20, noNaN: true })], { numRuns: 30 })(
    'never leaves a global norm above maxNorm, and changes nothing below it',
    (a, b, maxNorm) => {
      const [normAfter, normBefore, unchanged] = tf.tidy(() => {
        const grads = { a: tf.tensor1d(a), b: tf.tensor1d(b) };
        const { gradients, norm } = clipByGlobalNorm(grads, maxNorm);
        const after = Math.hypot(...gradients.a!.dataSync(), ...gradients.b!.dataSync());
        const same =
          maxAbsDiff(gradients.a!.dataSync(), grads.a.dataSync()) <= 1e-5 &&
          maxAbsDiff(gradients.b!.dataSync(), grads.b.dataSync()) <= 1e-5;
        return [after, norm.dataSync()[0]!, same];
      });
      return normAfter <= maxNorm * (1 + 1e-5) && (normBefore > maxNorm * (1 - 1e-5) || unchanged);
    },
  );

  it.each([0, -1, NaN, Infinity])('rejects maxNorm %f', (maxNorm) => {
    const e = caught(() => clipByGlobalNorm({}, maxNorm));
    expect(e).toBeInstanceOf(TrainingOptionError);
    expect(e).toMatchObject({ code: 'ERR_TRAINING_OPTION', option: 'maxNorm' });
    expect(e.message).toContain(
      `clipByGlobalNorm: option "maxNorm" is ${maxNorm}, expected a finite number > 0`,
    );
  });
});
