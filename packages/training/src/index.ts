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
export { TrainingError, TrainingOptionError, GradientError } from './errors.js';
