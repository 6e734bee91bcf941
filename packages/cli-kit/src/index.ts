export type { CliKitErrorCode } from './errors.js';
export {
  CliKitError,
  UsageError,
  OutputNotWritableError,
  OutputLockedError,
  ModelUnavailableError,
} from './errors.js';
export type { DecimalRule } from './decimal.js';
export { parseDecimal, describeRange, MAX_SEED } from './decimal.js';
export type { CliIo } from './program.js';
export { strictCommand, decimalOption, runCli, processIo } from './program.js';
export type { OutputStream, Environment, Palette } from './colour.js';
export { colourEnabled, palette } from './colour.js';
export type { ProgressBar, ProgressBarOptions } from './progress.js';
export { formatEta, progressBar, withProgress } from './progress.js';
export type { OutputTarget, CheckOutputsOptions, OutputLock } from './outputs.js';
export { checkOutputs, lockOutputFiles } from './outputs.js';
export { userCwd, userPath } from './user-path.js';
export type {
  ModelLocation,
  ModelChoice,
  ModelFlags,
  AddModelOptionsOptions,
} from './model-options.js';
export {
  isE5Model,
  locateModel,
  chooseModel,
  checkModelOffline,
  addModelOptions,
} from './model-options.js';
export {
  seedOption,
  testFractionOption,
  limitOption,
  beirOptions,
  given,
  requireWith,
} from './data-options.js';
export type { DataSource, SplitChoice, LoadEvalDataOptions, EvalData } from './eval-data.js';
export { loadEvalData } from './eval-data.js';
export { packageVersion } from './package-version.js';
export { metricTable } from './metric-table.js';
export type { EvaluationProgressBars } from './evaluation-progress.js';
export { evaluationProgress } from './evaluation-progress.js';
export type { BackendFlags } from './backend-options.js';
export { BACKEND_CHOICES, addBackendOptions, backendOptions } from './backend-options.js';
