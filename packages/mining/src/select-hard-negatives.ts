import { InvalidPairsError, InvalidScoresError } from './errors.js';
import { Selector } from './_selector.js';
import { summarizeScores, type MiningStats } from './mining-stats.js';
import {
  resolveMiningSettings,
  type HardNegativeOptions,
  type MiningSettings,
} from './settings.js';

/** One query's precomputed candidates: corpus rows best first with their scores, and its positives. */
export interface QueryCandidates {
  /** Candidate corpus rows, best first (equal scores: the order you want ties broken in). */
  readonly indices: ArrayLike<number>;
  /** Their scores, same order, non-increasing, finite. */
  readonly scores: ArrayLike<number>;
  /** The query's positives (corpus rows). */
  readonly positives: readonly number[];
  /** The score of each positive, same order as `positives`. */
  readonly positiveScores: readonly number[];
}

/** Negatives chosen per query, their scores, and the run's statistics. */
export interface HardNegativeSelection {
  /** Per query, the chosen negatives (corpus rows), best first. */
  readonly negatives: number[][];
  /** Their scores, same shape. */
  readonly scores: number[][];
  /** Per query, the lowest positive score (the margins' reference). */
  readonly referenceScores: number[];
  /** The settings used (with the derived `rangeMax`). */
  readonly settings: MiningSettings;
  readonly stats: MiningStats;
}

/** Accumulates per-query selections into a {@link HardNegativeSelection}. */
export class SelectionRun {
  readonly settings: MiningSettings;
  readonly #selector: Selector;
  readonly negatives: number[][] = [];
  readonly scores: number[][] = [];
  readonly referenceScores: number[] = [];
  readonly #positiveScores: number[] = [];
  deeperSearches = 0;

  constructor(settings: MiningSettings) {
    this.settings = settings;
    this.#selector = new Selector(settings);
  }

  add(
    indices: ArrayLike<number>,
    scores: ArrayLike<number>,
    positives: readonly number[],
    positiveScores: readonly number[],
  ): void {
    let reference = Infinity;
    for (const s of positiveScores) {
      this.#positiveScores.push(s);
      if (s < reference) reference = s;
    }
    const set = positives.length > 4 ? new Set(positives) : undefined;
    const isPositive = set ? (r: number) => set.has(r) : (r: number) => positives.includes(r);
    const chosen = this.#selector.select(indices, scores, isPositive, reference);
    this.negatives.push(chosen.negatives);
    this.scores.push(chosen.scores);
    this.referenceScores.push(reference);
  }

  finish(
    sizes: { queries: number; pairs: number; corpusSize: number; candidatesPerQuery: number },
    rows: { written: number; dropped: number },
  ): HardNegativeSelection {
    const sel = this.#selector;
    const chosen = this.scores.flat();
    const stats: MiningStats = {
      kind: 'hard',
      queries: sizes.queries,
      pairs: sizes.pairs,
      corpusSize: sizes.corpusSize,
      numNegatives: this.settings.numNegatives,
      rangeMin: this.settings.rangeMin,
      rangeMax: this.settings.rangeMax,
      candidatesPerQuery: sizes.candidatesPerQuery,
      candidatesSeen: sel.candidatesSeen,
      removed: { ...sel.removed },
      queriesShort: sel.queriesShort,
      negativesChosen: chosen.length,
      rowsWritten: rows.written,
      rowsDropped: rows.dropped,
      deeperSearches: this.deeperSearches,
      positiveScores: summarizeScores(this.#positiveScores),
      negativeScores: summarizeScores(chosen),
    };
    return {
      negatives: this.negatives,
      scores: this.scores,
      referenceScores: this.referenceScores,
      settings: this.settings,
      stats,
    };
  }
}

const WHERE = 'selectHardNegatives';

function checkCandidates(c: QueryCandidates, q: number, corpusSize: number | undefined): void {
  const n = c.indices.length;
  if (c.scores.length !== n)
    throw new InvalidScoresError(WHERE, q, `${n} indices but ${c.scores.length} scores`);
  if (c.positives.length === 0)
    throw new InvalidPairsError(WHERE, undefined, `query ${q} has no positives`);
  if (c.positiveScores.length !== c.positives.length)
    throw new InvalidScoresError(
      WHERE,
      q,
      `${c.positives.length} positives but ${c.positiveScores.length} positive scores`,
    );
  c.positiveScores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new InvalidScoresError(WHERE, q, `positive score ${i} is ${s}`);
  });
  for (let i = 0; i < n; i++) {
    const s = c.scores[i]!;
    const row = c.indices[i]!;
    if (!Number.isFinite(s)) throw new InvalidScoresError(WHERE, q, `candidate ${i} scores ${s}`);
    if (i > 0 && s > c.scores[i - 1]!)
      throw new InvalidScoresError(
        WHERE,
        q,
        `candidate ${i} scores ${s}, above candidate ${i - 1} (${c.scores[i - 1]}): candidates must be best first`,
      );
    if (!Number.isInteger(row) || row < 0 || (corpusSize !== undefined && row >= corpusSize))
      throw new InvalidScoresError(WHERE, q, `candidate ${i} is row ${row}, not a corpus row`);
  }
}

/**
 * Hard negatives from precomputed candidate rankings: the guards, window and sampler of
 * sentence-transformers' `mine_hard_negatives` applied to scores you computed (a cross-encoder,
 * another toolkit, a saved run). {@link mineHardNegatives} (any `Retriever`) and
 * {@link mineHardNegativesFromEmbeddings} (a dense corpus) compute the candidates and call the
 * same kernel.
 *
 * Per query, with `ref` = its lowest positive score: its positives are removed; then, each on
 * what the previous rules left, `absoluteMargin` removes `score + m > ref`, `relativeMargin`
 * removes `score > ref − |ref|·m`, `maxScore` removes `score > max`, `minScore` removes
 * `score < min`; the survivors ranked `rangeMin … rangeMax − 1` form the window; `top` takes
 * its first `numNegatives`, `random` draws `numNegatives` of it uniformly (seeded), kept in
 * rank order. A query whose window holds fewer gets what there is and is counted short.
 *
 * Give each query at least `rangeMax + maxPositives` candidates (or all the corpus) to match
 * sentence-transformers; fewer simply narrow the window.
 *
 * @param options - {@link HardNegativeOptions} plus `corpusSize` (checks candidate rows when given).
 * @throws {@link InvalidMiningOptionError} for bad options (before anything is selected).
 * @throws {@link InvalidScoresError} for NaN/±Infinity scores, scores not best first, lengths
 *   that disagree or rows outside the corpus; {@link InvalidPairsError} for a query without positives.
 * @example
 * ```ts
 * const { negatives } = selectHardNegatives(
 *   [{ indices: [3, 0, 1, 2], scores: [0.9, 0.8, 0.7, 0.1], positives: [0], positiveScores: [0.8] }],
 *   { numNegatives: 2, absoluteMargin: 0.05 },
 * );
 * // negatives [[1, 2]]: 3 fails the margin (0.9 + 0.05 > 0.8), 0 is the positive
 * ```
 */
export function selectHardNegatives(
  candidates: readonly QueryCandidates[],
  options: HardNegativeOptions & { readonly corpusSize?: number } = {},
): HardNegativeSelection {
  const maxPositives = candidates.reduce((m, c) => Math.max(m, c.positives.length), 0);
  const settings = resolveMiningSettings(options, Math.max(1, maxPositives), WHERE);
  candidates.forEach((c, q) => checkCandidates(c, q, options.corpusSize));
  const run = new SelectionRun(settings);
  let seen = 0;
  for (const c of candidates) {
    run.add(c.indices, c.scores, c.positives, c.positiveScores);
    seen = Math.max(seen, c.indices.length);
  }
  return run.finish(
    {
      queries: candidates.length,
      pairs: candidates.reduce((s, c) => s + c.positives.length, 0),
      corpusSize: options.corpusSize ?? NaN,
      candidatesPerQuery: seen,
    },
    { written: 0, dropped: 0 },
  );
}
