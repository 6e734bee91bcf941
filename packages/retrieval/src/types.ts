import type { ScoredDoc } from '@rtk/metrics';

/** A document to index: a stable id and its text. */
export interface IndexedText {
  readonly id: string;
  readonly text: string;
}

/**
 * Progress callback shared by every long-running call in the toolkit: `done` units out of
 * `total` (undefined when unknown). Libraries only call it; rendering (progress bars) is the
 * caller's job.
 */
export type ProgressCallback = (done: number, total: number | undefined) => void;

/** Options for {@link Retriever.index}. */
export interface IndexOptions {
  readonly onProgress?: ProgressCallback;
}

/** How many documents {@link Retriever.search} returns per query when `k` is not given. */
export const DEFAULT_SEARCH_K = 10;

/** Options for {@link Retriever.search}. */
export interface SearchOptions {
  /**
   * How many documents to return per query (an integer ≥ 1; capped at the corpus size).
   * Default {@link DEFAULT_SEARCH_K} (10).
   */
  readonly k?: number;
  readonly onProgress?: ProgressCallback;
}

/**
 * The contract every retriever satisfies (TF-IDF, BM25, dense encoders), so the bench and the
 * negative miner can take any of them.
 *
 * Ranking rule (the project's tie-break): descending score; equal scores keep the document that
 * came first in the indexed corpus first.
 */
export interface Retriever {
  /** A short human-readable name for reports, e.g. `tfidf(sklearn)` or `e5-small-v2`. */
  readonly name: string;
  /** Index a corpus. Calling it again replaces the previous index. */
  index(corpus: readonly IndexedText[], options?: IndexOptions): Promise<void>;
  /**
   * Top-k documents per query, best first, ids from the indexed corpus; `k` defaults to
   * {@link DEFAULT_SEARCH_K} (10) when `options` or `options.k` is omitted.
   */
  search(queries: readonly string[], options?: SearchOptions): Promise<ScoredDoc[][]>;
  /**
   * Optional: for each query, the 1-based rank in the FULL ranking (same tie rule as `search`) of
   * its best-ranked relevant document, or `Infinity` when none of them is in the corpus. Lets an
   * evaluator compute full-ranking MRR without materialising whole rankings.
   */
  firstRelevantRank?(
    queries: readonly string[],
    relevant: readonly ReadonlySet<string>[],
    options?: IndexOptions,
  ): Promise<number[]>;
}
