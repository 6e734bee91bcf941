import { checkMeasure, METRICS, type Measure, type MetricName } from './measure.js';
import { InvalidMeasureError } from './errors.js';

/**
 * Names written `name` or `name@k` besides the {@link METRICS} keys: ranx's spellings that differ
 * from ours. (ranx's `hits`, `precision`, `recall`, `mrr`, `map`, `ndcg` are ours already.)
 */
export const RANX_ALIASES: Readonly<Record<string, MetricName>> = {
  hit_rate: 'hit',
};

/**
 * trec_eval's measure names (as its output prints them) and what they are here. `cutoff: true`
 * means the name takes `_k` (`P_10`, `ndcg_cut_10`); `recip_rank` takes none. trec_eval's `map`
 * and `ndcg` are read by the `name` form, with the same meaning.
 */
export const TREC_EVAL_NAMES: Readonly<
  Record<string, { readonly metric: MetricName; readonly cutoff: boolean }>
> = {
  P: { metric: 'precision', cutoff: true },
  recall: { metric: 'recall', cutoff: true },
  success: { metric: 'hit', cutoff: true },
  ndcg_cut: { metric: 'ndcg', cutoff: true },
  map_cut: { metric: 'map', cutoff: true },
  recip_rank: { metric: 'mrr', cutoff: false },
};

/** `name` or `name@k`: our names and ranx's. */
const AT_FORM = /^([a-z_]+)(?:@(\d+))?$/;
/** trec_eval: `name` or `name_k` (the lazy name leaves a trailing `_k` to the cut-off). */
const TREC_FORM = /^([a-z_]+?)(?:_(\d+))?$/;

const TREC_LOWER = new Map(Object.entries(TREC_EVAL_NAMES).map(([n, v]) => [n.toLowerCase(), v]));

/** Every accepted form, for error messages; built from the tables above, so it cannot drift. */
function acceptedForms(): string {
  const ours = (Object.keys(METRICS) as MetricName[]).map((m) =>
    METRICS[m].cutoff === 'required' ? `${m}@k` : `${m}, ${m}@k`,
  );
  const ranx = Object.keys(RANX_ALIASES).map((n) => `${n}@k`);
  const trec = Object.entries(TREC_EVAL_NAMES).map(([n, v]) => (v.cutoff ? `${n}_k` : n));
  return `${[...ours, ...ranx].join(', ')} (rtk and ranx names); ${[...trec, 'map', 'ndcg'].join(', ')} (trec_eval names)`;
}

/**
 * Parses a measure written as text — for command lines, config files and
 * `evaluate(run, qrels, ['ndcg@10', 'P_10'])` — in the spellings of this package, ranx and
 * trec_eval, case-insensitively, surrounding whitespace ignored. Inverse of {@link formatMeasure}
 * for this package's labels.
 *
 * | Written                                    | Measure                                  |
 * | ------------------------------------------ | ---------------------------------------- |
 * | `recall@k`, trec_eval `recall_k`           | `{ metric: 'recall', k }`                |
 * | `precision@k`, trec_eval `P_k`             | `{ metric: 'precision', k }`             |
 * | `hit@k`, ranx `hit_rate@k`, trec `success_k` | `{ metric: 'hit', k }` (0/1)           |
 * | `hits@k` (ranx)                            | `{ metric: 'hits', k }` (a count)        |
 * | `mrr`, trec_eval `recip_rank`; `mrr@k`     | `{ metric: 'mrr' }`; `{ metric: 'mrr', k }` |
 * | `ndcg`; `ndcg@k`, trec_eval `ndcg_cut_k`   | `{ metric: 'ndcg' }`; `{ metric: 'ndcg', k }` |
 * | `map`; `map@k`, trec_eval `map_cut_k`      | `{ metric: 'map' }`; `{ metric: 'map', k }` |
 *
 * Definitions agree with those tools: nDCG's gain is the grade (ranx `ndcg`, trec_eval; not
 * ranx's `ndcg_burges`); MAP@k divides by |R| (ranx `map@k`, trec_eval `map_cut_k`). Unlike ranx,
 * `recall`, `precision`, `hit` and `hits` need a cut-off.
 *
 * @param text - A measure in one of the forms above, k an integer ≥ 1.
 * @returns The measure, e.g. `{ metric: 'recall', k: 10 }`.
 * @throws {@link InvalidMeasureError} for an unknown name, a missing required k, or a bad k;
 *   the message quotes the text and lists every accepted form.
 * @example
 * ```ts
 * parseMeasure('recall@10'); // { metric: 'recall', k: 10 }
 * parseMeasure('ndcg_cut_10'); // { metric: 'ndcg', k: 10 }
 * parseMeasure('P_5'); // { metric: 'precision', k: 5 }
 * parseMeasure('recip_rank'); // { metric: 'mrr' }
 * parseMeasure('hit_rate@3'); // { metric: 'hit', k: 3 }
 * ```
 */
export function parseMeasure(text: string): Measure {
  const quoted = JSON.stringify(text);
  const input = typeof text === 'string' ? text.trim().toLowerCase() : '';
  const at = AT_FORM.exec(input);
  if (at !== null) {
    const [, name, k] = at as unknown as [string, string, string | undefined];
    const metric = Object.hasOwn(METRICS, name)
      ? name
      : Object.hasOwn(RANX_ALIASES, name)
        ? RANX_ALIASES[name]
        : undefined;
    if (metric !== undefined) {
      return checkMeasure(k === undefined ? { metric } : { metric, k: Number(k) }, quoted);
    }
  }
  const trec = TREC_FORM.exec(input);
  if (trec !== null) {
    const [, name, k] = trec as unknown as [string, string, string | undefined];
    const known = TREC_LOWER.get(name);
    if (known !== undefined) {
      if (!known.cutoff) {
        if (k !== undefined) {
          throw new InvalidMeasureError(
            quoted,
            `trec_eval's ${name} takes no cut-off`,
            `Write "${name}", or e.g. "${known.metric}@${k}" for a cut-off.`,
          );
        }
        return checkMeasure({ metric: known.metric }, quoted);
      }
      if (k === undefined) {
        throw new InvalidMeasureError(
          quoted,
          `trec_eval's ${name} needs a cut-off`,
          `Write it as "${name}_10" (trec_eval) or "${known.metric}@10".`,
        );
      }
      return checkMeasure({ metric: known.metric, k: Number(k) }, quoted);
    }
  }
  const problem =
    at !== null
      ? `unknown metric ${JSON.stringify(at[1])}`
      : trec !== null
        ? `unknown metric ${JSON.stringify(trec[1])}`
        : 'expected "name", "name@k" or trec_eval\'s "name_k", with k an integer ≥ 1';
  throw new InvalidMeasureError(quoted, problem, `Accepted forms: ${acceptedForms()}.`);
}
