import { InvalidMeasureError } from './errors.js';

/**
 * Every metric {@link evaluate} computes, with whether its cut-off `k` is required. This table
 * is the single list of valid names: validation and error messages read it.
 *
 * - `recall`, `precision`, `hit`, `hits`: need `k`.
 * - `mrr`, `ndcg`, `map`: `k` optional; without it the full ranking given is used.
 *
 * `hit` is 0/1 (a relevant document in the top k; ranx `hit_rate`, trec_eval `success`);
 * `hits` counts them (ranx `hits`).
 */
export const METRICS = {
  recall: { cutoff: 'required' },
  precision: { cutoff: 'required' },
  hit: { cutoff: 'required' },
  hits: { cutoff: 'required' },
  mrr: { cutoff: 'optional' },
  ndcg: { cutoff: 'optional' },
  map: { cutoff: 'optional' },
} as const;

/** Name of a metric {@link evaluate} computes: a key of {@link METRICS}. */
export type MetricName = keyof typeof METRICS;

/** A metric whose cut-off is required. */
export type CutoffMetricName = 'recall' | 'precision' | 'hit' | 'hits';

/** A metric whose cut-off is optional (absent = the full ranking given). */
export type FullRankingMetricName = 'mrr' | 'ndcg' | 'map';

/**
 * One measure for {@link evaluate}: a metric and its cut-off, e.g. `{ metric: 'recall', k: 10 }`
 * or `{ metric: 'mrr' }` (full ranking).
 */
export type Measure =
  | { readonly metric: CutoffMetricName; readonly k: number }
  | { readonly metric: FullRankingMetricName; readonly k?: number | undefined };

const NAMES = Object.keys(METRICS) as MetricName[];

function isMetricName(name: unknown): name is MetricName {
  return typeof name === 'string' && Object.hasOwn(METRICS, name);
}

/**
 * Label of a measure, used as key in {@link Evaluation} results: `metric@k`, or the bare metric
 * name without a cut-off. {@link parseMeasure} reads labels back.
 *
 * @example
 * ```ts
 * formatMeasure({ metric: 'ndcg', k: 10 }); // 'ndcg@10'
 * formatMeasure({ metric: 'mrr' }); // 'mrr'
 * ```
 */
export function formatMeasure(measure: Measure): string {
  return measure.k === undefined ? measure.metric : `${measure.metric}@${measure.k}`;
}

/**
 * Validates a measure given at run time (e.g. from JSON) and returns it normalised (no extra
 * properties, `k` absent rather than undefined).
 */
export function checkMeasure(measure: unknown, label?: string): Measure {
  const shown = label ?? JSON.stringify(measure) ?? String(measure);
  if (typeof measure !== 'object' || measure === null) {
    throw new InvalidMeasureError(
      shown,
      'expected an object',
      "Write it as { metric: 'recall', k: 10 }.",
    );
  }
  const { metric, k } = measure as { metric?: unknown; k?: unknown };
  if (!isMetricName(metric)) {
    throw new InvalidMeasureError(
      shown,
      `unknown metric ${JSON.stringify(metric)}`,
      `Valid metrics: ${NAMES.join(', ')}.`,
    );
  }
  if (k === undefined) {
    if (METRICS[metric].cutoff === 'required') {
      throw new InvalidMeasureError(
        shown,
        `${metric} needs a cut-off k`,
        `Add one, e.g. { metric: '${metric}', k: 10 }; only ${NAMES.filter((n) => METRICS[n].cutoff === 'optional').join(', ')} may omit it.`,
      );
    }
    return { metric: metric as FullRankingMetricName };
  }
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new InvalidMeasureError(
      shown,
      `cut-off k must be an integer ≥ 1, received ${typeof k === 'number' ? k : JSON.stringify(k)}`,
      `Use e.g. { metric: '${metric}', k: 10 }.`,
    );
  }
  return { metric, k };
}
