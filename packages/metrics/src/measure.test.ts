import { describe, expect, it } from 'vitest';
import { InvalidMeasureError } from './errors.js';
import { checkMeasure, formatMeasure, METRICS, type Measure } from './measure.js';

describe('formatMeasure', () => {
  it.each<[Measure, string]>([
    [{ metric: 'recall', k: 10 }, 'recall@10'],
    [{ metric: 'ndcg', k: 5 }, 'ndcg@5'],
    [{ metric: 'mrr' }, 'mrr'],
    [{ metric: 'map', k: 100 }, 'map@100'],
  ])('%j → %s', (measure, label) => {
    expect(formatMeasure(measure)).toBe(label);
  });
});

describe('checkMeasure', () => {
  it('returns a normalised copy', () => {
    expect(checkMeasure({ metric: 'mrr', k: undefined, extra: 1 })).toEqual({ metric: 'mrr' });
    expect(checkMeasure({ metric: 'hit', k: 3 })).toEqual({ metric: 'hit', k: 3 });
  });

  it.each([
    [{ metric: 'recal', k: 10 }, 'unknown metric'],
    [{ metric: 'recall' }, 'needs a cut-off'],
    [{ metric: 'precision', k: 0 }, 'integer ≥ 1'],
    [{ metric: 'mrr', k: '10' }, 'integer ≥ 1'],
    [{ metric: 'toString', k: 1 }, 'unknown metric'], // not fooled by Object.prototype
    [null, 'expected an object'],
  ])('rejects %j', (measure, fact) => {
    expect(() => checkMeasure(measure)).toThrow(InvalidMeasureError);
    expect(() => checkMeasure(measure)).toThrow(fact);
  });

  it('lists every valid metric name in the message, from METRICS', () => {
    expect(() => checkMeasure({ metric: 'nope' })).toThrow(Object.keys(METRICS).join(', '));
  });
});

describe('checkMeasure messages (whole text, code and field)', () => {
  function thrown(measure: unknown, label?: string): InvalidMeasureError {
    try {
      checkMeasure(measure, label);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidMeasureError);
      return error as InvalidMeasureError;
    }
    throw new Error(`checkMeasure(${String(measure)}) did not throw`);
  }

  it.each<[unknown, string, string]>([
    [
      null,
      'null',
      "Invalid measure null: expected an object. Write it as { metric: 'recall', k: 10 }.",
    ],
    [
      'recall@10',
      '"recall@10"',
      'Invalid measure "recall@10": expected an object. ' +
        "Write it as { metric: 'recall', k: 10 }.",
    ],
    [42, '42', "Invalid measure 42: expected an object. Write it as { metric: 'recall', k: 10 }."],
    [
      undefined,
      'undefined',
      "Invalid measure undefined: expected an object. Write it as { metric: 'recall', k: 10 }.",
    ],
  ])('rejects the non-object %j', (measure, shown, message) => {
    const error = thrown(measure);
    expect(error.code).toBe('ERR_METRICS_INVALID_MEASURE');
    expect(error.measure).toBe(shown);
    expect(error.message).toBe(message);
  });

  it.each<[unknown, string]>([
    [
      { metric: 'recal', k: 10 },
      'Invalid measure {"metric":"recal","k":10}: unknown metric "recal". ' +
        'Valid metrics: recall, precision, hit, hits, mrr, ndcg, map.',
    ],
    [
      { metric: 'toString', k: 1 },
      'Invalid measure {"metric":"toString","k":1}: unknown metric "toString". ' +
        'Valid metrics: recall, precision, hit, hits, mrr, ndcg, map.',
    ],
    [
      { metric: 3, k: 1 },
      'Invalid measure {"metric":3,"k":1}: unknown metric 3. ' +
        'Valid metrics: recall, precision, hit, hits, mrr, ndcg, map.',
    ],
    [
      { k: 1 },
      'Invalid measure {"k":1}: unknown metric undefined. ' +
        'Valid metrics: recall, precision, hit, hits, mrr, ndcg, map.',
    ],
  ])('rejects the unknown metric of %j', (measure, message) => {
    const error = thrown(measure);
    expect(error.code).toBe('ERR_METRICS_INVALID_MEASURE');
    expect(error.measure).toBe(JSON.stringify(measure));
    expect(error.message).toBe(message);
  });

  it.each(['recall', 'precision', 'hit', 'hits'])('rejects %s without k', (metric) => {
    const error = thrown({ metric });
    expect(error.code).toBe('ERR_METRICS_INVALID_MEASURE');
    expect(error.measure).toBe(`{"metric":"${metric}"}`);
    expect(error.message).toBe(
      `Invalid measure {"metric":"${metric}"}: ${metric} needs a cut-off k. ` +
        `Add one, e.g. { metric: '${metric}', k: 10 }; only mrr, ndcg, map may omit it.`,
    );
  });

  it.each<[unknown, string]>([
    [0, '0'],
    [-1, '-1'],
    [1.5, '1.5'],
    [0.5, '0.5'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['10', '"10"'],
    [null, 'null'],
    [true, 'true'],
  ])('rejects the cut-off k %j', (k, received) => {
    for (const metric of ['precision', 'ndcg']) {
      const error = thrown({ metric, k }, 'the measure');
      expect(error.code).toBe('ERR_METRICS_INVALID_MEASURE');
      expect(error.measure).toBe('the measure');
      expect(error.message).toBe(
        `Invalid measure the measure: cut-off k must be an integer ≥ 1, received ${received}. ` +
          `Use e.g. { metric: '${metric}', k: 10 }.`,
      );
    }
  });

  it('accepts every metric with an integer k ≥ 1, and the optional ones without', () => {
    for (const metric of Object.keys(METRICS)) {
      expect(checkMeasure({ metric, k: 1 })).toEqual({ metric, k: 1 });
    }
    for (const metric of ['mrr', 'ndcg', 'map']) {
      expect(checkMeasure({ metric })).toEqual({ metric });
    }
  });
});
