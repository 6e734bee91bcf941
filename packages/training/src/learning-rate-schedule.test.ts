import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { caught } from '@rtk/test-utils/tfjs';
import { TrainingOptionError } from './errors.js';
import { constantLearningRate, linearWarmupDecay } from './learning-rate-schedule.js';

describe('linearWarmupDecay', () => {
  // Hand-computed from lr(t) = base·t/W (t < W), base·max(0, (T − t)/(T − W)) with base 2e-5, W 10, T 100.
  it.each([
    [0, 0],
    [5, 1e-5],
    [9, 1.8e-5],
    [10, 2e-5],
    [55, 1e-5],
    [99, 2e-5 / 90],
    [100, 0],
    [150, 0],
  ])('lr(%i) = %f', (step, expected) => {
    expect(
      linearWarmupDecay({ learningRate: 2e-5, warmupSteps: 10, totalSteps: 100 })(step),
    ).toBeCloseTo(expected, 15);
  });

  it('starts at the peak without warmup', () => {
    const lr = linearWarmupDecay({ learningRate: 0.1, totalSteps: 4 });
    [0.1, 0.075, 0.05, 0.025, 0].forEach((expected, step) =>
      expect(lr(step)).toBeCloseTo(expected, 15),
    );
  });

  // Boolean-returning property: the vitest lint plugin does not see test.prop as a test block.
  test.prop([
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: 1, max: 200 }),
    fc.integer({ min: 0, max: 300 }),
  ])(
    'stays in [0, base], rises during warmup and never rises after it',
    (warmupSteps, extra, step) => {
      const totalSteps = warmupSteps + extra;
      const lr = linearWarmupDecay({ learningRate: 1, warmupSteps, totalSteps });
      const now = lr(step);
      const next = lr(step + 1);
      return now >= 0 && now <= 1 && (step + 1 <= warmupSteps ? next > now : next <= now);
    },
  );

  it.each([
    [{ learningRate: 0, totalSteps: 10 }, 'learningRate'],
    [{ learningRate: 1, totalSteps: 0 }, 'totalSteps'],
    [{ learningRate: 1, totalSteps: 10, warmupSteps: 10 }, 'warmupSteps'],
    [{ learningRate: 1, totalSteps: 10, warmupSteps: 1.5 }, 'warmupSteps'],
  ])('rejects %o', (options, option) => {
    const e = caught(() => linearWarmupDecay(options));
    expect(e).toBeInstanceOf(TrainingOptionError);
    expect(e).toMatchObject({ code: 'ERR_TRAINING_OPTION', option, where: 'linearWarmupDecay' });
  });

  it('rejects a negative or fractional step', () => {
    const lr = linearWarmupDecay({ learningRate: 1, totalSteps: 10 });
    for (const step of [-1, 0.5]) {
      const e = caught(() => lr(step));
      expect(e).toBeInstanceOf(TrainingOptionError);
      expect(e).toMatchObject({ code: 'ERR_TRAINING_OPTION', option: 'step', value: step });
      expect(e.message).toContain(
        `linearWarmupDecay: option "step" is ${step}, expected an integer ≥ 0`,
      );
    }
  });
});

describe('constantLearningRate', () => {
  // Hand-computed: base 1e-3, W 4 → t/4·1e-3 during warmup, then 1e-3 forever.
  it('warms up linearly, then stays constant', () => {
    const lr = constantLearningRate({ learningRate: 1e-3, warmupSteps: 4 });
    expect([0, 2, 4, 1000].map(lr)).toEqual([0, 5e-4, 1e-3, 1e-3]);
    expect(constantLearningRate({ learningRate: 0.5 })(0)).toBe(0.5);
  });

  it('rejects bad options and steps', () => {
    for (const [call, option, fact] of [
      [() => constantLearningRate({ learningRate: -1 }), 'learningRate', 'is -1'],
      [() => constantLearningRate({ learningRate: 1, warmupSteps: -2 }), 'warmupSteps', 'is -2'],
      [() => constantLearningRate({ learningRate: 1 })(NaN), 'step', 'is NaN'],
    ] as const) {
      const e = caught(call);
      expect(e).toBeInstanceOf(TrainingOptionError);
      expect(e).toMatchObject({
        code: 'ERR_TRAINING_OPTION',
        option,
        where: 'constantLearningRate',
      });
      expect(e.message).toContain(`constantLearningRate: option "${option}" ${fact}`);
    }
  });
});

describe('learning-rate checks', () => {
  it('constantLearningRate accepts a learning rate of 0 (a frozen run)', () => {
    const lr = constantLearningRate({ learningRate: 0, warmupSteps: 2 });
    expect([0, 1, 2, 10].map(lr)).toEqual([0, 0, 0, 0]);
  });

  it('says in full what each rejected option expected', () => {
    for (const [call, message] of [
      [
        () => constantLearningRate({ learningRate: -0.5 }),
        'constantLearningRate: option "learningRate" is -0.5, expected a finite number ≥ 0.',
      ],
      [
        () => linearWarmupDecay({ learningRate: 0, totalSteps: 10 }),
        'linearWarmupDecay: option "learningRate" is 0, expected a finite number > 0.',
      ],
      [
        () => linearWarmupDecay({ learningRate: 1, totalSteps: 0 }),
        'linearWarmupDecay: option "totalSteps" is 0, expected an integer ≥ 1.',
      ],
      [
        () => linearWarmupDecay({ learningRate: 1, totalSteps: 7, warmupSteps: 7 }),
        'linearWarmupDecay: option "warmupSteps" is 7, expected fewer than totalSteps (7).',
      ],
    ] as const) {
      const e = caught(call);
      expect(e).toBeInstanceOf(TrainingOptionError);
      expect(e.message).toBe(message);
    }
  });
});
