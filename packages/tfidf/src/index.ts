export * from './types.js';
export type { TfidfErrorCode } from './errors.js';
export {
  TfidfError,
  InvalidOptionError,
  InvalidTextError,
  EmptyVocabularyError,
  NotFittedError,
  InvalidVectorError,
  DuplicateIdError,
  UnknownDocumentError,
} from './errors.js';
export { ENGLISH_STOP_WORDS } from './english-stop-words.js';
export type { SklearnAnalyzerOptions } from './sklearn-analyzer.js';
export { createSklearnAnalyzer } from './sklearn-analyzer.js';
export type { WinkAnalyzerOptions, WinkTermForm, WinkTokenType } from './wink-analyzer.js';
export { createWinkAnalyzer } from './wink-analyzer.js';
export type { TfidfVectorizerOptions, DocumentFrequencyLimit } from './tfidf-vectorizer.js';
export { TfidfVectorizer } from './tfidf-vectorizer.js';
export { InvertedIndex } from './inverted-index.js';
export type { TfidfRetrieverOptions } from './tfidf-retriever.js';
export { TfidfRetriever } from './tfidf-retriever.js';
export type { Bm25RetrieverOptions, Bm25Variant } from './bm25-retriever.js';
export { Bm25Retriever } from './bm25-retriever.js';
