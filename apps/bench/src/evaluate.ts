import type { IndexedText, ProgressCallback, Retriever } from '@rtk/retrieval';
import type { Qrels, Run, ScoredDoc } from '@rtk/metrics';
import { evaluate } from '@rtk/metrics';
import { withProgress } from '@rtk/cli-kit';

/** What a retrieval task evaluates: the shape of `@rtk/datasets`' RetrievalDataset. */
export interface EvalSet {
  readonly corpus: readonly IndexedText[];
  readonly queries: readonly IndexedText[];
  readonly qrels: Qrels;
}

/** Result of {@link evaluateRetriever}. */
export interface RetrievalEvaluation {
  /** Recall@1, Recall@3, Recall@10 and MRR (full ranking when the retriever can, else MRR@10). */
  readonly metrics: Record<string, number>;
  readonly mrrDefinition: 'full ranking' | 'cut at 10';
  readonly evaluatedQueries: number;
  readonly skippedQueries: number;
  readonly timings: Record<string, number>;
}

const CHUNK = 512;

/**
 * The study's cut-off metrics of a top-10 run: Recall@1/3/10 as the study defines it (a query
 * counts when a relevant passage is in its top K: `hit@k`) and MRR@10.
 */
export function studyMetrics(run: Run, qrels: Qrels): Record<string, number> {
  const e = evaluate(run, qrels, [
    { metric: 'hit', k: 1 },
    { metric: 'hit', k: 3 },
    { metric: 'hit', k: 10 },
    { metric: 'mrr', k: 10 },
  ]);
  return {
    'Recall@1': e.means['hit@1'] ?? Number.NaN,
    'Recall@3': e.means['hit@3'] ?? Number.NaN,
    'Recall@10': e.means['hit@10'] ?? Number.NaN,
    'MRR@10': e.means['mrr@10'] ?? Number.NaN,
  };
}

async function inChunks<T>(
  queries: readonly IndexedText[],
  onProgress: ProgressCallback,
  work: (chunk: readonly IndexedText[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < queries.length; start += CHUNK) {
    const chunk = queries.slice(start, start + CHUNK);
    out.push(...(await work(chunk)));
    onProgress(Math.min(start + CHUNK, queries.length), queries.length);
  }
  return out;
}

/**
 * Index the corpus with `retriever`, search every query, and compute the study's metrics:
 * Recall@1/3/10 from the top 10 — as the study defines it, a query counts when any relevant
 * passage is in its top K (`hit@k` in `@rtk/metrics`; equal to recall@k with one relevant
 * passage per query, as in NQ pairs) — and MRR over the full ranking when the retriever offers
 * `firstRelevantRank` (the study's definition), otherwise MRR@10 (labelled as such).
 */
export async function evaluateRetriever(
  retriever: Retriever,
  set: EvalSet,
  label: string,
): Promise<RetrievalEvaluation> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  await withProgress(`${label}: index`, 'docs', (onProgress) =>
    retriever.index(set.corpus, { onProgress }),
  );
  timings.index = (performance.now() - t) / 1000;

  // Relevant passages per query (grade > 0); queries without any are skipped, as in `evaluate`.
  const relevantOf = new Map<string, ReadonlySet<string>>();
  for (const q of set.queries) {
    const ids = [...(set.qrels.get(q.id) ?? [])].filter(([, g]) => g > 0).map(([d]) => d);
    if (ids.length > 0) relevantOf.set(q.id, new Set(ids));
  }
  const judged = set.queries.filter((q) => relevantOf.has(q.id));
  t = performance.now();
  const rankings = await withProgress(`${label}: search`, 'queries', (onProgress) =>
    inChunks(judged, onProgress, (chunk) =>
      retriever.search(
        chunk.map((q) => q.text),
        { k: 10 },
      ),
    ),
  );
  timings.search = (performance.now() - t) / 1000;
  const run = new Map<string, readonly ScoredDoc[]>(
    judged.map((q, i) => [q.id, rankings[i] ?? []]),
  );
  const { 'MRR@10': mrrAt10, ...metrics } = studyMetrics(run, set.qrels);
  let mrrDefinition: RetrievalEvaluation['mrrDefinition'] = 'cut at 10';
  if (retriever.firstRelevantRank !== undefined) {
    const firstRank = retriever.firstRelevantRank.bind(retriever);
    t = performance.now();
    const ranks = await withProgress(`${label}: full ranks`, 'queries', (onProgress) =>
      inChunks(judged, onProgress, (chunk) =>
        firstRank(
          chunk.map((q) => q.text),
          chunk.map((q) => relevantOf.get(q.id)!),
        ),
      ),
    );
    timings.fullRanks = (performance.now() - t) / 1000;
    metrics.MRR =
      ranks.reduce((s, r) => s + (Number.isFinite(r) ? 1 / r : 0), 0) / Math.max(1, ranks.length);
    mrrDefinition = 'full ranking';
  } else {
    metrics['MRR@10'] = mrrAt10 ?? Number.NaN;
  }
  return {
    metrics,
    mrrDefinition,
    evaluatedQueries: judged.length,
    skippedQueries: set.queries.length - judged.length,
    timings,
  };
}
