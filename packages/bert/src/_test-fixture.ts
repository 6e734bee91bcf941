import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Folder of the tiny BERT fixture written by PyTorch (see fixtures/README.md). */
export const TINY_BERT_DIR: string = fileURLToPath(
  new URL('../fixtures/tiny-bert', import.meta.url),
);

/** One sample of fixtures/tiny-bert/expected.json. */
export interface ExpectedSample {
  readonly text: string;
  readonly input_ids: readonly number[];
  readonly tokens: readonly string[];
  readonly mean: readonly number[];
  readonly mean_normalized: readonly number[];
  readonly cls: readonly number[];
}

/** The samples PyTorch computed for the fixture. */
export const EXPECTED: readonly ExpectedSample[] = (
  JSON.parse(readFileSync(`${TINY_BERT_DIR}/expected.json`, 'utf8')) as {
    samples: ExpectedSample[];
  }
).samples;

export { maxAbsDiff } from '@rtk/test-utils';
