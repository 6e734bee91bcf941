import type { IndexOptions, IndexedText, Retriever } from '@rtk/retrieval';
import { countWithVocabulary, learnCounts } from './_counts.js';
import { EmptyVocabularyError, InvalidOptionError } from './errors.js';
import { buildModel, checkCorpus, SparseModelRetriever } from './_sparse-search.js';
import { describeAnalyzer, parameterList } from './_describe.js';
import { checkName, checkNumber, checkOneOf } from './_validate.js';
import { createSklearnAnalyzer } from './sklearn-analyzer.js';
import type { Analyzer, SparseMatrix } from './types.js';

/** BM25 flavours: their idf and term-frequency formulas (see {@link Bm25Retriever}). */
export type Bm25Variant = 'lucene' | 'okapi';

/** Options for {@link Bm25Retriever}. */
export interface Bm25RetrieverOptions {
  /** Text → terms. Default {@link createSklearnAnalyzer}`()` (lowercase, 2+ word characters). */
  readonly analyzer?: Analyzer;
  /** `'lucene'` (default; Lucene ≥ 8 / Pyserini) or `'okapi'` (rank_bm25 `BM25Okapi`). */
  readonly variant?: Bm25Variant;
  /** Term-frequency saturation, ≥ 0. Default 0.9 (lucene) or 1.5 (okapi). */
  readonly k1?: number;
  /** Length normalisation in [0, 1]. Default 0.4 (lucene) or 0.75 (okapi). */
  readonly b?: number;
  /** okapi only: negative idf values are replaced by epsilon × mean idf. Default 0.25. */
  readonly epsilon?: number;
  /**
   * Name in reports and TREC run tags: non-empty, without whitespace. Default
   * `bm25-<variant>(<k1, b, okapi's epsilon>)+<analyzer>`, e.g. `bm25-lucene(k1=0.9,b=0.4)+sklearn`
   * or `bm25-okapi(k1=1.5,b=0.75,epsilon=0.25)+wink(form=stem)`.
   */
  readonly name?: string;
}

const VARIANTS: readonly Bm25Variant[] = ['lucene', 'okapi'];
const DEFAULTS: Readonly<Record<Bm25Variant, { k1: number; b: number }>> = {
  lucene: { k1: 0.9, b: 0.4 },
  okapi: { k1: 1.5, b: 0.75 },
};

/**
 * BM25 retrieval over an inverted index, a second sparse baseline beside {@link TfidfRetriever}.
 *
 * score(q, d) = Σ over query tokens t (repeats count again) of idf(t) · tfw(t, d), with
 * N documents, df(t) documents holding t, f = count of t in d, |d| = terms in d, avgdl = mean |d|:
 * - `'lucene'` (default, Lucene ≥ 8 `BM25Similarity`, Pyserini; k1 = 0.9, b = 0.4):
 *   idf = ln(1 + (N − df + 0.5) / (df + 0.5)) (always > 0), tfw = f / (f + k1·(1 − b + b·|d|/avgdl)).
 *   Lucene stores |d| in one lossy byte; we use the exact length, so scores can differ slightly.
 * - `'okapi'` (rank_bm25 `BM25Okapi`; k1 = 1.5, b = 0.75): idf = ln(N − df + 0.5) − ln(df + 0.5),
 *   negative values replaced by epsilon · (mean idf over the vocabulary), tfw = f·(k1 + 1) / (f + k1·(1 − b + b·|d|/avgdl)).
 *
 * Scores of different variants are not comparable; the name (e.g.
 * `bm25-lucene(k1=0.9,b=0.4)+sklearn`) says which variant, parameters and analyzer produced a result. Ranking rule and exactness as {@link TfidfRetriever}.
 *
 * @example
 * ```ts
 * const r = new Bm25Retriever();
 * await r.index([
 *   { id: 'p1', text: 'Paris is the capital of France' },
 *   { id: 'p2', text: 'Berlin is the capital of Germany' },
 * ]);
 * const [top] = await r.search(['capital of France'], { k: 2 });
 * console.log(r.name, top.map((d) => `${d.id} ${d.score.toFixed(4)}`));
 * // bm25-lucene(k1=0.9,b=0.4)+sklearn [ 'p1 0.5567', 'p2 0.1919' ]
 * ```
 */
export class Bm25Retriever extends SparseModelRetriever implements Retriever {
  protected readonly className = 'Bm25Retriever';
  /** Name for reports, naming variant, k1 and b. */
  readonly name: string;
  /** The variant in use. */
  readonly variant: Bm25Variant;
  /** k1 in use. */
  readonly k1: number;
  /** b in use. */
  readonly b: number;
  private readonly epsilon: number;
  private readonly analyzer: Analyzer;

  /**
   * @param options - Variant, k1, b, analyzer; defaults per variant as listed above.
   * @throws {@link InvalidOptionError} for an out-of-range option, or a `name` that is empty or
   *   contains whitespace.
   */
  constructor(options: Bm25RetrieverOptions = {}) {
    super();
    const where = 'Bm25Retriever';
    this.variant = checkOneOf(options.variant, 'variant', where, VARIANTS, 'lucene');
    const d = DEFAULTS[this.variant];
    this.k1 = checkNumber(options.k1, 'k1', where, d.k1, 0, Number.MAX_VALUE);
    this.b = checkNumber(options.b, 'b', where, d.b, 0, 1);
    this.epsilon = checkNumber(options.epsilon, 'epsilon', where, 0.25, 0, Number.MAX_VALUE);
    if (options.analyzer !== undefined && typeof options.analyzer !== 'function') {
      throw new InvalidOptionError(
        'analyzer',
        where,
        'a function (text) => string[]',
        options.analyzer,
      );
    }
    this.analyzer = options.analyzer ?? createSklearnAnalyzer();
    const name = checkName(options.name, where);
    const parameters = [`k1=${this.k1}`, `b=${this.b}`];
    if (this.variant === 'okapi') parameters.push(`epsilon=${this.epsilon}`);
    this.name =
      name ?? `bm25-${this.variant}${parameterList(parameters)}+${describeAnalyzer(this.analyzer)}`;
  }

  /**
   * Counts the corpus terms and builds the BM25-weighted inverted index (replacing any earlier one).
   *
   * @throws {@link InvalidTextError}; {@link DuplicateIdError}; {@link EmptyVocabularyError}.
   */
  index(corpus: readonly IndexedText[], options: IndexOptions = {}): Promise<void> {
    return Promise.resolve().then(() => {
      const where = 'Bm25Retriever.index';
      const { ids, texts, position } = checkCorpus(corpus, where);
      const learned = learnCounts(
        texts,
        this.analyzer,
        () => ({ min: 1, max: Infinity }),
        options.onProgress,
      );
      if (learned.terms.length === 0) {
        throw new EmptyVocabularyError(where, texts.length, 'no document produced a term');
      }
      const documents = this.weigh(learned.counts, learned.df);
      const vocabulary = learned.vocabulary;
      const analyzer = this.analyzer;
      // Query weight = how often the term occurs in the query (each repeat adds its score again).
      const vectorize = (q: readonly string[]): SparseMatrix =>
        countWithVocabulary(q, analyzer, vocabulary);
      this.model = buildModel(ids, position, documents, vectorize);
    });
  }

  private weigh(counts: SparseMatrix, df: Uint32Array): SparseMatrix {
    const n = counts.rows;
    const idf = new Float64Array(df.length);
    let sum = 0;
    for (let t = 0; t < df.length; t++) {
      const f = df[t]!;
      idf[t] =
        this.variant === 'lucene'
          ? Math.log(1 + (n - f + 0.5) / (f + 0.5))
          : Math.log(n - f + 0.5) - Math.log(f + 0.5);
      sum += idf[t]!;
    }
    if (this.variant === 'okapi') {
      const floor = (this.epsilon * sum) / df.length;
      for (let t = 0; t < idf.length; t++) if (idf[t]! < 0) idf[t] = floor;
    }
    const lengths = new Float64Array(n);
    let total = 0;
    for (let r = 0; r < n; r++) {
      let len = 0;
      for (let p = counts.indptr[r]!; p < counts.indptr[r + 1]!; p++) len += counts.values[p]!;
      lengths[r] = len;
      total += len;
    }
    const avgdl = total / n;
    const { k1, b } = this;
    const boost = this.variant === 'okapi' ? k1 + 1 : 1;
    const values = new Float64Array(counts.values.length);
    for (let r = 0; r < n; r++) {
      const norm = k1 * (1 - b + (b * lengths[r]!) / avgdl);
      for (let p = counts.indptr[r]!; p < counts.indptr[r + 1]!; p++) {
        const f = counts.values[p]!;
        values[p] = (idf[counts.indices[p]!]! * (f * boost)) / (f + norm);
      }
    }
    return { ...counts, values };
  }
}
