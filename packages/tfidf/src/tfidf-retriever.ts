import type { IndexOptions, IndexedText, ProgressCallback, Retriever } from '@rtk/retrieval';
import { checkName } from './_validate.js';
import { buildModel, checkCorpus, SparseModelRetriever } from './_sparse-search.js';
import { TfidfVectorizer, type TfidfVectorizerOptions } from './tfidf-vectorizer.js';

/** Options for {@link TfidfRetriever}: the vectorizer's (scikit-learn defaults) and a report name. */
export interface TfidfRetrieverOptions extends Omit<TfidfVectorizerOptions, 'onProgress'> {
  /**
   * Name in reports and TREC run tags: non-empty, without whitespace. Default: the vectorizer's
   * `description` — `tfidf+sklearn` for scikit-learn's defaults, else the changed settings and
   * the analyzer, e.g. `tfidf(sublinear_tf=true)+wink(form=stem)` (`+custom` for an analyzer
   * without a description).
   */
  readonly name?: string;
}

/**
 * TF-IDF retrieval as the study did it with scikit-learn: fit {@link TfidfVectorizer} on the
 * corpus, transform each query, rank every document by cosine (the dot product of the
 * l2-normalised rows) through an {@link InvertedIndex}. Rankings equal brute force over all
 * documents (descending score, ties → earlier-indexed document), including documents that share
 * no term with the query (score 0, in corpus order after every positive score).
 *
 * Relations: implements `Retriever` from `@rtk/retrieval`; {@link Bm25Retriever} is the BM25
 * alternative with the same interface. `firstRelevantRank` and {@link TfidfRetriever.rankOf}
 * give full-ranking ranks (for MRR) without materialising whole rankings.
 *
 * @example
 * ```ts
 * const r = new TfidfRetriever();
 * await r.index([
 *   { id: 'p1', text: 'Paris is the capital of France' },
 *   { id: 'p2', text: 'Berlin is the capital of Germany' },
 * ]);
 * const [top] = await r.search(['capital of France'], { k: 2 });
 * console.log(top.map((d) => `${d.id} ${d.score.toFixed(4)}`)); // [ 'p1 0.7071', 'p2 0.3557' ]
 * ```
 */
export class TfidfRetriever extends SparseModelRetriever implements Retriever {
  protected readonly className = 'TfidfRetriever';
  /** Name for reports. */
  readonly name: string;
  private readonly options: TfidfVectorizerOptions;
  private vectorizerOfIndex: TfidfVectorizer | undefined;

  /**
   * @param options - Vectorizer settings (defaults: scikit-learn's `TfidfVectorizer()`) and name.
   * @throws {@link InvalidOptionError} for bad settings (checked here, before any indexing),
   *   including a `name` that is empty or contains whitespace.
   */
  constructor(options: TfidfRetrieverOptions = {}) {
    super();
    const { name: requested, ...vectorizer } = options;
    const name = checkName(requested, 'TfidfRetriever');
    const checked = new TfidfVectorizer(vectorizer); // validate now, not at index time
    this.options = vectorizer;
    this.name = name ?? checked.description;
  }

  /** The vectorizer fitted by the last `index` call (vocabulary, idf). @returns undefined before `index`. */
  get vectorizer(): TfidfVectorizer | undefined {
    return this.vectorizerOfIndex;
  }

  /**
   * Fits the vectorizer on the corpus texts and builds the inverted index (replacing any earlier one).
   *
   * @throws {@link InvalidTextError} for a malformed entry; {@link DuplicateIdError}; {@link EmptyVocabularyError}.
   */
  index(corpus: readonly IndexedText[], options: IndexOptions = {}): Promise<void> {
    return Promise.resolve().then(() => {
      const { ids, texts, position } = checkCorpus(corpus, 'TfidfRetriever.index');
      const onProgress: ProgressCallback | undefined = options.onProgress;
      const vectorizer = new TfidfVectorizer({ ...this.options, onProgress });
      const documents = vectorizer.fitTransform(texts);
      this.model = buildModel(ids, position, documents, (q) => vectorizer.transform(q));
      this.vectorizerOfIndex = vectorizer;
    });
  }
}
