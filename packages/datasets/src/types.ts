import type { Qrels } from '@rtk/metrics';

/** A text with a stable id: a corpus passage or a query. Same shape as `IndexedText` of `@rtk/retrieval`. */
export interface TextItem {
  readonly id: string;
  readonly text: string;
}

/**
 * A retrieval test set: a corpus to index, queries to run, and which corpus ids are relevant to
 * each query (`qrels`: query id → (passage id → grade > 0)).
 */
export interface RetrievalDataset {
  /** Short name for reports, e.g. `natural-questions/test`. */
  readonly name: string;
  readonly corpus: readonly TextItem[];
  readonly queries: readonly TextItem[];
  readonly qrels: Qrels;
}

/** One (query, relevant passage) pair, the unit of NQ-style training and evaluation data. */
export interface Pair {
  readonly query: string;
  readonly passage: string;
}
