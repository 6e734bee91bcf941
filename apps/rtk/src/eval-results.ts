import type { RetrieverEvaluation } from '@rtk/evaluation';

/** How `rtk eval` labels the measures beyond the study's (which come labelled). */
function label(measure: string): string {
  const [metric, k] = measure.split('@');
  const at = k === undefined ? '' : `@${k}`;
  switch (metric) {
    case 'ndcg':
      return `nDCG${at}`;
    case 'map':
      return `MAP${at}`;
    // The study's "Recall@K" is hit@k; the fraction of relevant documents retrieved is named apart.
    case 'recall':
      return `Recall${at} (true)`;
    case 'precision':
      return `P${at}`;
    default:
      return measure;
  }
}

/**
 * The rows `rtk eval` prints: the study's Recall@1/3/10 (hit@k) and MRR (full ranking, or
 * MRR@10 when the retriever cannot rank fully), then nDCG@10, MAP@100 and true recall.
 */
export function tableRows(evaluation: RetrieverEvaluation): Record<string, number> {
  const rows: Record<string, number> = { ...evaluation.study };
  for (const [measure, value] of Object.entries(evaluation.means)) {
    if (measure.startsWith('hit@') || measure === 'mrr' || measure.startsWith('mrr@')) continue;
    rows[label(measure)] = value;
  }
  return rows;
}

/** What the results JSON records besides the evaluation itself. */
export interface ResultsContext {
  readonly version: string;
  readonly command: string;
  readonly startedAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly retriever: Readonly<Record<string, unknown>>;
  readonly depth: number;
  /** Path of the TREC run written, or null. */
  readonly run: string | null;
  readonly tag: string;
}

/**
 * The results JSON of `rtk eval`: the printed metrics, every mean by measure label, the MRR
 * definition used, the per-query values, sizes, timings and everything needed to reproduce the
 * run (command, version, data, retriever settings, depth).
 */
export function resultsJson(
  evaluation: RetrieverEvaluation,
  context: ResultsContext,
): Record<string, unknown> {
  return {
    tool: 'rtk eval',
    version: context.version,
    command: context.command,
    startedAt: context.startedAt,
    dataset: evaluation.dataset,
    data: context.data,
    retriever: evaluation.retriever,
    settings: { ...context.retriever, depth: context.depth },
    metrics: tableRows(evaluation),
    means: evaluation.means,
    mrr: { definition: evaluation.mrr.definition, label: evaluation.mrr.label },
    evaluatedQueries: evaluation.evaluatedQueries,
    skippedQueryIds: evaluation.skippedQueryIds,
    timings: evaluation.timings,
    run: context.run === null ? null : { path: context.run, tag: context.tag, format: 'TREC' },
    perQuery: Object.fromEntries(evaluation.perQuery),
  };
}
