import { describe, expect, it } from 'vitest';
import { learnCounts, countWithVocabulary } from './_counts.js';
import { InvertedIndex } from './inverted-index.js';
import { createSklearnAnalyzer } from './sklearn-analyzer.js';
import { weightFitted, weightTransformed } from './_weights.js';
import { readFixture, type Golden } from './_test-fixtures.js';
import type { SparseMatrix } from './types.js';

function valueAt(m: SparseMatrix, row: number, column: number): number | undefined {
  for (let p = m.indptr[row]!; p < m.indptr[row + 1]!; p++)
    if (m.indices[p] === column) return m.values[p];
  return undefined;
}

// Given scikit-learn's own idf values (numpy's log and V8's Math.log may differ in the last bit),
// our weights and scores must be bit-identical to scikit-learn's: this checks that row norms and
// dot products are summed in scikit-learn/scipy's storage order (see _weights.ts).
describe('weightFitted / weightTransformed', () => {
  const golden = readFixture<Golden>('tfidf-golden.json');

  it.each(golden.settings)('reproduce scikit-learn bit for bit for setting $name', (setting) => {
    const p = setting.params;
    const analyzer = createSklearnAnalyzer({
      ...(p.stop_words !== undefined && { stopWords: p.stop_words }),
      ...(p.ngram_range !== undefined && { ngramRange: p.ngram_range }),
    });
    const learned = learnCounts(
      golden.docs,
      analyzer,
      () => ({ min: 1, max: Infinity }),
      undefined,
    );
    const idf = Float64Array.from(learned.terms, (t) => setting.idf[t]!);
    const settings = { sublinearTf: p.sublinear_tf ?? false, norm: p.norm ?? 'l2', idf } as const;
    const docs = weightFitted(learned.counts, learned.countsByTerm, learned.newId, settings);
    const queries = weightTransformed(
      countWithVocabulary(golden.queries, analyzer, learned.vocabulary),
      settings,
    );
    const exact = (m: SparseMatrix, rows: Record<string, number>[]): number => {
      let same = 0;
      rows.forEach((row, r) => {
        for (const [term, value] of Object.entries(row))
          if (valueAt(m, r, learned.vocabulary.get(term)!) === value) same++;
      });
      return same;
    };
    const count = (rows: Record<string, number>[]): number =>
      rows.reduce((s, r) => s + Object.keys(r).length, 0);
    expect(exact(docs, setting.doc_vectors)).toBe(count(setting.doc_vectors));
    expect(exact(queries, setting.query_vectors)).toBe(count(setting.query_vectors));
    const index = InvertedIndex.fromMatrix(docs);
    for (let q = 0; q < golden.queries.length; q++) {
      expect(Array.from(index.scores(InvertedIndex.row(queries, q)))).toEqual(setting.scores[q]);
    }
  });
});
