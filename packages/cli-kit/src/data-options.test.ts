import { describe, expect, it } from 'vitest';
import {
  beirOptions,
  given,
  limitOption,
  requireWith,
  seedOption,
  testFractionOption,
} from './data-options.js';
import { UsageError } from './errors.js';
import { strictCommand } from './program.js';

/** A command with the data flags, parsed from `argv` (no action). */
function parsed(argv: readonly string[]) {
  const [beir, split] = beirOptions();
  const command = strictCommand('t', 'test')
    .addOption(seedOption())
    .addOption(testFractionOption())
    .addOption(limitOption('At most'))
    .addOption(beir!)
    .addOption(split!);
  command.parse(argv, { from: 'user' });
  return command;
}

describe('data options', () => {
  it('parse to numbers, with the defaults of seed and split', () => {
    const command = parsed(['--test-fraction', '0.25', '--limit', '7']);
    expect(command.opts()).toEqual({ seed: 42, testFraction: 0.25, limit: 7, split: 'test' });
  });

  it('given tells a typed flag from a default', () => {
    const command = parsed(['--seed', '42']);
    expect(given(command, 'seed')).toBe(true);
    expect(given(command, 'split')).toBe(false);
    expect(given(command, 'limit')).toBe(false);
  });

  it('requireWith refuses a flag without the one it belongs to, and only a typed one', () => {
    const split = { attribute: 'split', flag: '--split' };
    const beir = { attribute: 'beir', flag: '--beir' };
    expect(() => requireWith(parsed([]), split, beir)).not.toThrow();
    expect(() => requireWith(parsed(['--beir', 'd', '--split', 'dev']), split, beir)).not.toThrow();
    let thrown: unknown;
    try {
      requireWith(parsed(['--split', 'dev']), split, beir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).toMatchObject({
      message: '--split needs --beir',
      flag: '--split',
      exitStatus: 2,
    });
  });
});
