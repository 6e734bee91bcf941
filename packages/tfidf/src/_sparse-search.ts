// Internal: the Retriever plumbing both sparse retrievers share (ids, the inverted index, top-k,
// full-ranking ranks). Each retriever supplies how the corpus and the queries become sparse rows.

import { rankOf, type ScoredDoc } from '@rtk/metrics';
import {
  DEFAULT_SEARCH_K,
  InvalidKError,
  selectTopK,
  type IndexOptions,
  type IndexedText,
  type ProgressCallback,
  type SearchOptions,
} from '@rtk/retrieval';
import {
  DuplicateIdError,
  InvalidOptionError,
  InvalidTextError,
  NotFittedError,
  UnknownDocumentError,
} from './errors.js';
import { InvertedIndex } from './inverted-index.js';
import { checkTexts } from './_validate.js';
import type { SparseMatrix } from './types.js';

export interface SparseModel {
  readonly index: InvertedIndex;
  readonly ids: readonly string[];
  readonly position: ReadonlyMap<string, number>;
  readonly vectorize: (texts: readonly string[]) => SparseMatrix;
}

/** Validates a corpus: an array of {id, text} with unique string ids. */
export function checkCorpus(
  corpus: readonly IndexedText[],
  where: string,
): { ids: string[]; texts: string[]; position: Map<string, number> } {
  if (!Array.isArray(corpus)) throw new InvalidTextError(where, -1, corpus);
  const ids: string[] = [];
  const texts: string[] = [];
  const position = new Map<string, number>();
  for (let i = 0; i < corpus.length; i++) {
    const doc = corpus[i] as IndexedText | undefined;
    if (
      typeof doc !== 'object' ||
      doc === null ||
      typeof doc.id !== 'string' ||
      typeof doc.text !== 'string'
    ) {
      throw new InvalidTextError(where, i, doc);
    }
    const seen = position.get(doc.id);
    if (seen !== undefined) throw new DuplicateIdError(where, doc.id, seen, i);
    position.set(doc.id, i);
    ids.push(doc.id);
    texts.push(doc.text);
  }
  return { ids, texts, position };
}

export function buildModel(
  ids: readonly string[],
  position: ReadonlyMap<string, number>,
  documents: SparseMatrix,
  vectorize: (texts: readonly string[]) => SparseMatrix,
): SparseModel {
  return { index: InvertedIndex.fromMatrix(documents), ids, position, vectorize };
}

function need(model: SparseModel | undefined, where: string): SparseModel {
  if (model === undefined) throw new NotFittedError(where, 'Call index(corpus) first.');
  return model;
}

export function searchModel(
  model: SparseModel | undefined,
  queries: readonly string[],
  k: number,
  onProgress: ProgressCallback | undefined,
  where: string,
): ScoredDoc[][] {
  const m = need(model, where);
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new InvalidKError(k, where);
  checkTexts(queries, where);
  const rows = m.vectorize(queries);
  const buffer = new Float64Array(m.index.numDocuments);
  const out: ScoredDoc[][] = [];
  const every = Math.max(1, Math.floor(queries.length / 100));
  for (let q = 0; q < queries.length; q++) {
    const scores = m.index.scores(InvertedIndex.row(rows, q), buffer);
    const top = selectTopK(scores, k);
    const ranking: ScoredDoc[] = [];
    for (let i = 0; i < top.indices.length; i++)
      ranking.push({ id: m.ids[top.indices[i]!]!, score: top.scores[i]! });
    out.push(ranking);
    if (onProgress !== undefined && ((q + 1) % every === 0 || q + 1 === queries.length))
      onProgress(q + 1, queries.length);
  }
  return out;
}

/**
 * Validates the per-query relevant sets: an array as long as the queries, every entry an
 * iterable object (a string is iterable too, but would be read as single characters). Entries
 * are not iterated here, so one-shot iterators still work.
 */
function checkRelevant(relevant: unknown, queries: number, where: string): void {
  if (!Array.isArray(relevant) || relevant.length !== queries) {
    throw new InvalidOptionError(
      'relevant',
      where,
      `an array of ${queries} set(s) of relevant document ids, one per query (queries has ${queries})`,
      relevant,
      'Pass relevant[i] for queries[i], in the same order.',
    );
  }
  for (let q = 0; q < relevant.length; q++) {
    const entry: unknown = relevant[q];
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof (entry as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
    ) {
      throw new InvalidOptionError(
        `relevant[${q}]`,
        where,
        'a Set (or another iterable, not a string) of document ids',
        entry,
        'Give every query its set of relevant ids (an empty Set when it has none).',
      );
    }
  }
}

export function firstRelevantRanks(
  model: SparseModel | undefined,
  queries: readonly string[],
  relevant: readonly ReadonlySet<string>[],
  onProgress: ProgressCallback | undefined,
  where: string,
): number[] {
  const m = need(model, where);
  checkTexts(queries, where);
  checkRelevant(relevant, queries.length, where);
  const rows = m.vectorize(queries);
  const buffer = new Float64Array(m.index.numDocuments);
  const out: number[] = [];
  const every = Math.max(1, Math.floor(queries.length / 100));
  for (let q = 0; q < queries.length; q++) {
    const docs: number[] = [];
    for (const id of relevant[q]!) {
      const p = m.position.get(id);
      if (p !== undefined) docs.push(p);
    }
    if (docs.length === 0) {
      out.push(Infinity);
    } else {
      const scores = m.index.scores(InvertedIndex.row(rows, q), buffer);
      // The best relevant document: highest score, lower index on ties.
      let best = docs[0]!;
      for (const d of docs) {
        if (scores[d]! > scores[best]! || (scores[d] === scores[best] && d < best)) best = d;
      }
      out.push(rankOf(scores, best));
    }
    if (onProgress !== undefined && ((q + 1) % every === 0 || q + 1 === queries.length))
      onProgress(q + 1, queries.length);
  }
  return out;
}

export function rankOfId(
  model: SparseModel | undefined,
  query: string,
  docId: string,
  where: string,
): number {
  const m = need(model, where);
  checkTexts([query], where);
  const doc = m.position.get(docId);
  if (doc === undefined) throw new UnknownDocumentError(where, docId);
  const rows = m.vectorize([query]);
  return rankOf(m.index.scores(InvertedIndex.row(rows, 0)), doc);
}

/**
 * What `TfidfRetriever` and `Bm25Retriever` share once `index` has built their {@link SparseModel}
 * (they differ only in how documents are weighed): search, full-ranking ranks, rank of one id.
 */
export abstract class SparseModelRetriever {
  /** Set by the subclass's `index`. */
  protected model: SparseModel | undefined;
  /** The class name that errors report as the place (`TfidfRetriever.search`, …). */
  protected abstract readonly className: string;

  /**
   * Top-k documents per query, best first (k capped at the corpus size); k defaults to
   * {@link DEFAULT_SEARCH_K} (10) when no options, or no `k`, are given.
   *
   * @throws {@link NotFittedError} before `index`; `InvalidKError` (from `@rtk/retrieval`); {@link InvalidTextError}.
   */
  search(queries: readonly string[], options: SearchOptions = {}): Promise<ScoredDoc[][]> {
    return Promise.resolve().then(() =>
      searchModel(
        this.model,
        queries,
        options.k ?? DEFAULT_SEARCH_K,
        options.onProgress,
        `${this.className}.search`,
      ),
    );
  }

  /**
   * Per query, the full-ranking rank (1-based) of its best-ranked relevant document, `Infinity`
   * when none of its ids is in the corpus. Ids not in the corpus are ignored.
   *
   * @throws {@link NotFittedError} before `index`; {@link InvalidTextError} for a query that is not
   *   a string; {@link InvalidOptionError} if `relevant` is not an array as long as `queries`, or
   *   one of its entries is not an iterable of ids.
   */
  firstRelevantRank(
    queries: readonly string[],
    relevant: readonly ReadonlySet<string>[],
    options: IndexOptions = {},
  ): Promise<number[]> {
    return Promise.resolve().then(() =>
      firstRelevantRanks(
        this.model,
        queries,
        relevant,
        options.onProgress,
        `${this.className}.firstRelevantRank`,
      ),
    );
  }

  /**
   * The full-ranking rank (1-based) of document `docId` for `query`.
   *
   * @throws {@link NotFittedError}; {@link UnknownDocumentError} for an id not in the corpus.
   */
  rankOf(query: string, docId: string): number {
    return rankOfId(this.model, query, docId, `${this.className}.rankOf`);
  }
}
