import type { Pair } from '@rtk/datasets';
import { InvalidPairsError } from './errors.js';

/** Pairs grouped for mining: distinct queries, the mining corpus and each query's positives. */
export interface MiningCorpus {
  /** Distinct query texts, in order of first appearance. */
  readonly queries: readonly string[];
  /** Distinct corpus texts: the extra corpus first, then the positives, in order of first appearance. */
  readonly corpus: readonly string[];
  /** Per query, its positives as corpus rows, in pair order (an exact duplicate pair counts once). */
  readonly positives: readonly (readonly number[])[];
  /** (query, positive) pairs after exact duplicates were merged. */
  readonly pairs: number;
}

function checkText(value: unknown, where: string, index: number, what: string): string {
  if (typeof value !== 'string')
    throw new InvalidPairsError(where, index, `${what} is not a string`);
  if (value.length === 0) throw new InvalidPairsError(where, index, `${what} is empty`);
  return value;
}

/**
 * Groups (query, positive) pairs as sentence-transformers' `mine_hard_negatives` does: a query
 * that appears in several pairs is one query with several positives, and the corpus is the
 * extra corpus ∪ all positives with exact-duplicate texts merged (`dict.fromkeys(corpus +
 * positives)`), so a positive is one corpus row however often it appears.
 *
 * @param extraCorpus - More passages to draw negatives from (default none: the positives only).
 * @throws {@link InvalidPairsError} for no pairs, or a query, passage or corpus text that is
 *   empty or not a string (naming its position).
 * @example
 * ```ts
 * const g = groupPairs([{ query: 'q1', passage: 'a' }, { query: 'q1', passage: 'b' }], ['c', 'a']);
 * // g.queries ['q1'], g.corpus ['c', 'a', 'b'], g.positives [[1, 2]]
 * ```
 */
export function groupPairs(
  pairs: readonly Pair[],
  extraCorpus: readonly string[] = [],
): MiningCorpus {
  const where = 'groupPairs';
  if (pairs.length === 0) throw new InvalidPairsError(where, undefined, 'no pairs given');
  const corpus: string[] = [];
  const rowOf = new Map<string, number>();
  const add = (text: string): number => {
    let row = rowOf.get(text);
    if (row === undefined) {
      row = corpus.length;
      rowOf.set(text, row);
      corpus.push(text);
    }
    return row;
  };
  extraCorpus.forEach((text, i) => {
    if (typeof text !== 'string' || text.length === 0)
      throw new InvalidPairsError(
        where,
        undefined,
        `corpus text ${i} (0-based) is empty or not a string`,
      );
    add(text);
  });
  const queries: string[] = [];
  const queryOf = new Map<string, number>();
  const positives: number[][] = [];
  const seen: Set<number>[] = [];
  let merged = 0;
  pairs.forEach((pair, i) => {
    const query = checkText(pair.query, where, i, 'the query');
    const passage = checkText(pair.passage, where, i, 'the passage');
    let q = queryOf.get(query);
    if (q === undefined) {
      q = queries.length;
      queryOf.set(query, q);
      queries.push(query);
      positives.push([]);
      seen.push(new Set());
    }
    const row = add(passage);
    if (seen[q]!.has(row)) return;
    seen[q]!.add(row);
    positives[q]!.push(row);
    merged++;
  });
  return { queries, corpus, positives, pairs: merged };
}
