import { Bm25Retriever, TfidfRetriever } from '@rtk/tfidf';
import type { RetrievalDataset } from '@rtk/datasets';
import { evaluateWithProgress } from './evaluate-with-progress.js';
import type { TaskResult } from '../report/markdown.js';

/** Which sparse retriever task 2 runs. */
export type SparseModel = 'tfidf' | 'bm25';

/**
 * Task 2: the TF-IDF baseline. Default is the scikit-learn-compatible `TfidfVectorizer()` (the
 * study used scikit-learn), fitted on the test corpus; `bm25` runs BM25 instead.
 */
export async function sparseTask(test: RetrievalDataset, model: SparseModel): Promise<TaskResult> {
  const retriever = model === 'bm25' ? new Bm25Retriever() : new TfidfRetriever();
  const e = await evaluateWithProgress(retriever, test, retriever.name);
  return {
    task: 2,
    title:
      model === 'bm25'
        ? `BM25 baseline (${retriever.name})`
        : `TF-IDF baseline (${retriever.name})`,
    metrics: e.study,
    settings: {
      retriever: retriever.name,
      vectorizer:
        model === 'tfidf'
          ? 'scikit-learn TfidfVectorizer defaults: lowercase, (?u)\\b\\w\\w+\\b, smooth idf, l2'
          : undefined,
      mrr: e.mrr.definition,
      measures: e.means,
      depth: e.k,
      evaluatedQueries: e.evaluatedQueries,
      skippedQueries: e.skippedQueryIds.length,
    },
    timings: e.timings,
    notes: [],
  };
}
