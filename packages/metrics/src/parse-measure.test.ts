import { describe, expect, it } from 'vitest';
import { InvalidMeasureError } from './errors.js';
import { formatMeasure, METRICS, type Measure } from './measure.js';
import { parseMeasure, RANX_ALIASES, TREC_EVAL_NAMES } from './parse-measure.js';

describe('parseMeasure', () => {
  it.each<[string, Measure]>([
    // This package's labels (formatMeasure's output).
    ['recall@10', { metric: 'recall', k: 10 }],
    ['precision@1', { metric: 'precision', k: 1 }],
    ['hit@3', { metric: 'hit', k: 3 }],
    ['mrr', { metric: 'mrr' }],
    ['MRR@10', { metric: 'mrr', k: 10 }],
    [' ndcg@10 ', { metric: 'ndcg', k: 10 }],
    ['map', { metric: 'map' }],
    ['map@100', { metric: 'map', k: 100 }],
  ])('reads our label %j', (text, measure) => {
    expect(parseMeasure(text)).toEqual(measure);
  });

  // ranx's names (ranx/metrics/__init__.py metric_switch, `name@k` as ranx/meta/evaluate.py
  // splits them): hits is a count, hit_rate is 0/1.
  it.each<[string, Measure]>([
    ['precision@5', { metric: 'precision', k: 5 }],
    ['recall@100', { metric: 'recall', k: 100 }],
    ['hits@10', { metric: 'hits', k: 10 }],
    ['hit_rate@10', { metric: 'hit', k: 10 }],
    ['mrr', { metric: 'mrr' }],
    ['mrr@10', { metric: 'mrr', k: 10 }],
    ['map', { metric: 'map' }],
    ['map@100', { metric: 'map', k: 100 }],
    ['ndcg', { metric: 'ndcg' }],
    ['ndcg@10', { metric: 'ndcg', k: 10 }],
  ])('reads ranx %j', (text, measure) => {
    expect(parseMeasure(text)).toEqual(measure);
  });

  // trec_eval's names as its output prints them (`P_10`, `ndcg_cut_10`, …).
  it.each<[string, Measure]>([
    ['P_10', { metric: 'precision', k: 10 }],
    ['recall_10', { metric: 'recall', k: 10 }],
    ['ndcg_cut_10', { metric: 'ndcg', k: 10 }],
    ['map_cut_100', { metric: 'map', k: 100 }],
    ['recip_rank', { metric: 'mrr' }],
    ['map', { metric: 'map' }],
    ['ndcg', { metric: 'ndcg' }],
    ['success_10', { metric: 'hit', k: 10 }],
    ['success_1', { metric: 'hit', k: 1 }],
    ['p_5', { metric: 'precision', k: 5 }],
  ])('reads trec_eval %j', (text, measure) => {
    expect(parseMeasure(text)).toEqual(measure);
  });

  it('reads back every label formatMeasure writes', () => {
    for (const metric of Object.keys(METRICS) as (keyof typeof METRICS)[]) {
      const measure = { metric, k: 7 } as Measure;
      expect(parseMeasure(formatMeasure(measure))).toEqual(measure);
    }
  });

  it('reads every name of its alias tables', () => {
    for (const [name, metric] of Object.entries(RANX_ALIASES)) {
      expect(parseMeasure(`${name}@4`)).toEqual({ metric, k: 4 });
    }
    for (const [name, { metric, cutoff }] of Object.entries(TREC_EVAL_NAMES)) {
      expect(parseMeasure(cutoff ? `${name}_4` : name)).toEqual(
        cutoff ? { metric, k: 4 } : { metric },
      );
    }
  });

  it.each([
    ['recal@10', 'unknown metric "recal"'],
    ['recall', 'needs a cut-off'],
    ['hits', 'needs a cut-off'],
    ['ndcg_cut', 'needs a cut-off'],
    ['P', 'needs a cut-off'],
    ['recip_rank_10', 'takes no cut-off'],
    ['P@10', 'unknown metric "p"'],
    ['recall@0', 'integer ≥ 1'],
    ['P_0', 'integer ≥ 1'],
    ['recall@-1', 'integer ≥ 1'],
    ['ndcg@1.5', 'integer ≥ 1'],
    ['toString@1', 'unknown metric'], // not fooled by Object.prototype
    ['constructor', 'unknown metric'],
    ['', 'name@k'],
  ])('rejects %j, quoting it', (text, fact) => {
    expect(() => parseMeasure(text)).toThrow(InvalidMeasureError);
    expect(() => parseMeasure(text)).toThrow(fact);
    expect(() => parseMeasure(text)).toThrow(JSON.stringify(text));
  });

  it('lists every accepted form in the message, from the tables that validate', () => {
    const error = (() => {
      try {
        parseMeasure('nope');
      } catch (e) {
        return e as InvalidMeasureError;
      }
      throw new Error('parseMeasure("nope") did not throw');
    })();
    expect(error.code).toBe('ERR_METRICS_INVALID_MEASURE');
    for (const metric of Object.keys(METRICS)) expect(error.message).toContain(`${metric}@k`);
    for (const name of Object.keys(RANX_ALIASES)) expect(error.message).toContain(`${name}@k`);
    for (const [name, { cutoff }] of Object.entries(TREC_EVAL_NAMES)) {
      expect(error.message).toContain(cutoff ? `${name}_k` : name);
    }
  });
});

describe('parseMeasure messages (whole text, code and field)', () => {
  const FORMS =
    'Accepted forms: recall@k, precision@k, hit@k, hits@k, mrr, mrr@k, ndcg, ndcg@k, map, map@k, ' +
    'hit_rate@k (rtk and ranx names); ' +
    'P_k, recall_k, success_k, ndcg_cut_k, map_cut_k, recip_rank, map, ndcg (trec_eval names).';

  function thrown(text: unknown): InvalidMeasureError {
    try {
      parseMeasure(text as string);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidMeasureError);
      return error as InvalidMeasureError;
    }
    throw new Error(`parseMeasure(${String(text)}) did not throw`);
  }

  it.each<[unknown, string]>([
    ['nope', `Invalid measure "nope": unknown metric "nope". ${FORMS}`],
    ['recal@10', `Invalid measure "recal@10": unknown metric "recal". ${FORMS}`],
    // Not the @ form (digits after _), but trec_eval's name_k with an unknown name.
    ['foo_10', `Invalid measure "foo_10": unknown metric "foo". ${FORMS}`],
    ['nDCG_Cutt_5', `Invalid measure "nDCG_Cutt_5": unknown metric "ndcg_cutt". ${FORMS}`],
    [
      'ndcg@',
      'Invalid measure "ndcg@": expected "name", "name@k" or trec_eval\'s "name_k", ' +
        `with k an integer ≥ 1. ${FORMS}`,
    ],
    [
      '',
      'Invalid measure "": expected "name", "name@k" or trec_eval\'s "name_k", ' +
        `with k an integer ≥ 1. ${FORMS}`,
    ],
    // Not a string (from JSON, say): the same error, not a TypeError.
    [
      42,
      'Invalid measure 42: expected "name", "name@k" or trec_eval\'s "name_k", ' +
        `with k an integer ≥ 1. ${FORMS}`,
    ],
    [
      null,
      'Invalid measure null: expected "name", "name@k" or trec_eval\'s "name_k", ' +
        `with k an integer ≥ 1. ${FORMS}`,
    ],
    [
      { metric: 'recall', k: 10 },
      'Invalid measure {"metric":"recall","k":10}: expected "name", "name@k" or ' +
        `trec_eval's "name_k", with k an integer ≥ 1. ${FORMS}`,
    ],
  ])('rejects %j with the list of accepted forms', (text, message) => {
    const error = thrown(text);
    expect(error.code).toBe('ERR_METRICS_INVALID_MEASURE');
    expect(error.measure).toBe(JSON.stringify(text));
    expect(error.message).toBe(message);
  });

  it.each<[string, string]>([
    [
      'recip_rank_10',
      'Invalid measure "recip_rank_10": trec_eval\'s recip_rank takes no cut-off. ' +
        'Write "recip_rank", or e.g. "mrr@10" for a cut-off.',
    ],
    [
      'P',
      'Invalid measure "P": trec_eval\'s p needs a cut-off. ' +
        'Write it as "p_10" (trec_eval) or "precision@10".',
    ],
    [
      'ndcg_cut',
      'Invalid measure "ndcg_cut": trec_eval\'s ndcg_cut needs a cut-off. ' +
        'Write it as "ndcg_cut_10" (trec_eval) or "ndcg@10".',
    ],
    [
      'recall',
      'Invalid measure "recall": recall needs a cut-off k. ' +
        "Add one, e.g. { metric: 'recall', k: 10 }; only mrr, ndcg, map may omit it.",
    ],
    [
      'P_0',
      'Invalid measure "P_0": cut-off k must be an integer ≥ 1, received 0. ' +
        "Use e.g. { metric: 'precision', k: 10 }.",
    ],
  ])('rejects %j with its own fix', (text, message) => {
    const error = thrown(text);
    expect(error.code).toBe('ERR_METRICS_INVALID_MEASURE');
    expect(error.measure).toBe(JSON.stringify(text));
    expect(error.message).toBe(message);
  });
});
