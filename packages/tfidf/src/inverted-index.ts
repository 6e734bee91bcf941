import { transposeCsr } from './_csr.js';
import { InvalidVectorError } from './errors.js';
import type { SparseMatrix, SparseVector } from './types.js';

/**
 * Posting lists of a document × term matrix: for each term, the documents that hold it (in
 * ascending document order) with their weights. Scores a sparse query against every document
 * by walking only the query terms' postings, so the cost is the total length of those lists,
 * never queries × documents.
 *
 * Score = Σ over the query's terms t of q_t · d_t (the dot product; cosine when both sides are
 * l2-normalised TF-IDF rows). Terms are accumulated from the highest column down, the order
 * scipy's sparse product uses on scikit-learn's query rows, so scores are bit-identical to
 * `Q @ X.T` there.
 *
 * Relations: rank the returned scores with `selectTopK` from `@rtk/retrieval` (top k, ties to the
 * lower index) and `rankOf` from `@rtk/metrics` (full-ranking rank); {@link TfidfRetriever} and
 * {@link Bm25Retriever} wrap all three.
 *
 * @example
 * ```ts
 * const docs = new TfidfVectorizer().fitTransform(['red apple', 'green apple', 'red car']);
 * const index = InvertedIndex.fromMatrix(docs);
 * const scores = index.scores({ indices: Uint32Array.of(3), values: Float64Array.of(1) }); // "red"
 * console.log(Array.from(scores, (s) => s.toFixed(3))); // [ '0.707', '0.000', '0.605' ]
 * ```
 */
export class InvertedIndex {
  /** Number of indexed documents (score array length). */
  readonly numDocuments: number;
  /** Number of terms (columns); query indices must be below it. */
  readonly numTerms: number;
  private readonly postings: SparseMatrix;

  private constructor(postings: SparseMatrix) {
    this.postings = postings;
    this.numTerms = postings.rows;
    this.numDocuments = postings.columns;
  }

  /**
   * Builds the index from document rows (CSR, e.g. {@link TfidfVectorizer.fitTransform}).
   *
   * @throws {@link InvalidVectorError} if the matrix is malformed (arrays not `Uint32Array` /
   *   `Float64Array`, lengths, a decreasing `indptr`, column range, non-finite weights).
   */
  static fromMatrix(documents: SparseMatrix): InvertedIndex {
    checkMatrix(documents, 'InvertedIndex.fromMatrix');
    return new InvertedIndex(transposeCsr(documents));
  }

  /**
   * Every document's score for one query, as a dense array indexed by document.
   *
   * @param query - Sparse query row: indices strictly ascending and `< numTerms`, finite weights.
   * @param out - Optional buffer of length `numDocuments` to reuse across queries (overwritten).
   * @returns `out` (or a new array) holding the scores; documents sharing no term score 0.
   * @throws {@link InvalidVectorError} for a malformed query or a wrong-sized buffer.
   */
  scores(query: SparseVector, out?: Float64Array): Float64Array {
    const where = 'InvertedIndex.scores';
    checkVector(query, this.numTerms, where);
    let acc: Float64Array;
    if (out === undefined) {
      acc = new Float64Array(this.numDocuments);
    } else {
      if (!(out instanceof Float64Array) || out.length !== this.numDocuments) {
        throw new InvalidVectorError(
          where,
          `out must be a Float64Array of length ${this.numDocuments}`,
        );
      }
      acc = out;
      acc.fill(0);
    }
    const { indptr, indices, values } = this.postings;
    for (let i = query.indices.length - 1; i >= 0; i--) {
      const t = query.indices[i]!;
      const q = query.values[i]!;
      const end = indptr[t + 1]!;
      for (let p = indptr[t]!; p < end; p++) {
        const d = indices[p]!;
        acc[d] = acc[d]! + q * values[p]!;
      }
    }
    return acc;
  }

  /** Row `row` of a CSR matrix as a {@link SparseVector} (views, no copy). */
  static row(matrix: SparseMatrix, row: number): SparseVector {
    const start = matrix.indptr[row]!;
    const end = matrix.indptr[row + 1]!;
    return {
      indices: matrix.indices.subarray(start, end),
      values: matrix.values.subarray(start, end),
    };
  }
}

function checkVector(v: SparseVector, numTerms: number, where: string): void {
  if (!(v.indices instanceof Uint32Array) || !(v.values instanceof Float64Array)) {
    throw new InvalidVectorError(
      where,
      'query.indices must be a Uint32Array and query.values a Float64Array',
    );
  }
  if (v.indices.length !== v.values.length) {
    throw new InvalidVectorError(
      where,
      `query has ${v.indices.length} indices but ${v.values.length} values`,
    );
  }
  let prev = -1;
  for (let i = 0; i < v.indices.length; i++) {
    const t = v.indices[i]!;
    if (t <= prev || t >= numTerms) {
      throw new InvalidVectorError(
        where,
        `query.indices[${i}] = ${t} is not ascending or not < numTerms (${numTerms})`,
      );
    }
    if (!Number.isFinite(v.values[i]!)) {
      throw new InvalidVectorError(where, `query.values[${i}] = ${v.values[i]} is not finite`);
    }
    prev = t;
  }
}

function checkMatrix(m: SparseMatrix, where: string): void {
  const { rows, columns, indptr, indices, values } = m;
  if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows < 0 || columns < 0) {
    throw new InvalidVectorError(
      where,
      `rows (${rows}) and columns (${columns}) must be integers ≥ 0`,
    );
  }
  if (
    !(indptr instanceof Uint32Array) ||
    !(indices instanceof Uint32Array) ||
    !(values instanceof Float64Array)
  ) {
    throw new InvalidVectorError(
      where,
      'indptr and indices must be Uint32Arrays and values a Float64Array',
    );
  }
  if (
    indptr.length !== rows + 1 ||
    indptr[0] !== 0 ||
    indptr[rows] !== indices.length ||
    indices.length !== values.length
  ) {
    throw new InvalidVectorError(
      where,
      `indptr must have rows + 1 = ${rows + 1} entries from 0 to indices.length (${indices.length}) = values.length (${values.length})`,
    );
  }
  // Order before contents: with indptr running from 0 to indices.length and never decreasing,
  // every row's range lies inside indices, so the row loop below never reads past the end.
  for (let r = 0; r < rows; r++) {
    if (indptr[r + 1]! < indptr[r]!) {
      throw new InvalidVectorError(
        where,
        `indptr decreases at row ${r} (indptr[${r}] = ${indptr[r]} > indptr[${r + 1}] = ${indptr[r + 1]}); it must be non-decreasing`,
      );
    }
  }
  for (let r = 0; r < rows; r++) {
    let prev = -1;
    for (let p = indptr[r]!; p < indptr[r + 1]!; p++) {
      const c = indices[p]!;
      if (c <= prev || c >= columns) {
        throw new InvalidVectorError(
          where,
          `row ${r}: column ${c} is not ascending or not < columns (${columns})`,
        );
      }
      if (!Number.isFinite(values[p]!))
        throw new InvalidVectorError(where, `row ${r}: weight ${values[p]} is not finite`);
      prev = c;
    }
  }
}
