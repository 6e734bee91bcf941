/** Candidates removed by each rule, each counted under the first rule that removed it. */
export interface GuardCounts {
  /** The query's own positives found among its candidates. */
  readonly positives: number;
  /** `score + absoluteMargin > positive`. */
  readonly absoluteMargin: number;
  /** `score > positive − |positive|·relativeMargin`. */
  readonly relativeMargin: number;
  /** `score > maxScore`. */
  readonly maxScore: number;
  /** `score < minScore`. */
  readonly minScore: number;
}

/** Minimum, mean, median and maximum of a set of scores (all `NaN` when it is empty). */
export interface ScoreSummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly median: number;
  readonly max: number;
}

/** What a mining run saw and did, returned with every run (print it with {@link formatMiningStats}). */
export interface MiningStats {
  /** `hard` (a ranking and guards) or `random`. */
  readonly kind: 'hard' | 'random';
  /** Distinct queries mined. */
  readonly queries: number;
  /** (query, positive) pairs after exact duplicates were merged. */
  readonly pairs: number;
  /** Texts in the mining corpus (extra corpus ∪ positives, exact duplicates merged). */
  readonly corpusSize: number;
  /** Negatives asked for per query. */
  readonly numNegatives: number;
  /** Window used (hard mining): survivors ranked `rangeMin` to `rangeMax − 1`. */
  readonly rangeMin: number | undefined;
  readonly rangeMax: number | undefined;
  /** Candidates retrieved per query (hard mining): `rangeMax + maxPositives`, capped at the corpus. */
  readonly candidatesPerQuery: number | undefined;
  /** Candidates looked at, over all queries. */
  readonly candidatesSeen: number;
  /** Candidates removed, per rule. */
  readonly removed: GuardCounts;
  /** Queries that got fewer than `numNegatives` negatives. */
  readonly queriesShort: number;
  /** Negatives chosen, over all queries (each counted once per query). */
  readonly negativesChosen: number;
  /** Output rows produced, and (n-tuples) rows dropped because their query was short. */
  readonly rowsWritten: number;
  readonly rowsDropped: number;
  /**
   * Queries searched deeper than `candidatesPerQuery` to find a positive's score (a retriever
   * whose top candidates missed one of the query's positives).
   */
  readonly deeperSearches: number;
  /** Scores of every (query, positive) pair; undefined for random negatives (no scores). */
  readonly positiveScores: ScoreSummary | undefined;
  /** Scores of the chosen negatives; undefined for random negatives. */
  readonly negativeScores: ScoreSummary | undefined;
}

/**
 * Minimum, mean, median (mean of the two middle values for an even count) and maximum.
 *
 * @example
 * ```ts
 * summarizeScores([0.2, 0.9, 0.4, 0.5]); // { count: 4, min: 0.2, mean: 0.5, median: 0.45, max: 0.9 }
 * ```
 */
export function summarizeScores(scores: ArrayLike<number>): ScoreSummary {
  const n = scores.length;
  if (n === 0) return { count: 0, min: NaN, mean: NaN, median: NaN, max: NaN };
  const sorted = Float64Array.from(scores).sort();
  let sum = 0;
  for (const s of sorted) sum += s;
  const mid = n >> 1;
  return {
    count: n,
    min: sorted[0]!,
    mean: sum / n,
    median: n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2,
    max: sorted[n - 1]!,
  };
}

const pct = (part: number, whole: number): string =>
  whole === 0 ? '' : ` (${((100 * part) / whole).toFixed(2)}%)`;
const fmt = (x: number): string => (Number.isNaN(x) ? '–' : x.toFixed(4));

/**
 * The statistics as a two-column table (`| what | value |`), for a terminal or a report: sizes,
 * the window, candidates removed by each rule (share of the candidates seen), queries short of
 * negatives, rows, and the score distributions of positives and chosen negatives.
 *
 * @example
 * ```ts
 * console.log(formatMiningStats(result.stats));
 * ```
 */
export function formatMiningStats(stats: MiningStats): string {
  const rows: [string, string][] = [
    ['queries', String(stats.queries)],
    ['(query, positive) pairs', String(stats.pairs)],
    ['corpus texts', String(stats.corpusSize)],
  ];
  if (stats.kind === 'hard') {
    rows.push(
      ['window (rangeMin–rangeMax)', `${stats.rangeMin}–${stats.rangeMax}`],
      ['candidates per query', String(stats.candidatesPerQuery)],
      ['candidates seen', String(stats.candidatesSeen)],
    );
    const seen = stats.candidatesSeen;
    const r = stats.removed;
    rows.push(
      ['removed: positives', `${r.positives}${pct(r.positives, seen)}`],
      ['removed: absoluteMargin', `${r.absoluteMargin}${pct(r.absoluteMargin, seen)}`],
      ['removed: relativeMargin', `${r.relativeMargin}${pct(r.relativeMargin, seen)}`],
      ['removed: maxScore', `${r.maxScore}${pct(r.maxScore, seen)}`],
      ['removed: minScore', `${r.minScore}${pct(r.minScore, seen)}`],
    );
    if (stats.deeperSearches > 0)
      rows.push(['queries searched deeper', String(stats.deeperSearches)]);
  } else {
    rows.push(['removed: positives', String(stats.removed.positives)]);
  }
  rows.push(
    ['negatives per query', String(stats.numNegatives)],
    [
      'queries short of negatives',
      `${stats.queriesShort}${pct(stats.queriesShort, stats.queries)}`,
    ],
    ['negatives chosen', String(stats.negativesChosen)],
    ['rows written', String(stats.rowsWritten)],
    ['rows dropped (short queries)', String(stats.rowsDropped)],
  );
  for (const [label, s] of [
    ['positive scores', stats.positiveScores],
    ['negative scores', stats.negativeScores],
  ] as const) {
    if (s === undefined) continue;
    rows.push([
      `${label} min / mean / median / max`,
      [s.min, s.mean, s.median, s.max].map(fmt).join(' / '),
    ]);
  }
  const w0 = Math.max(4, ...rows.map(([a]) => a.length));
  const w1 = Math.max(5, ...rows.map(([, b]) => b.length));
  const line = (a: string, b: string): string => `| ${a.padEnd(w0)} | ${b.padStart(w1)} |`;
  return [
    line('what', 'value'),
    `| ${'-'.repeat(w0)} | ${'-'.repeat(w1 - 1)}: |`,
    ...rows.map(([a, b]) => line(a, b)),
  ].join('\n');
}
