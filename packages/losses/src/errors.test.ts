import { RtkError } from '@rtk/errors';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

// Built inside each test, not at import: a test reaches the messages it checks (Stryker maps
// coverage per test), and the test names do not carry a message a mutant could change.
function makeInstances(): errors.LossesError[] {
  return [
    new errors.LossShapeError('tripletLoss', 'positive', '[4, 8]', [3, 8]),
    new errors.LossValueError('infoNceLoss', 'anchor', 'contains NaN or Infinity', 'Check it.'),
    new errors.LossOptionError('infoNceLoss', 'scale', 0, 'a finite number > 0'),
  ];
}

describe('LossesError subclasses', () => {
  it('cover every exported class, each with its own name and a unique ERR_LOSSES_ code', () => {
    const instances = makeInstances();
    const classes = Object.values(errors).filter(
      (value) => typeof value === 'function' && value !== errors.LossesError,
    );
    expect(instances.map((e) => e.constructor)).toEqual(expect.arrayContaining(classes));
    expect(new Set(instances.map((e) => e.code)).size).toBe(instances.length);
    for (const error of instances) {
      expect(error).toBeInstanceOf(errors.LossesError);
      expect(error).toBeInstanceOf(RtkError);
      expect(error.name).toBe(error.constructor.name);
      expect(error.code).toMatch(/^ERR_LOSSES_[A-Z_]+$/);
    }
  });

  it.each([
    // [class, its index in makeInstances(), code, facts its message must carry]
    [
      'LossShapeError',
      0,
      'ERR_LOSSES_SHAPE',
      // …and how to fix it: the batch-first convention.
      [
        'tripletLoss',
        '"positive"',
        '[3, 8]',
        'expected [4, 8]',
        'batch-first',
        'tf.Tensor2D [batch, dim]',
        'same batch size and dimension',
      ],
    ],
    ['LossValueError', 1, 'ERR_LOSSES_VALUE', ['infoNceLoss', '"anchor"', 'NaN or Infinity']],
    [
      'LossOptionError',
      2,
      'ERR_LOSSES_OPTION',
      ['infoNceLoss', '"scale" is 0', 'a finite number > 0'],
    ],
  ])('%s (#%i) has code %s and names what, where and expected', (name, index, code, facts) => {
    const error = makeInstances()[index]!;
    expect(error.constructor.name).toBe(name);
    expect(error.code).toBe(code);
    for (const fact of facts) expect(error.message).toContain(fact);
  });
});
