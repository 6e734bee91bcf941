export * from './types.js';
export {
  MetricsError,
  InvalidCutoffError,
  NonFiniteScoreError,
  LengthMismatchError,
  InvalidIndexError,
  DuplicateDocumentError,
  InvalidGradeError,
  NoRelevantDocumentsError,
  EmptyEvaluationError,
  InvalidMeasureError,
  InvalidRankError,
  TrecParseError,
  TrecWriteError,
} from './errors.js';
export type { MetricsErrorCode } from './errors.js';
export { compareScoredDocs } from './compare-scored-docs.js';
export { rankByScore } from './rank-by-score.js';
export { rankOf } from './rank-of.js';
export { compareCodePoints } from './compare-code-points.js';
export type { RankByScoreOptions } from './rank-by-score.js';
export { recall } from './recall.js';
export type { RecallOptions } from './recall.js';
export { precision } from './precision.js';
export type { PrecisionOptions } from './precision.js';
export { hit } from './hit.js';
export type { HitOptions } from './hit.js';
export { hits } from './hits.js';
export type { HitsOptions } from './hits.js';
export { reciprocalRank } from './reciprocal-rank.js';
export type { ReciprocalRankOptions } from './reciprocal-rank.js';
export { reciprocalRankOfRank, meanReciprocalRank } from './reciprocal-rank-of-rank.js';
export type { RankReciprocalOptions } from './reciprocal-rank-of-rank.js';
export { ndcg } from './ndcg.js';
export type { NdcgOptions } from './ndcg.js';
export { averagePrecision } from './average-precision.js';
export type { AveragePrecisionOptions } from './average-precision.js';
export { METRICS, formatMeasure } from './measure.js';
export type { MetricName, CutoffMetricName, FullRankingMetricName, Measure } from './measure.js';
export { parseMeasure, RANX_ALIASES, TREC_EVAL_NAMES } from './parse-measure.js';
export { evaluate } from './evaluate.js';
export type { EvaluateOptions, Evaluation } from './evaluate.js';
export { parseTrecRun, formatTrecRun } from './trec-run.js';
export type { TrecTieOrder, ParseTrecRunOptions, FormatTrecRunOptions } from './trec-run.js';
export { parseTrecQrels, formatTrecQrels } from './trec-qrels.js';
export type { ParseTrecQrelsOptions } from './trec-qrels.js';
export { readTrecRun, writeTrecRun } from './trec-run-file.js';
export { readTrecQrels, writeTrecQrels } from './trec-qrels-file.js';
