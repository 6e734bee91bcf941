import type { Measure } from '@rtk/metrics';

/**
 * The default measures of {@link evaluateRetriever} (cut-offs capped at its `k`): the study's
 * hit@1/3/10 and mrr@10, true recall@10 and recall@100 (fraction of the relevant documents
 * retrieved), nDCG@10 and MAP@100 (sentence-transformers' and BEIR's headline numbers).
 */
export const DEFAULT_MEASURES: readonly Measure[] = [
  { metric: 'hit', k: 1 },
  { metric: 'hit', k: 3 },
  { metric: 'hit', k: 10 },
  { metric: 'recall', k: 10 },
  { metric: 'recall', k: 100 },
  { metric: 'mrr', k: 10 },
  { metric: 'ndcg', k: 10 },
  { metric: 'map', k: 100 },
];
