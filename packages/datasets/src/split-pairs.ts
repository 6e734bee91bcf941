import { checkPairs } from './_check-pairs.js';
import { mulberry32 } from './mulberry32.js';
import { shuffled } from './shuffled.js';
import { DatasetArgumentError } from './errors.js';
import type { Pair } from './types.js';

/** How {@link splitPairs} keeps related pairs together. */
export type SplitGrouping = 'connected' | 'none';

/** Options for {@link splitPairs}. */
export interface SplitPairsOptions {
  /** Fraction of pairs held out for test, in [0, 1]. Default 0.2. Ignored when `testSize` is set. */
  readonly testFraction?: number;
  /** Absolute number of test pairs (e.g. 1000, the reference recipe). Overrides `testFraction`. */
  readonly testSize?: number;
  /** Seed of the mulberry32 generator that orders the groups. Default 42. */
  readonly seed?: number;
  /**
   * `'connected'` (default): pairs that share a query text or a passage text (directly or through
   * a chain) form one group, and a group goes wholly to train or wholly to test, so no test query
   * and no test passage was seen in training. `'none'`: every pair is split on its own.
   */
  readonly grouping?: SplitGrouping;
}

/** The settings a split used and the sizes it produced: record them with results. */
export interface SplitSettings {
  readonly seed: number;
  readonly testFraction: number;
  readonly testSize: number | undefined;
  readonly grouping: SplitGrouping;
  readonly prng: 'mulberry32';
  readonly total: number;
  readonly trainPairs: number;
  readonly testPairs: number;
  readonly groups: number;
}

/** Result of {@link splitPairs}. */
export interface PairSplit {
  readonly train: Pair[];
  readonly test: Pair[];
  readonly settings: SplitSettings;
}

/**
 * Deterministic, seeded train/test split of (query, passage) pairs.
 *
 * Method: group the pairs (see `grouping`), shuffle the groups with a mulberry32 generator seeded
 * by `seed` (Fisher–Yates on a copy), then walk them in that order, putting a group into test
 * while fewer than `target = round(testFraction × n)` (or `testSize`) test pairs are taken, and
 * the rest into train. Test therefore holds at least `target` pairs and overshoots by less than
 * the size of one group (groups are small in NQ-style data); with `grouping: 'none'` it holds
 * exactly `target`. Both sides keep the input order. Same pairs + same options → same split, on
 * any machine.
 *
 * Why group: Natural Questions repeats passages across questions and sometimes repeats questions.
 * Splitting pair by pair would put a test passage (or the test question itself) into training,
 * which inflates the scores of trained retrievers.
 *
 * Related: {@link datasetFromPairs} turns each side into a {@link RetrievalDataset}.
 *
 * @throws {@link DatasetArgumentError} for a fraction outside [0, 1], a bad size or seed, or bad pairs.
 * @example
 * ```ts
 * const { train, test, settings } = splitPairs(pairs, { testFraction: 0.2, seed: 42 });
 * settings; // { seed: 42, testFraction: 0.2, testSize: undefined, grouping: 'connected', prng: 'mulberry32', total: 10, trainPairs: 8, testPairs: 2, groups: 10 }
 * ```
 */
export function splitPairs(pairs: readonly Pair[], options: SplitPairsOptions = {}): PairSplit {
  checkPairs(pairs, 'splitPairs');
  const testFraction = options.testFraction ?? 0.2;
  const seed = options.seed ?? 42;
  const grouping = options.grouping ?? 'connected';
  if (typeof testFraction !== 'number' || !(testFraction >= 0 && testFraction <= 1)) {
    throw new DatasetArgumentError(
      `splitPairs: testFraction must be a number in [0, 1], received ${String(testFraction)}.`,
    );
  }
  if (!Number.isSafeInteger(seed)) {
    throw new DatasetArgumentError(
      `splitPairs: seed must be an integer, received ${String(seed)}.`,
    );
  }
  if (
    options.testSize !== undefined &&
    !(
      Number.isSafeInteger(options.testSize) &&
      options.testSize >= 0 &&
      options.testSize <= pairs.length
    )
  ) {
    throw new DatasetArgumentError(
      `splitPairs: testSize must be an integer in [0, ${pairs.length}] (the number of pairs), received ${String(options.testSize)}.`,
    );
  }
  if (grouping !== 'connected' && grouping !== 'none') {
    throw new DatasetArgumentError(
      `splitPairs: grouping must be 'connected' or 'none', received ${JSON.stringify(grouping)}.`,
    );
  }
  const target = options.testSize ?? Math.round(testFraction * pairs.length);
  const groups = grouping === 'none' ? pairs.map((_, i) => [i]) : connectedGroups(pairs);
  const inTest = new Uint8Array(pairs.length);
  let taken = 0;
  for (const group of shuffled(groups, mulberry32(seed))) {
    if (taken >= target) break;
    for (const i of group) inTest[i] = 1;
    taken += group.length;
  }
  const train: Pair[] = [];
  const test: Pair[] = [];
  pairs.forEach((pair, i) => (inTest[i] === 1 ? test : train).push(pair));
  return {
    train,
    test,
    settings: {
      seed,
      testFraction,
      testSize: options.testSize,
      grouping,
      prng: 'mulberry32',
      total: pairs.length,
      trainPairs: train.length,
      testPairs: test.length,
      groups: groups.length,
    },
  };
}

/** Union-find over pairs linked by equal query text or equal passage text; groups in first-index order. */
function connectedGroups(pairs: readonly Pair[]): number[][] {
  const parent = pairs.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) {
      const next = parent[i] as number;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const byQuery = new Map<string, number>();
  const byPassage = new Map<string, number>();
  pairs.forEach(({ query, passage }, i) => {
    const q = byQuery.get(query);
    if (q === undefined) byQuery.set(query, i);
    else union(q, i);
    const p = byPassage.get(passage);
    if (p === undefined) byPassage.set(passage, i);
    else union(p, i);
  });
  const groups = new Map<number, number[]>();
  pairs.forEach((_, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [i]);
    else group.push(i);
  });
  return [...groups.values()];
}
