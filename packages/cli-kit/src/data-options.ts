import { Option, type Command } from 'commander';
import { MAX_SEED } from './decimal.js';
import { UsageError } from './errors.js';
import { decimalOption } from './program.js';

/** `--seed <n>`: an integer in [0, 2³² − 1] (seeds past that would wrap), default 42. */
export function seedOption(description = 'Seed of the train/test split'): Option {
  return decimalOption('--seed <n>', description, { integer: true, min: 0, max: MAX_SEED }, 42);
}

/** `--test-fraction <f>`: a number strictly between 0 and 1 (either end leaves a side empty). */
export function testFractionOption(
  description = 'Fraction of pairs held out for test',
  defaultValue?: number,
): Option {
  return decimalOption(
    '--test-fraction <f>',
    description,
    { min: 0, max: 1, minInclusive: false, maxInclusive: false },
    defaultValue,
  );
}

/** `--limit <n>`: an integer ≥ 1. */
export function limitOption(description: string): Option {
  return decimalOption('--limit <n>', description, { integer: true, min: 1 });
}

/** `--beir <dir>` and `--split <name>` (default `test`: reads `qrels/test.tsv`). */
export function beirOptions(): readonly Option[] {
  return [
    new Option('--beir <dir>', 'BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv'),
    new Option('--split <name>', 'Qrels split of --beir (qrels/<name>.tsv)').default('test'),
  ];
}

/** Whether the user gave `flag` (on the command line or through its environment variable). */
export function given(command: Command, attribute: string): boolean {
  const source = command.getOptionValueSource(attribute);
  return source !== undefined && source !== 'default' && source !== 'implied';
}

/**
 * Throws when `flag` was given without `needs` (e.g. `--split` without `--beir`), naming both.
 * Attribute names are commander's camel-case keys (`testFraction` for `--test-fraction`).
 *
 * @throws {@link UsageError}
 */
export function requireWith(
  command: Command,
  flag: { readonly attribute: string; readonly flag: string },
  needs: { readonly attribute: string; readonly flag: string },
): void {
  if (given(command, flag.attribute) && command.getOptionValue(needs.attribute) === undefined) {
    throw new UsageError(`${flag.flag} needs ${needs.flag}`, flag.flag);
  }
}
