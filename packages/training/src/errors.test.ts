import { RtkError } from '@rtk/errors';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

const instances: errors.TrainingError[] = [
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

describe('TrainingError subclasses', () => {
  it('cover every exported class, each with its own name and a unique ERR_TRAINING_ code', () => {
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
    // [error, code, facts its message must carry]
    [
      instances[0]!,
      'ERR_TRAINING_OPTION',
      ['AdamW', '"learningRate" is -1', 'a finite number ≥ 0'],
    ],
    [instances[1]!, 'ERR_TRAINING_GRADIENT', ['AdamW.applyGradients', '"x.weight"', 'Check it.']],
    [
      instances[2]!,
      'ERR_TRAINING_BATCH',
      ['TrainStep.step', '"passages" has 3 rows, expected 4', 'Pair them.'],
    ],
    [
      instances[3]!,
      'ERR_TRAINING_NON_FINITE',
      ['TrainStep.step', 'loss of step 3 is NaN', 'not applied'],
    ],
    [instances[4]!, 'ERR_TRAINING_DATA', ['a.jsonl:7: example 2 has no negative']],
    [instances[5]!, 'ERR_TRAINING_CHECKPOINT', ['runs/a/checkpoint-2', 'trainer_state.json']],
    [
      instances[6]!,
      'ERR_TRAINING_RUN_MISMATCH',
      ['runs/a/checkpoint-2', 'learningRate, data', 'another output folder'],
    ],
  ])('%s has code %s and names what, where and expected', (error, code, facts) => {
    expect(error.code).toBe(code);
    for (const fact of facts) expect(error.message).toContain(fact);
  });
});
