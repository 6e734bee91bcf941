import { writeFileAtomic } from '@rtk/files';
import type { NegativeFormat } from './settings.js';

/** A training triplet: sentence-transformers' `(anchor, positive, negative)` columns. */
export interface TripletRow {
  readonly query: string;
  readonly positive: string;
  readonly negative: string;
}

/** An n-tuple: `query`, `positive`, then `negative_1` … `negative_n` (sentence-transformers' n-tuple columns). */
export interface NTupleRow {
  readonly query: string;
  readonly positive: string;
  readonly [negative: `negative_${number}`]: string;
}

/** A (query, positive) row with no negative (`keepPairs`: a query mining found none for). */
export interface PairRow {
  readonly query: string;
  readonly positive: string;
}

/** One output row. */
export type NegativeRow = TripletRow | NTupleRow | PairRow;

/** Rows built from mined negatives, and how many (query, positive) rows were dropped. */
export interface NegativeRows {
  readonly rows: NegativeRow[];
  /** n-tuples: (query, positive) rows dropped because the query had fewer than n negatives. */
  readonly dropped: number;
}

/**
 * Output rows in sentence-transformers' order: query by query, each of its positives in turn;
 * `triplet` gives one row per negative (a short query still gives the negatives it has),
 * `ntuple` one row per (query, positive) with `negative_1..n`, dropping the rows of a query that
 * has fewer than `numNegatives` negatives. With `keepPairs`, no (query, positive) row is lost:
 * a query without a negative gives plain `{query, positive}` rows (both formats), and a short
 * n-tuple query gives rows with the negatives it has (`negative_1` … `negative_m`, m < n), the
 * mixed data an in-batch loss (InfoNCE) trains on: every pair, with the negatives there are.
 *
 * @example
 * ```ts
 * negativeRows(['q'], ['a', 'b', 'c'], [[0]], [[2, 1]], 'ntuple', 2).rows;
 * // [ { query: 'q', positive: 'a', negative_1: 'c', negative_2: 'b' } ]
 * ```
 */
export function negativeRows(
  queries: readonly string[],
  corpus: readonly string[],
  positives: readonly (readonly number[])[],
  negatives: readonly (readonly number[])[],
  format: NegativeFormat,
  numNegatives: number,
  keepPairs = false,
): NegativeRows {
  const rows: NegativeRow[] = [];
  let dropped = 0;
  queries.forEach((query, q) => {
    const negs = negatives[q]!;
    for (const p of positives[q]!) {
      const positive = corpus[p]!;
      if (keepPairs && negs.length === 0) {
        rows.push({ query, positive });
      } else if (format === 'triplet') {
        for (const n of negs) rows.push({ query, positive, negative: corpus[n]! });
      } else if (negs.length < numNegatives && !keepPairs) {
        dropped++;
      } else {
        const row: { query: string; positive: string; [negative: `negative_${number}`]: string } = {
          query,
          positive,
        };
        negs.forEach((n, i) => (row[`negative_${i + 1}`] = corpus[n]!));
        rows.push(row);
      }
    }
  });
  return { rows, dropped };
}

/**
 * Writes rows as JSONL (one JSON object a line, UTF-8), atomically: a killed run leaves the
 * previous file or none, never half of one.
 */
export async function writeNegativesJsonl(
  path: string,
  rows: readonly NegativeRow[],
): Promise<void> {
  await writeFileAtomic(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
}
