import { fsum } from './_fsum.js';
import { idealGains, judgeRanking, type JudgedRanking } from './_judge.js';
import { averagePrecisionAt } from './average-precision.js';
import { EmptyEvaluationError, InvalidMeasureError } from './errors.js';
import { hitsAt } from './_hits.js';
import { hitAt } from './hit.js';
import { checkMeasure, formatMeasure, type Measure } from './measure.js';
import { ndcgAt } from './ndcg.js';
import { parseMeasure } from './parse-measure.js';
import { precisionAt } from './precision.js';
import { recallAt } from './recall.js';
import { reciprocalRankAt } from './reciprocal-rank.js';
import type { Qrels, Ranking, Run } from './types.js';

/** Options for {@link evaluate}. */
export interface EvaluateOptions {
  /**
   * What to do with a query that is in the qrels (with a relevant document) but not in the run.
   * - `'empty'` (default): score it as an empty ranking — every metric 0 — and count it in
   *   `missing`. A retriever that returns nothing for a query is penalised (trec_eval `-c`).
   * - `'skip'`: leave it out of the means, like plain trec_eval; still counted in `missing`.
   */
  readonly missingQueries?: 'empty' | 'skip' | undefined;
  /**
   * Drop retrieved documents whose id equals the query id before scoring (BEIR's
   * `ignore_identical_ids`). Only meaningful when queries and corpus share an id space.
   * Default false (sentence-transformers behaviour).
   */
  readonly ignoreIdenticalIds?: boolean | undefined;
}

/** Result of {@link evaluate}. */
export interface Evaluation {
  /**
   * The measures computed, validated, in the order given, one per label of {@link means}
   * (duplicates of a label removed).
   */
  readonly measures: readonly Measure[];
  /**
   * Mean over evaluated queries, in measure order, keyed by label: a measure given as text keeps
   * its text (trimmed: `'P_10'`, `'ndcg@10'`), as ranx does; a {@link Measure} object gets its
   * {@link formatMeasure} label (`'recall@10'`, `'mrr'`).
   */
  readonly means: Readonly<Record<string, number>>;
  /** Per evaluated query (qrels order): label → value. */
  readonly perQuery: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Number of queries in the means. */
  readonly evaluated: number;
  /** Queries of the qrels without a relevant document (no grade > 0): not in the means. */
  readonly skippedQueryIds: readonly string[];
  /** Queries of the qrels (with a relevant document) absent from the run; see `missingQueries`. */
  readonly missingQueryIds: readonly string[];
  /** Number of run queries absent from the qrels: ignored, as trec_eval does. */
  readonly unjudged: number;
}

type Kernel = (judged: JudgedRanking) => number;

function kernelOf(measure: Measure): Kernel {
  const { k } = measure;
  switch (measure.metric) {
    case 'recall':
      return (j) => recallAt(j, measure.k);
    case 'precision':
      return (j) => precisionAt(j, measure.k);
    case 'hit':
      return (j) => hitAt(j, measure.k);
    case 'hits':
      return (j) => hitsAt(j, measure.k);
    case 'mrr':
      return (j) => reciprocalRankAt(j, k);
    case 'ndcg':
      return (j) => ndcgAt(j, k);
    case 'map':
      return (j) => averagePrecisionAt(j, k);
  }
}

const EMPTY: Ranking = [];

/**
 * Computes many measures over a run in one pass and returns their means, the per-query values
 * and what was left out.
 *
 * Per query of the qrels (the qrels decide which queries count, as in trec_eval):
 * - no relevant document (no grade > 0) → skipped: not in the means, listed in `skippedQueryIds`;
 * - absent from the run → an empty ranking, every metric 0 (default; see
 *   {@link EvaluateOptions.missingQueries}), listed in `missingQueryIds`;
 * - otherwise its ranking is read in the order given, judged once to depth max(k) (or fully
 *   when a measure has no cut-off) and every measure is computed from that.
 * Run queries absent from the qrels are ignored and counted in `unjudged`. Means are unweighted
 * arithmetic means over evaluated queries, summed exactly so query order cannot change them.
 *
 * Metric definitions: {@link recall}, {@link precision}, {@link hit}, {@link hits}, {@link reciprocalRank}
 * (`mrr`), {@link ndcg}, {@link averagePrecision} (`map`).
 *
 * @param run - Query id → ranking (best first, each doc once).
 * @param qrels - Query id → (doc id → grade).
 * @param measures - Measures as objects (`{ metric: 'recall', k: 10 }`, `{ metric: 'mrr' }`) or
 *   as text in this package's, ranx's or trec_eval's spelling (`'ndcg@10'`, `'hit_rate@3'`,
 *   `'P_10'`, `'ndcg_cut_10'`, `'recip_rank'`; every form: {@link parseMeasure}), mixed freely.
 * @param options - See {@link EvaluateOptions}.
 * @throws {@link InvalidMeasureError} for an empty list, an unknown metric or a bad / missing k.
 * @throws {@link EmptyEvaluationError} when no query can be evaluated (means would be 0/0).
 * @throws {@link DuplicateDocumentError} / {@link InvalidGradeError} naming the query.
 * @example
 * ```ts
 * const run = new Map([['q1', [{ id: 'a', score: 2 }, { id: 'b', score: 1 }]]]);
 * const qrels = new Map([['q1', new Map([['b', 1]])]]);
 * const result = evaluate(run, qrels, [{ metric: 'recall', k: 1 }, { metric: 'mrr' }]);
 * result.means; // { 'recall@1': 0, mrr: 0.5 }
 * evaluate(run, qrels, ['ndcg@10', 'P_1', 'recip_rank']).means;
 * // { 'ndcg@10': 0.6309, P_1: 0, recip_rank: 0.5 }
 * ```
 */
export function evaluate(
  run: Run,
  qrels: Qrels,
  measures: readonly (Measure | string)[],
  options: EvaluateOptions = {},
): Evaluation {
  const missingQueries = options.missingQueries ?? 'empty';
  const ignoreIdenticalIds = options.ignoreIdenticalIds ?? false;

  if (measures.length === 0) {
    throw new InvalidMeasureError(
      '[]',
      'no measures given',
      "Pass at least one, e.g. [{ metric: 'recall', k: 10 }, { metric: 'mrr' }].",
    );
  }
  const unique = new Map<string, Measure>();
  for (const raw of measures) {
    if (typeof raw === 'string') {
      unique.set(raw.trim(), parseMeasure(raw));
    } else {
      const measure = checkMeasure(raw);
      unique.set(formatMeasure(measure), measure);
    }
  }
  const labels = [...unique.keys()];
  const kernels = [...unique.values()].map(kernelOf);
  let depth = 0;
  for (const measure of unique.values()) depth = Math.max(depth, measure.k ?? Infinity);

  const values: number[][] = labels.map(() => []);
  const perQuery = new Map<string, Record<string, number>>();
  const skippedQueryIds: string[] = [];
  const missingQueryIds: string[] = [];
  for (const [queryId, grades] of qrels) {
    const ideal = idealGains(grades, queryId, 'evaluate');
    if (ideal.length === 0) {
      skippedQueryIds.push(queryId);
      continue;
    }
    let ranking = run.get(queryId);
    if (ranking === undefined) {
      missingQueryIds.push(queryId);
      if (missingQueries === 'skip') continue;
      ranking = EMPTY;
    }
    if (ignoreIdenticalIds) ranking = ranking.filter((doc) => doc.id !== queryId);
    const judged = judgeRanking(ranking, grades, ideal, depth, queryId, 'evaluate');
    const row: Record<string, number> = {};
    for (let m = 0; m < labels.length; m++) {
      const value = kernels[m]!(judged);
      row[labels[m]!] = value;
      values[m]!.push(value);
    }
    perQuery.set(queryId, row);
  }

  const evaluated = perQuery.size;
  if (evaluated === 0) {
    throw new EmptyEvaluationError(
      qrels.size,
      skippedQueryIds.length,
      missingQueries === 'skip' ? missingQueryIds.length : 0,
    );
  }
  const means: Record<string, number> = {};
  for (let m = 0; m < labels.length; m++) means[labels[m]!] = fsum(values[m]!) / evaluated;
  let unjudged = 0;
  for (const queryId of run.keys()) if (!qrels.has(queryId)) unjudged++;

  return {
    measures: [...unique.values()],
    means,
    perQuery,
    evaluated,
    skippedQueryIds,
    missingQueryIds,
    unjudged,
  };
}
