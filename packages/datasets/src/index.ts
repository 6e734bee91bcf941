export type * from './types.js';
export { datasetFromPairs } from './dataset-from-pairs.js';
export type { DatasetFromPairsOptions } from './dataset-from-pairs.js';
export { splitPairs } from './split-pairs.js';
export { mulberry32 } from './mulberry32.js';
export { shuffled } from './shuffled.js';
export type { SplitPairsOptions, SplitSettings, SplitGrouping, PairSplit } from './split-pairs.js';
export { loadJsonlPairs } from './load-jsonl-pairs.js';
export { loadCsvPairs } from './load-csv-pairs.js';
export type { CsvPairOptions } from './load-csv-pairs.js';
export { loadParquetPairs } from './load-parquet-pairs.js';
export { loadPairsFile, PAIR_FILE_EXTENSIONS } from './load-pairs-file.js';
export type { PairFileOptions } from './pair-columns.js';
export { QUERY_COLUMNS, PASSAGE_COLUMNS } from './pair-columns.js';
export { loadBeir } from './load-beir.js';
export type { LoadBeirOptions } from './load-beir.js';
export { loadNaturalQuestions, NATURAL_QUESTIONS } from './load-natural-questions.js';
export type { LoadNaturalQuestionsOptions } from './load-natural-questions.js';
export { samplePairsPath, loadSamplePairs, loadSampleDataset } from './sample.js';
export type { DatasetsErrorCode } from './errors.js';
export {
  DatasetsError,
  DatasetFormatError,
  DatasetColumnError,
  DatasetEmptyError,
  DatasetFileNotFoundError,
  DatasetCachedFileError,
  DatasetArgumentError,
} from './errors.js';
export type { DatasetLocation } from './errors.js';
