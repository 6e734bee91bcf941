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

/** One output row. */
export type NegativeRow = TripletRow | NTupleRow;

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
 * has fewer than `numNegatives` negatives.
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
): NegativeRows {
  const rows: NegativeRow[] = [];
  let dropped = 0;
  queries.forEach((query, q) => {
    const negs = negatives[q]!;
    for (const p of positives[q]!) {
      const positive = corpus[p]!;
      if (format === 'triplet') {
        for (const n of negs) rows.push({ query, positive, negative: corpus[n]! });
      } else if (negs.length < numNegatives) {
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
