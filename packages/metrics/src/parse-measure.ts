import { checkMeasure, METRICS, type Measure } from './measure.js';
import { InvalidMeasureError } from './errors.js';

const PATTERN = /^([a-z]+)(?:@(\d+))?$/;

/**
 * Parses a measure label such as `recall@10`, `ndcg@10`, `mrr` or `mrr@10` — for command lines
 * and config files; code should pass {@link Measure} objects. Names are the keys of
 * {@link METRICS}, case-insensitive; surrounding whitespace is ignored. Inverse of
 * {@link formatMeasure}.
 *
 * @param text - `name` or `name@k` with k an integer ≥ 1.
 * @returns The measure, e.g. `{ metric: 'recall', k: 10 }`.
 * @throws {@link InvalidMeasureError} for an unknown name, a missing required k, or a bad k;
 *   the message lists the valid names.
 * @example
 * ```ts
 * parseMeasure('recall@10'); // { metric: 'recall', k: 10 }
 * parseMeasure('MRR'); // { metric: 'mrr' }
 * ['recall@1', 'mrr'].map(parseMeasure); // for evaluate()
 * ```
 */
export function parseMeasure(text: string): Measure {
  const match = PATTERN.exec(text.trim().toLowerCase());
  if (match === null) {
    throw new InvalidMeasureError(
      JSON.stringify(text),
      'expected "name" or "name@k"',
      `Write e.g. "recall@10" or "mrr"; names: ${Object.keys(METRICS).join(', ')}.`,
    );
  }
  const [, metric, k] = match;
  const measure = k === undefined ? { metric } : { metric, k: Number(k) };
  return checkMeasure(measure, JSON.stringify(text));
}
