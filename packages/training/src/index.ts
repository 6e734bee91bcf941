export { AdamW } from './adamw.js';
export type { AdamWOptions, NamedTensor } from './adamw.js';
export { excludeBiasAndLayerNorm } from './exclude-bias-and-layer-norm.js';
export { gradCacheVariableGrads } from './grad-cache-variable-grads.js';
export type { GradCacheOptions } from './grad-cache-variable-grads.js';
export { clipByGlobalNorm } from './clip-by-global-norm.js';
export type { ClippedGradients } from './clip-by-global-norm.js';
export { linearWarmupDecay, constantLearningRate } from './learning-rate-schedule.js';
export type {
  LearningRateSchedule,
  LinearWarmupDecayOptions,
  ConstantLearningRateOptions,
} from './learning-rate-schedule.js';
export type { TrainingErrorCode } from './errors.js';
export {
  TrainingError,
  TrainingOptionError,
  GradientError,
  NonFiniteError,
  TrainingDataError,
  CheckpointError,
  RunMismatchError,
} from './errors.js';
export { createTrainStep, TRAIN_SCHEDULES } from './train-step.js';
export type {
  TrainStep,
  TrainStepModel,
  TrainStepOptions,
  TrainStepResult,
  TrainBatch,
  TrainSchedule,
} from './train-step.js';
export { TRAIN_LOSSES } from './train-loss.js';
export type {
  TrainLoss,
  TrainLossName,
  InfoNceTrainLoss,
  TripletTrainLoss,
  ContrastiveTrainLoss,
} from './train-loss.js';
export { TrainingBatchError } from './errors.js';
export { fineTune, planFineTune } from './fine-tune.js';
export type {
  FineTuneOptions,
  FineTuneResult,
  FineTunePlan,
  FineTuneRefresh,
  FineTuneEvaluation,
  FineTuneEvaluationRecord,
  FineTuneStepRecord,
} from './fine-tune.js';
export type { TrainerState } from './_checkpoints.js';
export {
  loadTrainingExamples,
  examplesFromPairs,
  EXAMPLE_QUERY_FIELDS,
  EXAMPLE_POSITIVE_FIELDS,
} from './training-examples.js';
export type { TrainingExample } from './training-examples.js';
export { epochBatches, BATCH_SAMPLERS } from './batch-sampler.js';
export type { BatchSamplerName, EpochBatchesOptions } from './batch-sampler.js';
