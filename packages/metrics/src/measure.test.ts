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
