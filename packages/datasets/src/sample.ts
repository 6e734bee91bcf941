import { fileURLToPath } from 'node:url';
import { datasetFromPairs } from './dataset-from-pairs.js';
import { loadJsonlPairs } from './load-jsonl-pairs.js';
import type { Pair, RetrievalDataset } from './types.js';

/**
 * Absolute path of the sample shipped in this package, `data/nq-sample.jsonl`: 2,000 generated
 * Natural-Questions-style pairs (a lowercase question → a Wikipedia-like passage that starts with
 * its title), made by `scripts/make-sample.mjs` for offline runs and CI. See `data/README.md`.
 *
 * @example
 * ```ts
 * samplePairsPath(); // → '/…/node_modules/@rtk/datasets/data/nq-sample.jsonl'
 * ```
 */
export function samplePairsPath(): string {
  return fileURLToPath(new URL('../data/nq-sample.jsonl', import.meta.url));
}

/**
 * Read the shipped sample's pairs (no network). Split them like NQ with {@link splitPairs}.
 *
 * @example
 * ```ts
 * const pairs = await loadSamplePairs();
 * pairs.length; // 2000
 * pairs[0]; // → { query: 'what channel is the tv show about a detective in kleisouovo on', passage: 'Beyond Drialiand Road Beyond Drialiand Road is a comedy television series …' }
 * ```
 */
export function loadSamplePairs(): Promise<Pair[]> {
  return loadJsonlPairs(samplePairsPath());
}

/**
 * The whole shipped sample as one {@link RetrievalDataset} (`name: 'nq-sample'`), built with
 * {@link datasetFromPairs}: duplicate passages merged.
 *
 * @example
 * ```ts
 * const ds = await loadSampleDataset();
 * ds.queries.length; // number of distinct questions in the sample
 * ```
 */
export async function loadSampleDataset(): Promise<RetrievalDataset> {
  return datasetFromPairs(await loadSamplePairs(), { name: 'nq-sample' });
}
