export {
  EvaluationError,
  InvalidOptionError,
  EmptyDatasetError,
  InvalidDatasetError,
  UnknownDocumentError,
  InvalidScoreError,
  InvalidRankingError,
} from './errors.js';
export type { EvaluationErrorCode } from './errors.js';
export { evaluateRetriever, DEFAULT_MEASURES } from './evaluate-retriever.js';
export type {
  EvaluateRetrieverOptions,
  EvaluationPhase,
  EvaluationProgress,
  MrrResult,
  RetrieverEvaluation,
} from './evaluate-retriever.js';
export { studyMetrics } from './study-metrics.js';
export type { StudyMetrics, StudyMetricsOptions } from './study-metrics.js';
export { trecTag } from './trec-tag.js';
