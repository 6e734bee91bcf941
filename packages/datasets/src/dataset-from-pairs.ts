import { checkPairs } from './_check-pairs.js';
import type { Pair, RetrievalDataset, TextItem } from './types.js';

/** Options for {@link datasetFromPairs}. */
export interface DatasetFromPairsOptions {
  /** Dataset name for reports. Default `'pairs'`. */
  readonly name?: string;
}

/**
 * Build a retrieval test set from (query, passage) pairs, the way Natural Questions pairs are
 * evaluated:
 *
 * - Corpus: the distinct passages, merged by exact text, with ids `p0, p1, …` in first-seen order.
 * - Queries: the distinct query texts (duplicates grouped), ids `q0, q1, …` in first-seen order.
 * - Qrels: each query → every passage id that answers it in some pair, grade 1. A passage shared by
 *   several queries is one corpus entry relevant to each of them.
 *
 * Related: {@link splitPairs} splits pairs first (so each side becomes its own dataset);
 * {@link loadBeir} reads datasets that already have ids and qrels.
 *
 * @throws {@link DatasetArgumentError} when a pair's query or passage is not a non-empty string.
 * @example
 * ```ts
 * const ds = datasetFromPairs([
 *   { query: 'who wrote hamlet', passage: 'Hamlet Hamlet is a tragedy by William Shakespeare.' },
 *   { query: 'author of hamlet', passage: 'Hamlet Hamlet is a tragedy by William Shakespeare.' },
 *   { query: 'capital of peru', passage: 'Lima Lima is the capital of Peru.' },
 * ]);
 * ds.corpus;  // [{ id: 'p0', text: 'Hamlet …' }, { id: 'p1', text: 'Lima …' }]
 * ds.queries; // [{ id: 'q0', … }, { id: 'q1', … }, { id: 'q2', … }]
 * ds.qrels;   // q0 → {p0: 1}, q1 → {p0: 1}, q2 → {p1: 1}
 * ```
 */
export function datasetFromPairs(
  pairs: readonly Pair[],
  options: DatasetFromPairsOptions = {},
): RetrievalDataset {
  checkPairs(pairs, 'datasetFromPairs');
  const passageIds = new Map<string, string>();
  const queryIds = new Map<string, string>();
  const corpus: TextItem[] = [];
  const queries: TextItem[] = [];
  const qrels = new Map<string, Map<string, number>>();
  for (const { query, passage } of pairs) {
    let pid = passageIds.get(passage);
    if (pid === undefined) {
      pid = `p${corpus.length}`;
      passageIds.set(passage, pid);
      corpus.push({ id: pid, text: passage });
    }
    let qid = queryIds.get(query);
    let judged = qid === undefined ? undefined : qrels.get(qid);
    if (qid === undefined || judged === undefined) {
      qid = `q${queries.length}`;
      queryIds.set(query, qid);
      queries.push({ id: qid, text: query });
      judged = new Map();
      qrels.set(qid, judged);
    }
    judged.set(pid, 1);
  }
  return { name: options.name ?? 'pairs', corpus, queries, qrels };
}
