import { describe, expect, it } from 'vitest';
import { MAX_SEED, describeRange, parseDecimal } from './decimal.js';
import { UsageError } from './errors.js';

const SEED = { flag: '--seed', integer: true, min: 0, max: MAX_SEED } as const;
const LIMIT = { flag: '--limit', integer: true, min: 1 } as const;
const RATE = { flag: '--lr', min: 0, minInclusive: false, exponent: true } as const;
const FRACTION = {
  flag: '--test-fraction',
  min: 0,
  max: 1,
  minInclusive: false,
  maxInclusive: false,
} as const;

describe('parseDecimal', () => {
  it.each([
    ['0', SEED, 0],
    ['42', SEED, 42],
    ['4294967295', SEED, MAX_SEED],
    ['-0', SEED, 0],
    ['16', LIMIT, 16],
    ['0.2', FRACTION, 0.2],
    ['.5', FRACTION, 0.5],
    ['0.999', FRACTION, 0.999],
    ['2e-5', RATE, 2e-5],
    ['1E-3', RATE, 1e-3],
    ['0.5e+1', RATE, 5],
    ['0.00002', RATE, 2e-5],
  ])('%j with %o → %d', (text, rule, want) => {
    expect(parseDecimal(text, rule)).toBe(want);
  });

  // Each of these is a number to JavaScript's Number() (or a range slip): all must be refused.
  it.each([
    ['0x10', LIMIT, 'an integer in [1, 9007199254740991]'],
    ['1e3', LIMIT, 'an integer in [1, 9007199254740991]'],
    [' 5', LIMIT, 'an integer in [1, 9007199254740991]'],
    ['5 ', LIMIT, 'an integer in [1, 9007199254740991]'],
    ['', LIMIT, 'an integer in [1, 9007199254740991]'],
    ['+5', LIMIT, 'an integer in [1, 9007199254740991]'],
    ['1_000', LIMIT, 'an integer in [1, 9007199254740991]'],
    ['0b11', LIMIT, 'an integer in [1, 9007199254740991]'],
    ['2.0', LIMIT, 'an integer in [1, 9007199254740991]'],
    ['0', LIMIT, 'an integer in [1, 9007199254740991]'],
    ['9007199254740993', LIMIT, 'an integer in [1, 9007199254740991]'],
    ['4294967296', SEED, 'an integer in [0, 4294967295]'],
    ['-1', SEED, 'an integer in [0, 4294967295]'],
    ['Infinity', FRACTION, 'a number in (0, 1)'],
    ['2e-5', FRACTION, 'a number in (0, 1)'],
    ['1e', RATE, 'a number > 0'],
    ['e-5', RATE, 'a number > 0'],
    ['2e-5.5', RATE, 'a number > 0'],
    ['0e3', RATE, 'a number > 0'],
    ['1e999', RATE, 'a number > 0'],
    ['0', FRACTION, 'a number in (0, 1)'],
    ['1', FRACTION, 'a number in (0, 1)'],
    ['1.', FRACTION, 'a number in (0, 1)'],
    ['2e-1', FRACTION, 'a number in (0, 1)'],
  ])('rejects %j, naming %s and the range', (text, rule, range) => {
    let thrown: unknown;
    try {
      parseDecimal(text, rule);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).toMatchObject({ code: 'ERR_CLI_KIT_USAGE', exitStatus: 2, flag: rule.flag });
    const message = (thrown as UsageError).message;
    expect(message).toContain(rule.flag);
    expect(message).toContain(range);
    expect(message).toContain(JSON.stringify(text));
    expect(message).toContain(
      rule === RATE ? 'decimal digits (an exponent allowed, as in 2e-5)' : 'plain decimal digits',
    );
  });
});

describe('describeRange', () => {
  it.each([
    [{ flag: 'x' }, 'a number'],
    [{ flag: 'x', min: 0 }, 'a number ≥ 0'],
    [{ flag: 'x', max: 1, maxInclusive: false }, 'a number < 1'],
    [{ flag: 'x', integer: true, min: 1, max: 3 }, 'an integer in [1, 3]'],
  ])('%o → %s', (rule, want) => {
    expect(describeRange(rule)).toBe(want);
  });
});
