import type { ProgressCallback } from '@rtk/retrieval';
import { EmptyVocabularyError, InvalidOptionError, NotFittedError } from './errors.js';
import { countWithVocabulary, learnCounts, type DfLimits } from './_counts.js';
import { describeAnalyzer, parameterList } from './_describe.js';
import { checkBoolean, checkOneOf, checkTexts } from './_validate.js';
import { weightFitted, weightTransformed, type WeightSettings } from './_weights.js';
import { createSklearnAnalyzer, type SklearnAnalyzerOptions } from './sklearn-analyzer.js';
import type { Analyzer, Norm, SparseMatrix } from './types.js';

/**
 * A document-frequency limit: a plain number is a document count (integer ≥ 0, scikit-learn's
 * `int`), `{ fraction }` a proportion of the fitted documents in [0, 1] (scikit-learn's `float`).
 */
export type DocumentFrequencyLimit = number | { readonly fraction: number };

/** Options for {@link TfidfVectorizer}; every default is scikit-learn's `TfidfVectorizer()`. */
export interface TfidfVectorizerOptions extends SklearnAnalyzerOptions {
  /**
   * Text → terms. Default: {@link createSklearnAnalyzer} built from `lowercase`, `stopWords`
   * and `ngramRange`; those three may not be combined with a custom analyzer.
   */
  readonly analyzer?: Analyzer;
  /** Weight by idf (`use_idf`). Default `true`. */
  readonly useIdf?: boolean;
  /** idf = ln((1 + n) / (1 + df)) + 1 when true, ln(n / df) + 1 when false (`smooth_idf`). Default `true`. */
  readonly smoothIdf?: boolean;
  /** tf = 1 + ln(count) instead of the raw count (`sublinear_tf`). Default `false`. */
  readonly sublinearTf?: boolean;
  /** Row normalisation (`norm`): `'l2'` (default), `'l1'` or `'none'` (scikit-learn's `None`). */
  readonly norm?: Norm;
  /** Drop terms in fewer documents than this (`min_df`). Default `1`. */
  readonly minDf?: DocumentFrequencyLimit;
  /** Drop terms in more documents than this (`max_df`). Default `{ fraction: 1 }`. */
  readonly maxDf?: DocumentFrequencyLimit;
  /** Called with (documents counted, total) while fitting. */
  readonly onProgress?: ProgressCallback;
}

const NORMS: readonly Norm[] = ['l2', 'l1', 'none'];

function checkLimit(
  value: unknown,
  option: string,
  fallback: DocumentFrequencyLimit,
): DocumentFrequencyLimit {
  const where = 'TfidfVectorizer';
  if (value === undefined) return fallback;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return value;
  } else if (typeof value === 'object' && value !== null && 'fraction' in value) {
    const f: unknown = value.fraction;
    if (typeof f === 'number' && f >= 0 && f <= 1) return { fraction: f };
  }
  throw new InvalidOptionError(
    option,
    where,
    'a document count (integer ≥ 0) or { fraction } with 0 ≤ fraction ≤ 1',
    value,
  );
}

/** A limit as scikit-learn writes it: a count as an integer, a fraction with a decimal point. */
function limitText(limit: DocumentFrequencyLimit): string {
  if (typeof limit === 'number') return String(limit);
  return Number.isInteger(limit.fraction) ? limit.fraction.toFixed(1) : String(limit.fraction);
}

function resolve(limit: DocumentFrequencyLimit, documents: number): number {
  return typeof limit === 'number' ? limit : limit.fraction * documents;
}

/**
 * scikit-learn's `TfidfVectorizer`: learns a vocabulary and idf weights from documents, then
 * turns texts into sparse TF-IDF rows.
 *
 * Definition (scikit-learn 1.2, reproduced bit for bit on its golden cases):
 * vocabulary = every analyzer term of the fitted documents with `minDf ≤ df ≤ maxDf`, columns in
 * Unicode code-point order; tf = raw count (or 1 + ln count with `sublinearTf`);
 * idf(t) = ln((1 + n) / (1 + df(t))) + 1 (`smoothIdf`, n = fitted documents) or ln(n / df(t)) + 1;
 * row = tf · idf, divided by its l2 (or l1) norm; all-zero rows stay zero; terms unknown at
 * transform time are ignored. Row norms are summed in scikit-learn's storage order, so given the
 * same idf the vectors are bit-identical (tested); idf itself can differ from numpy's in the
 * last bit (`Math.log` vs numpy's `log`).
 *
 * Relations: {@link TfidfRetriever} fits one on the corpus and scores queries through an
 * {@link InvertedIndex}; {@link Bm25Retriever} uses the same analyzers with BM25 weights.
 *
 * @example
 * ```ts
 * const v = new TfidfVectorizer().fit(['the cat sat', 'the dog sat down']);
 * console.log(v.terms, Array.from(v.idf, (x) => x.toFixed(4)));
 * // [ 'cat', 'dog', 'down', 'sat', 'the' ] [ '1.4055', '1.4055', '1.4055', '1.0000', '1.0000' ]
 * const q = v.transform(['cat cat dog']);
 * console.log(Array.from(q.indices), Array.from(q.values, (x) => x.toFixed(4)));
 * // [ 0, 1 ] [ '0.8944', '0.4472' ]
 * ```
 */
export class TfidfVectorizer {
  /** The analyzer every text goes through. */
  readonly analyzer: Analyzer;
  private readonly settings: Omit<WeightSettings, 'idf'> & {
    readonly useIdf: boolean;
    readonly smoothIdf: boolean;
  };
  private readonly minDf: DocumentFrequencyLimit;
  private readonly maxDf: DocumentFrequencyLimit;
  private readonly onProgress: ProgressCallback | undefined;
  private fitted:
    | {
        readonly terms: readonly string[];
        readonly vocabulary: ReadonlyMap<string, number>;
        readonly idf: Float64Array;
      }
    | undefined;

  /**
   * @param options - Analyzer and weighting; defaults are scikit-learn's.
   * @throws {@link InvalidOptionError} for an out-of-domain option, or analyzer options next to a custom analyzer.
   */
  constructor(options: TfidfVectorizerOptions = {}) {
    const where = 'TfidfVectorizer';
    if (options.analyzer !== undefined) {
      if (typeof options.analyzer !== 'function') {
        throw new InvalidOptionError(
          'analyzer',
          where,
          'a function (text) => string[]',
          options.analyzer,
        );
      }
      for (const key of ['lowercase', 'stopWords', 'ngramRange'] as const) {
        if (options[key] !== undefined) {
          throw new InvalidOptionError(
            key,
            where,
            'left out when a custom analyzer is given (configure the analyzer instead)',
            options[key],
          );
        }
      }
      this.analyzer = options.analyzer;
    } else {
      this.analyzer = createSklearnAnalyzer(options);
    }
    this.settings = {
      useIdf: checkBoolean(options.useIdf, 'useIdf', where, true),
      smoothIdf: checkBoolean(options.smoothIdf, 'smoothIdf', where, true),
      sublinearTf: checkBoolean(options.sublinearTf, 'sublinearTf', where, false),
      norm: checkOneOf(options.norm, 'norm', where, NORMS, 'l2'),
    };
    this.minDf = checkLimit(options.minDf, 'minDf', 1);
    this.maxDf = checkLimit(options.maxDf, 'maxDf', { fraction: 1 });
    this.onProgress = options.onProgress;
    const changed: string[] = [];
    if (!this.settings.useIdf) changed.push('use_idf=false');
    if (!this.settings.smoothIdf) changed.push('smooth_idf=false');
    if (this.settings.sublinearTf) changed.push('sublinear_tf=true');
    if (this.settings.norm !== 'l2') changed.push(`norm=${this.settings.norm}`);
    if (this.minDf !== 1) changed.push(`min_df=${limitText(this.minDf)}`);
    if (typeof this.maxDf === 'number' || this.maxDf.fraction !== 1) {
      changed.push(`max_df=${limitText(this.maxDf)}`);
    }
    this.description = `tfidf${parameterList(changed)}+${describeAnalyzer(this.analyzer)}`;
  }

  /**
   * What this vectorizer computes, as one whitespace-free token: `tfidf`, the settings that
   * differ from scikit-learn's defaults in scikit-learn's names, `+`, the analyzer's
   * description. `tfidf+sklearn` is `TfidfVectorizer()`; e.g.
   * `tfidf(sublinear_tf=true,min_df=2)+sklearn(stop=english)`. Document-frequency limits print
   * counts as integers and fractions with a decimal point (`max_df=0.9`, `max_df=1.0`), as
   * scikit-learn tells them apart. `TfidfRetriever` uses it as its default name.
   */
  readonly description: string;

  /** Terms by column (code-point order). @throws {@link NotFittedError} before `fit`. */
  get terms(): readonly string[] {
    return this.state('terms').terms;
  }

  /** Term → column, scikit-learn's `vocabulary_`. @throws {@link NotFittedError} before `fit`. */
  get vocabulary(): ReadonlyMap<string, number> {
    return this.state('vocabulary').vocabulary;
  }

  /**
   * idf per column, scikit-learn's `idf_` (all 1 with `useIdf: false`); a fresh copy on every
   * access, so keep it in a variable inside loops.
   *
   * @throws {@link NotFittedError} before `fit`.
   */
  get idf(): Float64Array {
    return this.state('idf').idf.slice();
  }

  /**
   * Learns vocabulary and idf from `documents` (replacing any earlier fit).
   *
   * @throws {@link InvalidTextError} for a non-string entry; {@link EmptyVocabularyError} if no term survives.
   */
  fit(documents: readonly string[]): this {
    this.fitTransform(documents);
    return this;
  }

  /**
   * Fits on `documents` and returns their TF-IDF rows (scikit-learn's `fit_transform`).
   *
   * @returns A CSR matrix, one row per document, `columns` = vocabulary size.
   * @throws {@link InvalidTextError}, {@link EmptyVocabularyError}, {@link InvalidOptionError} (maxDf below minDf).
   */
  fitTransform(documents: readonly string[]): SparseMatrix {
    const where = 'TfidfVectorizer.fit';
    checkTexts(documents, where);
    const resolveLimits = (n: number): DfLimits => {
      const min = resolve(this.minDf, n);
      const max = resolve(this.maxDf, n);
      if (max < min) {
        throw new InvalidOptionError(
          'maxDf',
          where,
          `at least minDf (${min} of ${n} documents)`,
          max,
        );
      }
      return { min, max };
    };
    const learned = learnCounts(documents, this.analyzer, resolveLimits, this.onProgress);
    if (learned.terms.length === 0) {
      throw new EmptyVocabularyError(
        where,
        documents.length,
        learned.pruned > 0
          ? `all ${learned.pruned} terms fall outside minDf/maxDf`
          : 'no document produced a term (empty texts, single characters or stop words only)',
      );
    }
    const n = documents.length;
    const idf = new Float64Array(learned.terms.length);
    const smooth = this.settings.smoothIdf ? 1 : 0;
    for (let c = 0; c < idf.length; c++) {
      // Same operation order as numpy: log((n + s) / (df + s)) + 1.
      idf[c] = this.settings.useIdf ? Math.log((n + smooth) / (learned.df[c]! + smooth)) + 1 : 1;
    }
    this.fitted = { terms: learned.terms, vocabulary: learned.vocabulary, idf };
    return weightFitted(
      learned.counts,
      learned.countsByTerm,
      learned.newId,
      this.weightSettings(idf),
    );
  }

  /**
   * TF-IDF rows of `texts` with the fitted vocabulary and idf (scikit-learn's `transform`);
   * unknown terms are ignored, a text with none gives an all-zero row.
   *
   * @throws {@link NotFittedError} before `fit`; {@link InvalidTextError} for a non-string entry.
   */
  transform(texts: readonly string[]): SparseMatrix {
    const state = this.state('transform');
    checkTexts(texts, 'TfidfVectorizer.transform');
    const counts = countWithVocabulary(texts, this.analyzer, state.vocabulary);
    return weightTransformed(counts, this.weightSettings(state.idf));
  }

  private weightSettings(idf: Float64Array): WeightSettings {
    return {
      sublinearTf: this.settings.sublinearTf,
      norm: this.settings.norm,
      idf: this.settings.useIdf ? idf : undefined,
    };
  }

  private state(member: string): NonNullable<TfidfVectorizer['fitted']> {
    if (this.fitted === undefined) {
      throw new NotFittedError(
        `TfidfVectorizer.${member}`,
        'Call fit(documents) or fitTransform(documents) first.',
      );
    }
    return this.fitted;
  }
}
