import type { RetrievalDataset } from '@rtk/datasets';
import {
  evaluate,
  formatMeasure,
  meanReciprocalRank,
  reciprocalRankOfRank,
  type Measure,
  type Run,
  type ScoredDoc,
} from '@rtk/metrics';
import type { Retriever } from '@rtk/retrieval';
import { planMeasures, type PlannedMeasure } from './_plan-measures.js';
import { checkPositiveInteger, checkRanking, checkTexts } from './_validate.js';
import { EmptyDatasetError, InvalidRankingError } from './errors.js';
import { studyFromMeans, studyMeasures } from './_study.js';
import type { StudyMetrics } from './study-metrics.js';
import { trecTag } from './trec-tag.js';

/** The phases of {@link evaluateRetriever}, in order; `fullRanks` only with `firstRelevantRank`. */
export type EvaluationPhase = 'index' | 'search' | 'fullRanks';

/** One progress report of {@link evaluateRetriever}. */
export interface EvaluationProgress {
  /** What is running: indexing the corpus, searching the queries, ranking fully for MRR. */
  readonly phase: EvaluationPhase;
  /** Units done in this phase: passages for `index`, queries otherwise. */
  readonly done: number;
  /** Units in this phase; undefined when the retriever does not say (indexing). */
  readonly total: number | undefined;
}

/** Options for {@link evaluateRetriever}. */
export interface EvaluateRetrieverOptions {
  /**
   * Depth of the search: documents retrieved per query, an integer ≥ 1. It is the depth of the
   * returned TREC run and the deepest cut-off a measure may have. Default 100 (MAP@100).
   */
  readonly k?: number | undefined;
  /**
   * The measures of {@link RetrieverEvaluation.means}, as `@rtk/metrics` measures or text in
   * any spelling `parseMeasure` reads (`'ndcg@10'`, ranx `'hit_rate@10'`, trec_eval `'P_10'`,
   * `'recip_rank'`); results are keyed by the text as written (trimmed), objects by their
   * `formatMeasure` label, as `evaluate` of `@rtk/metrics` does. Every cut-off must be ≤ k: a measure deeper than
   * the run would be computed on rankings too short for it. `mrr` and `mrr@k` are always
   * possible; a bare `mrr` (full ranking) needs `firstRelevantRank`, and `ndcg` / `map` without a
   * cut-off are refused (they would silently be @k). Default: {@link DEFAULT_MEASURES}, each
   * cut-off capped at k, plus full-ranking `mrr` when the retriever offers it.
   */
  readonly measures?: readonly (Measure | string)[] | undefined;
  /** Queries per `search` call (bounds memory of dense retrievers). Default 512. */
  readonly batchSize?: number | undefined;
  /**
   * Called as the work advances: phase, units done, units in the phase. Libraries never draw
   * progress bars; a command line turns these into one.
   */
  readonly onProgress?: ((progress: EvaluationProgress) => void) | undefined;
}

/** MRR as {@link evaluateRetriever} could compute it. */
export interface MrrResult {
  /** The mean reciprocal rank. */
  readonly value: number;
  /**
   * `'full ranking'`: 1 / rank of the first relevant document anywhere in the ranking (the
   * study's MRR, through `firstRelevantRank`); `'cut-off'`: MRR@k, 0 below rank {@link k}.
   */
  readonly definition: 'full ranking' | 'cut-off';
  /** The cut-off, for `'cut-off'`; undefined for the full ranking. */
  readonly k: number | undefined;
  /** Its label: `'mrr'` or `'mrr@10'`. */
  readonly label: string;
}

/** Result of {@link evaluateRetriever}. */
export interface RetrieverEvaluation {
  /** The retriever's name. */
  readonly retriever: string;
  /** The dataset's name. */
  readonly dataset: string;
  /** The search depth used. */
  readonly k: number;
  /** The study's Recall@1/3/10 (hit@k) and MRR (full ranking) or MRR@10: see {@link StudyMetrics}. */
  readonly study: StudyMetrics;
  /** MRR, full-ranking when the retriever could, else MRR@10 (capped at k); labelled. */
  readonly mrr: MrrResult;
  /** The measures computed, in order, one per label of {@link means}. */
  readonly measures: readonly Measure[];
  /**
   * Mean over evaluated queries, in measure order, keyed by label: the text as given
   * (`'P_10'`), or `formatMeasure` of an object (`'ndcg@10'`, `'mrr'`).
   */
  readonly means: Readonly<Record<string, number>>;
  /** Per evaluated query (dataset order): label → value. */
  readonly perQuery: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /**
   * Per evaluated query, the 1-based full-ranking rank of its first relevant document
   * (`Infinity` when none is in the corpus); undefined when the retriever has no
   * `firstRelevantRank`.
   */
  readonly firstRelevantRanks: ReadonlyMap<string, number> | undefined;
  /**
   * The rankings retrieved (top k per evaluated query), a `Run` that `formatTrecRun` /
   * `writeTrecRun` of `@rtk/metrics` write with `{ tag: result.tag }`.
   */
  readonly run: Run;
  /** The TREC run tag: the retriever's name, whitespace replaced (see {@link trecTag}). */
  readonly tag: string;
  /** Number of queries in the means (those with a relevant document). */
  readonly evaluatedQueries: number;
  /** Queries of the dataset without a relevant document: not searched, not in the means. */
  readonly skippedQueryIds: readonly string[];
  /**
   * Queries whose full-ranking rank disagrees with their top-k ranking (a retriever whose two
   * methods rank differently); 0 when they agree, as the `Retriever` contract requires.
   */
  readonly rankDisagreements: number;
  /** Seconds spent: `index`, `search`, and `fullRanks` when the full ranking was used. */
  readonly timings: Readonly<Record<string, number>>;
}

const DEFAULT_K = 100;
const DEFAULT_BATCH = 512;

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/**
 * Evaluates any retriever on a retrieval dataset: indexes the corpus, searches every judged
 * query (top k, in batches), and computes the study's numbers and the standard IR measures from
 * the one run. The one evaluator of the toolkit: the bench, `rtk eval` and the trainer call it.
 *
 * What it computes (each per query, then the unweighted mean over queries with a relevant
 * document; queries without one are not searched and are listed in `skippedQueryIds`):
 * - the study's Recall@1/3/10: a relevant passage in the top K (hit@k; see {@link StudyMetrics});
 * - MRR over the FULL ranking through `retriever.firstRelevantRank` when the retriever has it
 *   (the study's definition), else MRR@10 — labelled in {@link RetrieverEvaluation.mrr};
 * - by default also true recall@10 and recall@100 (fraction of the relevant documents in the
 *   top K), nDCG@10 and MAP@100 (trec_eval `map_cut` divisor |R|), or the `measures` asked;
 * - the run itself, ready for a TREC file, and per-query values.
 * Metric definitions are `@rtk/metrics`' (`evaluate`, `meanReciprocalRank`); rankings are read in
 * the retriever's order (its tie rule: equal scores keep corpus order).
 *
 * Every answer of the retriever is checked against the `Retriever` contract: unknown ids, NaN
 * or infinite scores, duplicates, more than k results or unsorted scores are errors, not numbers.
 *
 * @param retriever - Any `Retriever` (`@rtk/retrieval`): TF-IDF, BM25, dense. Its index is replaced.
 * @param dataset - Corpus, queries and qrels (`RetrievalDataset` of `@rtk/datasets`).
 * @param options - `k` (default 100), `measures`, `batchSize` (512), `onProgress`.
 * @returns A {@link RetrieverEvaluation}.
 * @throws {@link InvalidOptionError} for k or batchSize not an integer ≥ 1, an unknown measure or one deeper than k.
 * @throws {@link EmptyDatasetError} for an empty corpus or no query with a relevant document.
 * @throws {@link InvalidDatasetError} for a malformed entry or a duplicate id.
 * @throws {@link UnknownDocumentError}, {@link InvalidScoreError}, {@link InvalidRankingError}
 *   when the retriever breaks its contract. Errors of the retriever itself pass through.
 * @example
 * ```ts
 * import { evaluateRetriever } from '@rtk/evaluation';
 * import { TfidfRetriever } from '@rtk/tfidf';
 *
 * const dataset = {
 *   name: 'capitals',
 *   corpus: [
 *     { id: 'p1', text: 'Paris is the capital of France' },
 *     { id: 'p2', text: 'Berlin is the capital of Germany' },
 *   ],
 *   queries: [{ id: 'q1', text: 'capital of Germany' }],
 *   qrels: new Map([['q1', new Map([['p2', 1]])]]),
 * };
 * const result = await evaluateRetriever(new TfidfRetriever(), dataset, { k: 10 });
 * result.study; // { 'Recall@1': 1, 'Recall@3': 1, 'Recall@10': 1, MRR: 1 }
 * ```
 */
export async function evaluateRetriever(
  retriever: Retriever,
  dataset: RetrievalDataset,
  options: EvaluateRetrieverOptions = {},
): Promise<RetrieverEvaluation> {
  const k = checkPositiveInteger('k', options.k, DEFAULT_K, 'Pass e.g. { k: 100 }.');
  const batchSize = checkPositiveInteger(
    'batchSize',
    options.batchSize,
    DEFAULT_BATCH,
    'Pass e.g. { batchSize: 256 }.',
  );
  const callback = options.onProgress;
  let lastPhase: EvaluationPhase | undefined;
  let lastDone = -1;
  // Drops repeats: the retriever's own last report and the batch's end often say the same.
  const onProgress =
    callback === undefined
      ? undefined
      : (event: EvaluationProgress): void => {
          if (event.phase === lastPhase && event.done === lastDone) return;
          lastPhase = event.phase;
          lastDone = event.done;
          callback(event);
        };
  const name = String(retriever.name);
  const canRankFully = typeof retriever.firstRelevantRank === 'function';
  const plan = planMeasures(options.measures, k, canRankFully);

  const corpus = checkTexts(dataset.name, 'corpus', dataset.corpus);
  const queries = checkTexts(dataset.name, 'queries', dataset.queries);
  // Relevant documents per query (grade > 0); queries without one are neither searched nor scored.
  const qrels = new Map<string, ReadonlyMap<string, number>>();
  const relevant = new Map<string, ReadonlySet<string>>();
  const skippedQueryIds: string[] = [];
  for (const q of queries) {
    const grades = dataset.qrels.get(q.id);
    const ids = new Set<string>();
    if (grades !== undefined) for (const [d, g] of grades) if (g > 0) ids.add(d);
    if (ids.size === 0) {
      skippedQueryIds.push(q.id);
      continue;
    }
    qrels.set(q.id, grades!);
    relevant.set(q.id, ids);
  }
  const judged = queries.filter((q) => relevant.has(q.id));
  if (corpus.length === 0 || judged.length === 0) {
    throw new EmptyDatasetError(dataset.name, corpus.length, queries.length, judged.length);
  }
  const corpusIds = new Set(corpus.map((d) => d.id));

  const timings: Record<string, number> = {};
  let started = performance.now();
  // Each phase opens with done = 0, so a caller can start its clock or bar at the phase's start.
  onProgress?.({ phase: 'index', done: 0, total: corpus.length });
  let indexedSoFar = 0;
  await retriever.index(corpus, {
    onProgress: (done, total) => {
      indexedSoFar = done;
      onProgress?.({ phase: 'index', done, total });
    },
  });
  // A retriever that reports no (or partial) progress still closes the phase, so a bar ends full.
  if (indexedSoFar !== corpus.length) {
    onProgress?.({ phase: 'index', done: corpus.length, total: corpus.length });
  }
  timings.index = seconds(started);

  started = performance.now();
  onProgress?.({ phase: 'search', done: 0, total: judged.length });
  const run = new Map<string, readonly ScoredDoc[]>();
  for (let start = 0; start < judged.length; start += batchSize) {
    const batch = judged.slice(start, start + batchSize);
    const rankings: unknown = await retriever.search(
      batch.map((q) => q.text),
      {
        k,
        onProgress: (done) =>
          onProgress?.({
            phase: 'search',
            done: start + Math.min(done, batch.length),
            total: judged.length,
          }),
      },
    );
    if (!Array.isArray(rankings) || rankings.length !== batch.length) {
      throw new InvalidRankingError(
        name,
        'search',
        undefined,
        `returned ${Array.isArray(rankings) ? rankings.length : typeof rankings} rankings for ${batch.length} queries`,
      );
    }
    batch.forEach((q, i) => run.set(q.id, checkRanking(name, q.id, rankings[i], k, corpusIds)));
    onProgress?.({ phase: 'search', done: start + batch.length, total: judged.length });
  }
  timings.search = seconds(started);

  let firstRelevantRanks: Map<string, number> | undefined;
  if (canRankFully) {
    started = performance.now();
    onProgress?.({ phase: 'fullRanks', done: 0, total: judged.length });
    firstRelevantRanks = new Map();
    for (let start = 0; start < judged.length; start += batchSize) {
      const batch = judged.slice(start, start + batchSize);
      const ranks: unknown = await retriever.firstRelevantRank!(
        batch.map((q) => q.text),
        batch.map((q) => relevant.get(q.id)!),
        {
          onProgress: (done) =>
            onProgress?.({
              phase: 'fullRanks',
              done: start + Math.min(done, batch.length),
              total: judged.length,
            }),
        },
      );
      if (!Array.isArray(ranks) || ranks.length !== batch.length) {
        throw new InvalidRankingError(
          name,
          'firstRelevantRank',
          undefined,
          `returned ${Array.isArray(ranks) ? ranks.length : typeof ranks} ranks for ${batch.length} queries`,
        );
      }
      batch.forEach((q, i) => {
        const r: unknown = ranks[i];
        if (r !== Infinity && (typeof r !== 'number' || !Number.isInteger(r) || r < 1)) {
          throw new InvalidRankingError(
            name,
            'firstRelevantRank',
            q.id,
            `returned rank ${String(r)}, expected an integer ≥ 1 or Infinity`,
          );
        }
        firstRelevantRanks!.set(q.id, r);
      });
      onProgress?.({ phase: 'fullRanks', done: start + batch.length, total: judged.length });
    }
    timings.fullRanks = seconds(started);
  }

  // One pass of @rtk/metrics over the run: the caller's measures (each under its label; labels
  // are what `evaluate` keys text and objects by) plus the study's.
  const cut = plan.filter((p) => p.measure.k !== undefined);
  const evaluation = evaluate(run, qrels, [
    ...cut.map((p) => (p.label === formatMeasure(p.measure) ? p.measure : p.label)),
    ...studyMeasures(k),
  ]);

  let rankDisagreements = 0;
  const fullRr = new Map<string, number>();
  if (firstRelevantRanks !== undefined) {
    for (const q of judged) {
      const rank = firstRelevantRanks.get(q.id)!;
      fullRr.set(q.id, reciprocalRankOfRank(rank));
      const ranking = run.get(q.id)!;
      const grades = qrels.get(q.id)!;
      const inTop = ranking.findIndex((d) => (grades.get(d.id) ?? 0) > 0);
      // Within the top k both methods see the same order, so they must name the same rank.
      const expected = inTop >= 0 ? inTop + 1 : undefined;
      if (expected !== undefined ? rank !== expected : rank <= ranking.length) rankDisagreements++;
    }
  }

  const isFull = (p: PlannedMeasure): boolean => p.measure.k === undefined; // full-ranking mrr
  const means: Record<string, number> = {};
  const perQuery = new Map<string, Record<string, number>>();
  for (const q of judged) {
    const row = evaluation.perQuery.get(q.id)!;
    const values: Record<string, number> = {};
    for (const p of plan) values[p.label] = isFull(p) ? fullRr.get(q.id)! : row[p.label]!;
    perQuery.set(q.id, values);
  }
  const meanFullMrr =
    firstRelevantRanks === undefined
      ? undefined
      : meanReciprocalRank([...firstRelevantRanks.values()]);
  for (const p of plan) means[p.label] = isFull(p) ? meanFullMrr! : evaluation.means[p.label]!;

  const studyCut = Math.min(10, k);
  const studyMeans = studyFromMeans(evaluation.means, k);
  let mrr: MrrResult;
  if (meanFullMrr !== undefined) {
    mrr = { value: meanFullMrr, definition: 'full ranking', k: undefined, label: 'mrr' };
    delete studyMeans[`MRR@${studyCut}`];
    studyMeans.MRR = meanFullMrr;
  } else {
    mrr = {
      value: evaluation.means[`mrr@${studyCut}`]!,
      definition: 'cut-off',
      k: studyCut,
      label: `mrr@${studyCut}`,
    };
  }

  return {
    retriever: name,
    dataset: dataset.name,
    k,
    study: studyMeans,
    mrr,
    measures: plan.map((p) => p.measure),
    means,
    perQuery,
    firstRelevantRanks,
    run,
    tag: trecTag(name),
    evaluatedQueries: judged.length,
    skippedQueryIds,
    rankDisagreements,
    timings,
  };
}
