// Internal: which measures evaluateRetriever computes, under which labels.
import { formatMeasure, parseMeasure, type Measure } from '@rtk/metrics';
import { DEFAULT_MEASURES } from './default-measures.js';
import { InvalidOptionError } from './errors.js';

/** One measure to compute and the label its results are keyed by. */
export interface PlannedMeasure {
  /** The text as written (trimmed), or `formatMeasure` of an object. */
  readonly label: string;
  readonly measure: Measure;
}

/** Validates the measures asked (or the defaults) against the depth k and the retriever. */
export function planMeasures(
  requested: readonly (Measure | string)[] | undefined,
  k: number,
  canRankFully: boolean,
): PlannedMeasure[] {
  let list: PlannedMeasure[];
  if (requested === undefined) {
    list = DEFAULT_MEASURES.map((m) => {
      const measure: Measure = { ...m, k: Math.min(m.k!, k) };
      return { label: formatMeasure(measure), measure };
    });
    if (canRankFully) list.push({ label: 'mrr', measure: { metric: 'mrr' } });
  } else {
    if (!Array.isArray(requested) || requested.length === 0) {
      throw new InvalidOptionError(
        'measures',
        'a non-empty array of measures',
        requested,
        "Pass e.g. ['ndcg@10', 'recall@100'], or leave it out for the defaults.",
      );
    }
    const items: readonly (Measure | string)[] = requested;
    list = items.map((m) => {
      try {
        if (typeof m === 'string') return { label: m.trim(), measure: parseMeasure(m) };
        const measure = parseMeasure(formatMeasure(m));
        return { label: formatMeasure(measure), measure };
      } catch (cause) {
        throw new InvalidOptionError(
          'measures',
          'known measures',
          m,
          cause instanceof Error ? cause.message : String(cause),
          { cause },
        );
      }
    });
  }
  const unique = new Map<string, PlannedMeasure>();
  for (const planned of list) {
    const { label, measure: m } = planned;
    if (m.k === undefined) {
      if (m.metric !== 'mrr') {
        throw new InvalidOptionError(
          'measures',
          'measures with a cut-off (the run is only k deep)',
          label,
          `Use ${m.metric}@${k} for the whole run, or a smaller cut-off.`,
        );
      }
      if (!canRankFully) {
        throw new InvalidOptionError(
          'measures',
          'computable by this retriever',
          label,
          `Full-ranking MRR needs a retriever with firstRelevantRank(); use mrr@${Math.min(10, k)}.`,
        );
      }
    } else if (m.k > k) {
      throw new InvalidOptionError(
        'measures',
        `measures with cut-offs ≤ k = ${k}`,
        label,
        `Raise k to ${m.k}, or lower the cut-off.`,
      );
    }
    unique.set(label, planned);
  }
  return [...unique.values()];
}
