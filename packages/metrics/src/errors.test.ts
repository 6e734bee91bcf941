import { describe, expect, it } from 'vitest';
import { RtkError } from '@rtk/errors';
import * as errors from './errors.js';

const instances: errors.MetricsError[] = [
  new errors.InvalidCutoffError(0, 'recall'),
  new errors.NonFiniteScoreError(3, NaN, 'rankByScore'),
  new errors.LengthMismatchError(3, 2, 'rankByScore'),
  new errors.InvalidIndexError(5, 4, 'rankOf'),
  new errors.DuplicateDocumentError('d1', 0, 4, 'q1', 'evaluate'),
  new errors.InvalidGradeError('d1', NaN, 'q1', 'a finite number', 'evaluate'),
  new errors.NoRelevantDocumentsError('recall'),
  new errors.EmptyEvaluationError(2, 2, 0),
  new errors.InvalidMeasureError('"x"', 'unknown metric', 'Use recall.'),
  new errors.TrecParseError('run.trec', 7, 'q1 Q0', 'found 2 fields', '6 fields'),
  new errors.TrecWriteError('q 1', 'whitespace', 'Rename it.'),
  new errors.InvalidRankError(0, 5, 'meanReciprocalRank'),
];

describe('MetricsError subclasses', () => {
  it('cover every exported class, each with its own name and a unique stable code', () => {
    const classes = Object.values(errors).filter(
      (value) => typeof value === 'function' && value !== errors.MetricsError,
    );
    expect(instances.map((e) => e.constructor)).toEqual(expect.arrayContaining(classes));
    expect(new Set(instances.map((e) => e.code)).size).toBe(instances.length);
    for (const error of instances) {
      expect(error).toBeInstanceOf(errors.MetricsError);
      expect(error).toBeInstanceOf(RtkError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
      expect(error.code).toMatch(/^ERR_METRICS_[A-Z_]+$/);
    }
  });

  it.each([
    // [error, facts its message must carry]
    [instances[0]!, ['recall', '0', 'integer ≥ 1']],
    [instances[1]!, ['index 3', 'NaN']],
    [instances[3]!, ['rankOf', 'received 5', '[0, 4)']],
    [instances[4]!, ['"d1"', '"q1"', '0 and 4']],
    [instances[5]!, ['"d1"', '"q1"', 'NaN']],
    [instances[9]!, ['run.trec:7', 'q1 Q0', '6 fields']],
    [instances[11]!, ['meanReciprocalRank', 'index 5', 'received 0', 'Infinity']],
  ])('%s names what, where and expected', (error, facts) => {
    for (const fact of facts) expect(error.message).toContain(fact);
  });
});
