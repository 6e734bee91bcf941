/**
 * Shared retrieval contracts. Defined once here, at the bottom of the dependency graph, and
 * imported by every other package (see docs/architecture.md).
 */

/** One retrieved document with its score. Higher scores rank first. */
export interface ScoredDoc {
  readonly id: string;
  readonly score: number;
}

/**
 * A ranking for one query: documents best first. Producers (retrievers, run-file readers) order
 * it with {@link compareScoredDocs}-compatible tie-breaking; metrics read it in the order given.
 */
export type Ranking = readonly ScoredDoc[];

/** Rankings of several queries: query id → ranking. */
export type Run = ReadonlyMap<string, Ranking>;

/**
 * Relevance judgements: query id → (doc id → grade). A grade > 0 is relevant; 0 or negative
 * grades are judged non-relevant. Binary qrels use grade 1.
 */
export type Qrels = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * Relevance judgements of one query: doc id → grade (one entry of {@link Qrels}). A grade > 0 is
 * relevant; 0 or negative grades are judged non-relevant. nDCG uses the grade as gain; the other
 * metrics only ask whether it is > 0.
 */
export type RelevanceGrades = ReadonlyMap<string, number>;
