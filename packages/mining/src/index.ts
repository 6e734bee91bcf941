export type { Sampling, NegativeFormat, HardNegativeOptions, MiningSettings } from './settings.js';
export { SAMPLINGS, NEGATIVE_FORMATS, resolveMiningSettings } from './settings.js';
export type { MiningCorpus } from './group-pairs.js';
export { groupPairs } from './group-pairs.js';
export type { QueryCandidates, HardNegativeSelection } from './select-hard-negatives.js';
export { selectHardNegatives } from './select-hard-negatives.js';
export type { EmbeddingMiningInput, EmbeddingMiningOptions } from './mine-embeddings.js';
export { mineHardNegativesFromEmbeddings } from './mine-embeddings.js';
export type {
  MiningStage,
  MineHardNegativesOptions,
  MinedNegatives,
} from './mine-hard-negatives.js';
export { mineHardNegatives } from './mine-hard-negatives.js';
export type { MineRandomNegativesOptions } from './mine-random-negatives.js';
export { mineRandomNegatives } from './mine-random-negatives.js';
export type { TripletRow, NTupleRow, PairRow, NegativeRow, NegativeRows } from './negative-rows.js';
export { negativeRows, writeNegativesJsonl } from './negative-rows.js';
export type { GuardCounts, ScoreSummary, MiningStats } from './mining-stats.js';
export { summarizeScores, formatMiningStats } from './mining-stats.js';
export type { MiningErrorCode } from './errors.js';
export {
  MiningError,
  InvalidMiningOptionError,
  InvalidPairsError,
  InvalidRetrieverError,
  InvalidScoresError,
} from './errors.js';
export type { DatasetPairs } from './pairs-from-dataset.js';
export { pairsFromDataset } from './pairs-from-dataset.js';
