export * from './types.js';
export type { TopK } from './select-top-k.js';
export { selectTopK } from './select-top-k.js';
export type { RetrievalErrorCode } from './errors.js';
export {
  RetrievalError,
  NaNScoreError,
  InvalidKError,
  InvalidOptionError,
  DimensionMismatchError,
  NonFiniteEmbeddingError,
} from './errors.js';
