import type { Pair } from '@rtk/datasets';
import { mulberry32, shuffled } from '@rtk/datasets';
import { InvalidMiningOptionError } from './errors.js';
import { groupPairs } from './group-pairs.js';
import { negativeRows } from './negative-rows.js';
import type { MinedNegatives } from './mine-hard-negatives.js';
import { checkFormat, type NegativeFormat } from './settings.js';

/** Options of {@link mineRandomNegatives}. */
export interface MineRandomNegativesOptions {
  /** More passages to draw from; the positives are always in the corpus. */
  readonly corpus?: readonly string[];
  /** Negatives per query, an integer ≥ 1 (default 3). */
  readonly numNegatives?: number;
  /** Seed, an integer in [0, 2³² − 1] (default 42). */
  readonly seed?: number;
  /** `triplet` (default) or `ntuple`. */
  readonly format?: NegativeFormat;
}

const WHERE = 'mineRandomNegatives';

/**
 * Random negatives: for each query, `numNegatives` distinct corpus texts drawn uniformly (seeded
 * mulberry32 of `@rtk/datasets`) among those that are not one of its positives. The corpus is
 * grouped as for hard negatives ({@link groupPairs}: exact duplicates merged), so a text equal to
 * a positive is that positive's row and is never drawn. A query with fewer eligible texts than
 * asked gets all of them and is counted short.
 *
 * @throws {@link InvalidMiningOptionError} for a bad `numNegatives`, `seed` or `format`;
 *   {@link InvalidPairsError} for empty or missing texts.
 * @example
 * ```ts
 * const mined = mineRandomNegatives(pairs, { numNegatives: 2, seed: 7 });
 * ```
 */
export function mineRandomNegatives(
  pairs: readonly Pair[],
  options: MineRandomNegativesOptions = {},
): MinedNegatives {
  const num = options.numNegatives ?? 3;
  if (!Number.isInteger(num) || num < 1)
    throw new InvalidMiningOptionError('numNegatives', 'an integer ≥ 1', num, WHERE);
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295)
    throw new InvalidMiningOptionError('seed', 'an integer in [0, 4294967295]', seed, WHERE);
  const format = checkFormat(options.format, WHERE);
  const data = groupPairs(pairs, options.corpus);
  const random = mulberry32(seed);
  const n = data.corpus.length;
  let short = 0;
  const negatives = data.positives.map((positives) => {
    const excluded = new Set(positives);
    const eligible = n - excluded.size;
    if (eligible <= 2 * num) {
      // Few candidates: list them and shuffle (rejection sampling would loop long).
      const pool: number[] = [];
      for (let r = 0; r < n; r++) if (!excluded.has(r)) pool.push(r);
      const picked = shuffled(pool, random).slice(0, num);
      if (picked.length < num) short++;
      return picked;
    }
    const picked: number[] = [];
    const taken = new Set<number>();
    while (picked.length < num) {
      const r = Math.floor(random() * n);
      if (excluded.has(r) || taken.has(r)) continue;
      taken.add(r);
      picked.push(r);
    }
    return picked;
  });
  const built = negativeRows(data.queries, data.corpus, data.positives, negatives, format, num);
  return {
    data,
    negatives,
    scores: undefined,
    rows: built.rows,
    settings: undefined,
    stats: {
      kind: 'random',
      queries: data.queries.length,
      pairs: data.pairs,
      corpusSize: n,
      numNegatives: num,
      rangeMin: undefined,
      rangeMax: undefined,
      candidatesPerQuery: undefined,
      candidatesSeen: 0,
      removed: { positives: 0, absoluteMargin: 0, relativeMargin: 0, maxScore: 0, minScore: 0 },
      queriesShort: short,
      negativesChosen: negatives.reduce((s, x) => s + x.length, 0),
      rowsWritten: built.rows.length,
      rowsDropped: built.dropped,
      deeperSearches: 0,
      positiveScores: undefined,
      negativeScores: undefined,
    },
  };
}
