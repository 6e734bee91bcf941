import { RtkError } from '@rtk/errors';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

// Built inside each test, not at import: a test reaches the messages it checks (Stryker maps
// coverage per test), and the test names do not carry a message a mutant could change.
function makeInstances(): errors.TrainingError[] {
  return [
    new errors.TrainingOptionError('AdamW', 'learningRate', -1, 'a finite number ≥ 0'),
    new errors.GradientError('AdamW.applyGradients', 'x.weight', 'names no variable', 'Check it.'),
    new errors.TrainingBatchError(
      'TrainStep.step',
      'passages',
      'has 3 rows, expected 4',
      'Pair them.',
    ),
    new errors.NonFiniteError('TrainStep.step', 3, 'loss', NaN),
    new errors.TrainingDataError('example 2 has no negative', { file: 'a.jsonl', line: 7 }),
    new errors.CheckpointError('runs/a/checkpoint-2', 'unreadable trainer_state.json'),
    new errors.RunMismatchError('runs/a/checkpoint-2', ['learningRate', 'data']),
  ];
}

describe('TrainingError subclasses', () => {
  it('cover every exported class, each with its own name and a unique ERR_TRAINING_ code', () => {
    const instances = makeInstances();
    const classes = Object.values(errors).filter(
      (value) => typeof value === 'function' && value !== errors.TrainingError,
    );
    expect(instances.map((e) => e.constructor)).toEqual(expect.arrayContaining(classes));
    expect(new Set(instances.map((e) => e.code)).size).toBe(instances.length);
    for (const error of instances) {
      expect(error).toBeInstanceOf(errors.TrainingError);
      expect(error).toBeInstanceOf(RtkError);
      expect(error.name).toBe(error.constructor.name);
      expect(error.code).toMatch(/^ERR_TRAINING_[A-Z_]+$/);
    }
  });

  it.each([
    // [class, its index in makeInstances(), code]
    ['TrainingOptionError', 0, 'ERR_TRAINING_OPTION'],
    ['GradientError', 1, 'ERR_TRAINING_GRADIENT'],
    ['TrainingBatchError', 2, 'ERR_TRAINING_BATCH'],
    ['NonFiniteError', 3, 'ERR_TRAINING_NON_FINITE'],
    ['TrainingDataError', 4, 'ERR_TRAINING_DATA'],
    ['CheckpointError', 5, 'ERR_TRAINING_CHECKPOINT'],
    ['RunMismatchError', 6, 'ERR_TRAINING_RUN_MISMATCH'],
  ])('%s (#%i) has code %s', (name, index, code) => {
    const error = makeInstances()[index]!;
    expect(error.constructor.name).toBe(name);
    expect(error.code).toBe(code);
  });

  it('say what, where, what was expected and how to fix it, whole', () => {
    expect(makeInstances().map((error) => error.message)).toEqual([
      'AdamW: option "learningRate" is -1, expected a finite number ≥ 0.',
      'AdamW.applyGradients: gradient for variable "x.weight" names no variable. Check it.',
      'TrainStep.step: batch field "passages" has 3 rows, expected 4. Pair them.',
      'TrainStep.step: the loss of step 3 is NaN; the step was not applied. ' +
        'Lower the learning rate or check the data of this step.',
      'a.jsonl:7: example 2 has no negative',
      'checkpoint runs/a/checkpoint-2: unreadable trainer_state.json',
      'runs/a/checkpoint-2 belongs to a different run (differs in: learningRate, data); it was not ' +
        'resumed. Use another output folder, or remove this one to start over.',
    ]);
  });

  it('carry the facts as fields', () => {
    const [option, gradient, batch, nonFinite, data, checkpoint, mismatch] = makeInstances() as [
      errors.TrainingOptionError,
      errors.GradientError,
      errors.TrainingBatchError,
      errors.NonFiniteError,
      errors.TrainingDataError,
      errors.CheckpointError,
      errors.RunMismatchError,
    ];
    expect([option.where, option.option, option.value]).toEqual(['AdamW', 'learningRate', -1]);
    expect(gradient.variable).toBe('x.weight');
    expect(batch.field).toBe('passages');
    expect([nonFinite.step, nonFinite.quantity]).toEqual([3, 'loss']);
    expect([data.file, data.line]).toEqual(['a.jsonl', 7]);
    expect(checkpoint.path).toBe('runs/a/checkpoint-2');
    expect([mismatch.checkpoint, mismatch.differences]).toEqual([
      'runs/a/checkpoint-2',
      ['learningRate', 'data'],
    ]);
  });

  it('give a non-finite error its own fix when one is passed', () => {
    const error = new errors.NonFiniteError('W', 1, 'gradient norm', Infinity, 'Clip it.');
    expect(error.message).toBe(
      'W: the gradient norm of step 1 is Infinity; the step was not applied. Clip it.',
    );
  });

  it.each<[{ file?: string; line?: number }, string]>([
    // [where the data error is, its message prefix]
    [{}, ''],
    [{ file: 'a.jsonl' }, 'a.jsonl: '],
    [{ line: 7 }, ''],
    [{ file: 'a.jsonl', line: 7 }, 'a.jsonl:7: '],
  ])('place a data error at %j with the prefix %j', (at, prefix) => {
    const error = new errors.TrainingDataError('bad', at);
    expect(error.message).toBe(`${prefix}bad`);
    expect([error.file, error.line]).toEqual([at.file, at.line]);
  });

  it('keep a data error without a place, and a checkpoint error with its cause', () => {
    expect(new errors.TrainingDataError('bad').message).toBe('bad');
    const cause = new Error('disk');
    expect(new errors.CheckpointError('c', 'unreadable', { cause }).cause).toBe(cause);
  });
});
