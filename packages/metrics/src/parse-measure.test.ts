import { describe, expect, it } from 'vitest';
import { InvalidMeasureError } from './errors.js';
import { formatMeasure, METRICS, type Measure } from './measure.js';
import { parseMeasure } from './parse-measure.js';

describe('parseMeasure', () => {
  it.each<[string, Measure]>([
    ['recall@10', { metric: 'recall', k: 10 }],
    ['precision@1', { metric: 'precision', k: 1 }],
    ['hit@3', { metric: 'hit', k: 3 }],
    ['mrr', { metric: 'mrr' }],
    ['MRR@10', { metric: 'mrr', k: 10 }],
    [' ndcg@10 ', { metric: 'ndcg', k: 10 }],
    ['map', { metric: 'map' }],
    ['map@100', { metric: 'map', k: 100 }],
  ])('%j → %j', (text, measure) => {
    expect(parseMeasure(text)).toEqual(measure);
  });

  it('reads back every label formatMeasure writes', () => {
    for (const metric of Object.keys(METRICS) as (keyof typeof METRICS)[]) {
      const measure = { metric, k: 7 } as Measure;
      expect(parseMeasure(formatMeasure(measure))).toEqual(measure);
    }
  });

  it.each([
    ['recal@10', 'unknown metric'],
    ['recall', 'needs a cut-off'],
    ['recall@0', 'integer ≥ 1'],
    ['recall@-1', 'name@k'],
    ['ndcg@1.5', 'name@k'],
    ['', 'name@k'],
  ])('rejects %j, quoting it', (text, fact) => {
    expect(() => parseMeasure(text)).toThrow(InvalidMeasureError);
    expect(() => parseMeasure(text)).toThrow(fact);
    expect(() => parseMeasure(text)).toThrow(JSON.stringify(text));
  });
});
