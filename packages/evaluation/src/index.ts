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
export { evaluateRetriever } from './evaluate-retriever.js';
export { DEFAULT_MEASURES } from './default-measures.js';
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
export { ComparisonError } from './errors.js';
export {
  PAIRED_TESTS,
  compareEvaluations,
  fisherRandomizationTest,
  pairedStudentTTest,
  studentTwoSidedP,
} from './significance.js';
export type {
  CompareOptions,
  FisherOptions,
  MeasureComparison,
  PairedTestName,
  PairedTestResult,
} from './significance.js';
