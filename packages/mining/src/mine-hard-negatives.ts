import type { Pair } from '@rtk/datasets';
import type { ScoredDoc } from '@rtk/metrics';
import type { Retriever } from '@rtk/retrieval';
import { InvalidMiningOptionError, InvalidRetrieverError, InvalidScoresError } from './errors.js';
import { groupPairs, type MiningCorpus } from './group-pairs.js';
import { negativeRows, type NegativeRow } from './negative-rows.js';
import { SelectionRun } from './select-hard-negatives.js';
import {
  checkFormat,
  resolveMiningSettings,
  type HardNegativeOptions,
  type MiningSettings,
  type NegativeFormat,
} from './settings.js';
import type { MiningStats } from './mining-stats.js';

/** Which part of a mining run a progress call is about. */
export type MiningStage = 'index' | 'search';

/** Options of {@link mineHardNegatives}. */
export interface MineHardNegativesOptions extends HardNegativeOptions {
  /** Any `Retriever` of `@rtk/retrieval`: TF-IDF or BM25 (`@rtk/tfidf`), `DenseRetriever`, … */
  readonly retriever: Retriever;
  /** More passages to draw negatives from; the positives are always in the corpus. */
  readonly corpus?: readonly string[];
  /** `triplet` (default) or `ntuple`. */
  readonly format?: NegativeFormat;
  /**
   * Keep every (query, positive) pair in `rows`: a query mining found no negative for gives a
   * plain `{query, positive}` row, a short n-tuple query a row with the negatives it has (see
   * `negativeRows`). For losses with in-batch negatives (InfoNCE), which train on such pairs too.
   * Default false (sentence-transformers': such rows are left out).
   */
  readonly keepPairs?: boolean;
  /** Queries per `search` call (default 256). */
  readonly searchBatchSize?: number;
  /** Progress: (stage, done, total). */
  readonly onProgress?: (stage: MiningStage, done: number, total: number | undefined) => void;
}

/** What a mining run returns: the grouped data, negatives per query, output rows and statistics. */
export interface MinedNegatives {
  /** Distinct queries, corpus and positives (see {@link groupPairs}). */
  readonly data: MiningCorpus;
  /** Per query, its negatives (corpus rows), best first. */
  readonly negatives: readonly (readonly number[])[];
  /** Their scores (hard negatives); undefined for random negatives. */
  readonly scores: readonly (readonly number[])[] | undefined;
  /** Output rows in the chosen format. */
  readonly rows: readonly NegativeRow[];
  /** Settings used (hard negatives; with the derived `rangeMax`). */
  readonly settings: MiningSettings | undefined;
  readonly stats: MiningStats;
}

const WHERE = 'mineHardNegatives';

function checkRetriever(retriever: unknown): Retriever {
  const r = retriever as Partial<Retriever> | undefined;
  const name = typeof r?.name === 'string' ? r.name : String(r?.name ?? retriever);
  if (r === null || typeof r !== 'object')
    throw new InvalidMiningOptionError(
      'retriever',
      'a Retriever (index and search methods)',
      retriever,
      WHERE,
    );
  if (typeof r.index !== 'function')
    throw new InvalidRetrieverError(
      name,
      'has no index() method, so it cannot index the mining corpus',
    );
  if (typeof r.search !== 'function')
    throw new InvalidRetrieverError(name, 'has no search() method');
  return r as Retriever;
}

/** Maps one ranking's ids back to corpus rows, checking the contract as it goes. */
function toRows(
  ranking: readonly ScoredDoc[],
  q: number,
  n: number,
  name: string,
): { rows: Int32Array; scores: Float64Array } {
  const rows = new Int32Array(ranking.length);
  const scores = new Float64Array(ranking.length);
  ranking.forEach((d, i) => {
    const row = /^(0|[1-9]\d*)$/.test(d.id) ? Number(d.id) : -1;
    if (row < 0 || row >= n)
      throw new InvalidRetrieverError(
        name,
        `returned id ${JSON.stringify(d.id)}, not in the corpus it was given (query ${q})`,
      );
    if (!Number.isFinite(d.score))
      throw new InvalidScoresError(WHERE, q, `the retriever scored row ${row} ${d.score}`);
    rows[i] = row;
    scores[i] = d.score;
  });
  return { rows, scores };
}

/**
 * Hard negatives for (query, positive) pairs over any `Retriever`, with the semantics of
 * sentence-transformers' `mine_hard_negatives` (see {@link selectHardNegatives} for the rules).
 *
 * Steps: pairs are grouped ({@link groupPairs}: one query with several positives, corpus =
 * `corpus` ∪ positives with exact duplicates merged); every setting is checked; the retriever
 * indexes the corpus (ids are the corpus rows as decimal strings); queries are searched in
 * batches for their `rangeMax + maxPositives` best candidates — the retriever's own bounded
 * search, never a queries × corpus matrix. A positive's score is read from the candidates; when
 * a positive is not among them, that query alone is searched again with k doubled until it is
 * (counted as `deeperSearches`), since `Retriever` has no call that scores one passage.
 *
 * @throws {@link InvalidMiningOptionError}, {@link InvalidPairsError} before any work;
 *   {@link InvalidRetrieverError} for an object that is not a `Retriever` (before any work) or
 *   one that answers outside its contract; {@link InvalidScoresError} for a NaN or ±Infinity score.
 * @example
 * ```ts
 * const mined = await mineHardNegatives(pairs, { retriever: new Bm25Retriever(), numNegatives: 5 });
 * console.log(formatMiningStats(mined.stats));
 * ```
 */
export async function mineHardNegatives(
  pairs: readonly Pair[],
  options: MineHardNegativesOptions,
): Promise<MinedNegatives> {
  const retriever = checkRetriever(options.retriever);
  const format = checkFormat(options.format, WHERE);
  const batch = options.searchBatchSize ?? 256;
  if (!Number.isInteger(batch) || batch < 1)
    throw new InvalidMiningOptionError('searchBatchSize', 'an integer ≥ 1', batch, WHERE);
  if (options.keepPairs !== undefined && typeof options.keepPairs !== 'boolean')
    throw new InvalidMiningOptionError('keepPairs', 'true or false', options.keepPairs, WHERE);
  const data = groupPairs(pairs, options.corpus);
  const maxPositives = data.positives.reduce((m, p) => Math.max(m, p.length), 0);
  const settings = resolveMiningSettings(options, maxPositives, WHERE);
  const n = data.corpus.length;
  const progress = options.onProgress;

  await retriever.index(
    data.corpus.map((text, row) => ({ id: String(row), text })),
    progress ? { onProgress: (d, t) => progress('index', d, t) } : {},
  );
  const k = Math.min(settings.candidatesPerQuery, n);
  const run = new SelectionRun(settings);
  const nq = data.queries.length;
  for (let q0 = 0; q0 < nq; q0 += batch) {
    const texts = data.queries.slice(q0, q0 + batch);
    const rankings = await retriever.search(texts, { k });
    if (!Array.isArray(rankings) || rankings.length !== texts.length)
      throw new InvalidRetrieverError(
        retriever.name,
        `answered ${Array.isArray(rankings) ? rankings.length : 'no'} rankings for ${texts.length} queries`,
      );
    for (let i = 0; i < texts.length; i++) {
      const q = q0 + i;
      const positives = data.positives[q]!;
      let { rows, scores } = toRows(rankings[i]!, q, n, retriever.name);
      let found = positiveScores(rows, scores, positives);
      let depth = k;
      while (found === undefined && depth < n) {
        depth = Math.min(n, depth * 2);
        const [deeper] = await retriever.search([texts[i]!], { k: depth });
        ({ rows, scores } = toRows(deeper ?? [], q, n, retriever.name));
        found = positiveScores(rows, scores, positives);
      }
      if (depth > k) {
        run.deeperSearches++;
        rows = rows.subarray(0, k);
        scores = scores.subarray(0, k);
      }
      if (found === undefined)
        throw new InvalidRetrieverError(
          retriever.name,
          `never ranked a positive of query ${q}, even with k = the corpus size ${n}`,
        );
      run.add(rows, scores, positives, found);
    }
    progress?.('search', Math.min(q0 + batch, nq), nq);
  }
  const partial = run.finish(
    { queries: nq, pairs: data.pairs, corpusSize: n, candidatesPerQuery: k },
    { written: 0, dropped: 0 },
  );
  const built = negativeRows(
    data.queries,
    data.corpus,
    data.positives,
    partial.negatives,
    format,
    settings.numNegatives,
    options.keepPairs === true,
  );
  return {
    data,
    negatives: partial.negatives,
    scores: partial.scores,
    rows: built.rows,
    settings,
    stats: { ...partial.stats, rowsWritten: built.rows.length, rowsDropped: built.dropped },
  };
}

/** The scores of `positives` among the ranked rows, or undefined when one is missing. */
function positiveScores(
  rows: Int32Array,
  scores: Float64Array,
  positives: readonly number[],
): number[] | undefined {
  const out: number[] = [];
  for (const p of positives) {
    const i = rows.indexOf(p);
    if (i < 0) return undefined;
    out.push(scores[i]!);
  }
  return out;
}
