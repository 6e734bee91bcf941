// The per-query kernel of hard-negative mining: guards → window → sampler, with the run's
// counters. Not exported; the public entries validate once and feed it query by query.
import { mulberry32 } from '@rtk/datasets';
import type { MiningSettings } from './settings.js';
import type { GuardCounts } from './mining-stats.js';

/** What one query's selection produced. */
export interface QuerySelection {
  /** Chosen negatives (corpus rows), best first. */
  readonly negatives: number[];
  /** Their scores, same order. */
  readonly scores: number[];
  /** Size of the eligible set the sampler drew from (window survivors). */
  readonly eligible: number;
}

/** Runs the guards, window and sampler for one query after another, counting as it goes. */
export class Selector {
  readonly removed: { -readonly [K in keyof GuardCounts]: number } = {
    positives: 0,
    absoluteMargin: 0,
    relativeMargin: 0,
    maxScore: 0,
    minScore: 0,
  };
  candidatesSeen = 0;
  queriesShort = 0;
  readonly #settings: MiningSettings;
  readonly #random: () => number;

  constructor(settings: MiningSettings) {
    this.#settings = settings;
    this.#random = mulberry32(settings.seed);
  }

  /**
   * `indices`/`scores`: the query's candidates best first (ties already in corpus order);
   * `isPositive`: whether a row is one of its positives; `reference`: its lowest positive score.
   */
  select(
    indices: ArrayLike<number>,
    scores: ArrayLike<number>,
    isPositive: (row: number) => boolean,
    reference: number,
  ): QuerySelection {
    const s = this.#settings;
    const removed = this.removed;
    const survivors: number[] = [];
    const n = indices.length;
    this.candidatesSeen += n;
    // sentence-transformers applies each rule to everything earlier rules left (score −∞ marks
    // a removal), so a candidate is counted under the first rule that removes it.
    const relativeBound =
      s.relativeMargin === undefined
        ? Infinity
        : reference - Math.abs(reference) * s.relativeMargin;
    for (let i = 0; i < n; i++) {
      const row = indices[i]!;
      const score = scores[i]!;
      if (isPositive(row)) removed.positives++;
      else if (s.absoluteMargin !== undefined && score + s.absoluteMargin > reference)
        removed.absoluteMargin++;
      else if (score > relativeBound) removed.relativeMargin++;
      else if (s.maxScore !== undefined && score > s.maxScore) removed.maxScore++;
      else if (s.minScore !== undefined && score < s.minScore) removed.minScore++;
      else survivors.push(i);
    }
    // The window: survivors ranked rangeMin .. rangeMax − 1 (0-based).
    const window = survivors.slice(s.rangeMin, s.rangeMax);
    let picked: number[];
    if (s.sampling === 'top' || window.length <= s.numNegatives) {
      picked = window.slice(0, s.numNegatives);
    } else {
      // A partial Fisher–Yates draw of numNegatives positions, then back in rank order (as
      // sentence-transformers re-sorts its sample by score).
      const pool = window.slice();
      for (let i = 0; i < s.numNegatives; i++) {
        const j = i + Math.floor(this.#random() * (pool.length - i));
        const t = pool[i]!;
        pool[i] = pool[j]!;
        pool[j] = t;
      }
      picked = pool.slice(0, s.numNegatives).sort((a, b) => a - b);
    }
    if (picked.length < s.numNegatives) this.queriesShort++;
    return {
      negatives: picked.map((i) => indices[i]!),
      scores: picked.map((i) => scores[i]!),
      eligible: window.length,
    };
  }
}
