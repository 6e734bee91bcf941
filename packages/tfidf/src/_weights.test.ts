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

  // An idf of 0 (allowed by WeightSettings, never produced by TfidfVectorizer, whose idf is ≥ 1)
  // makes a row with entries whose weights, and so whose norm, are all 0: it must stay 0, not
  // become 0 / 0 = NaN. Docs 'aa aa' and 'aa bb', columns aa = 0, bb = 1, idf [0, 2]:
  // row 0 = [2·0] → norm 0 → [0]; row 1 = [1·0, 1·2] → l2 norm √4 = 2, l1 norm 0 + 2 = 2 → [0, 1].
  it.each(['l2', 'l1'] as const)('keeps a row of zero weights zero %#', (norm) => {
    const docs = ['aa aa', 'aa bb'];
    const analyzer = createSklearnAnalyzer();
    const learned = learnCounts(docs, analyzer, () => ({ min: 1, max: Infinity }), undefined);
    expect(learned.terms).toEqual(['aa', 'bb']);
    const settings = { sublinearTf: false, norm, idf: Float64Array.of(0, 2) } as const;
    const fitted = weightFitted(learned.counts, learned.countsByTerm, learned.newId, settings);
    const transformed = weightTransformed(
      countWithVocabulary(docs, analyzer, learned.vocabulary),
      settings,
    );
    for (const m of [fitted, transformed]) {
      expect(Array.from(m.indptr)).toEqual([0, 1, 3]);
      expect(Array.from(m.indices)).toEqual([0, 0, 1]);
      expect(Array.from(m.values)).toEqual([0, 0, 1]);
    }
  });
});
