/**
 * Plain-data types of `@rtk/tfidf`: analyzers and sparse vectors/matrices.
 */

/**
 * Turns one text into the terms to count (tokens, n-grams, stems…), in text order. Repeated
 * terms appear repeatedly. Build one with `createSklearnAnalyzer` or `createWinkAnalyzer`, or
 * pass any function of this shape.
 *
 * `description` names the analyzer and its settings inside a retriever's `name`
 * (`sklearn`, `sklearn(stop=english,ngram=1-2)`, `wink(form=stem)`); the two factories set it.
 * A function without one is reported as `custom`; give yours one with
 * `Object.assign((text) => …, { description: 'mine(v2)' })`.
 */
export type Analyzer = ((text: string) => string[]) & { readonly description?: string };

/**
 * One sparse row: term (column) indices strictly ascending, and their weights.
 * Both arrays have the same length.
 */
export interface SparseVector {
  readonly indices: Uint32Array;
  readonly values: Float64Array;
}

/**
 * A sparse matrix in compressed sparse row (CSR) form, as scipy's `csr_matrix`: row `i` holds
 * `indices[indptr[i]..indptr[i+1])` (strictly ascending column indices) with weights in
 * `values` at the same positions. `indptr` has `rows + 1` entries.
 */
export interface SparseMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly indptr: Uint32Array;
  readonly indices: Uint32Array;
  readonly values: Float64Array;
}

/** Inclusive `[min, max]` n-gram lengths, as scikit-learn's `ngram_range`. */
export type NgramRange = readonly [min: number, max: number];

/** Row normalisation of TF-IDF vectors, scikit-learn's `norm` (`'none'` is its `None`). */
export type Norm = 'l2' | 'l1' | 'none';
