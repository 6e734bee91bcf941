import type { Pair, RetrievalDataset } from '@rtk/datasets';

/** A retrieval test set as mining input: (query, relevant passage) pairs and the whole corpus. */
export interface DatasetPairs {
  readonly pairs: Pair[];
  /** Every corpus text, to draw negatives from beyond the positives. */
  readonly corpus: string[];
}

/**
 * Turns a `RetrievalDataset` (a BEIR folder, a pairs file loaded by `@rtk/datasets`) into mining
 * input: one pair per (query, passage) judged relevant (grade > 0), in query order then qrels
 * order; queries without a relevant passage in the corpus give no pair.
 *
 * @example
 * ```ts
 * const { pairs, corpus } = pairsFromDataset(await loadBeir('data/scifact', { split: 'train' }));
 * ```
 */
export function pairsFromDataset(dataset: RetrievalDataset): DatasetPairs {
  const textOf = new Map(dataset.corpus.map((d) => [d.id, d.text]));
  const pairs: Pair[] = [];
  for (const q of dataset.queries) {
    for (const [id, grade] of dataset.qrels.get(q.id) ?? []) {
      const passage = textOf.get(id);
      if (grade > 0 && passage !== undefined) pairs.push({ query: q.text, passage });
    }
  }
  return { pairs, corpus: dataset.corpus.map((d) => d.text) };
}
