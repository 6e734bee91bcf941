import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseNumber, parseTasks } from './options.js';

describe('parseTasks', () => {
  it.each([
    ['1,2', [1, 2]],
    ['3, 1,1', [1, 3]],
    ['2', [2]],
  ])('%s → %j', (text, want) => {
    expect(parseTasks(text)).toEqual(want);
  });

  it.each(['', '4', '1,x', ','])('rejects %j with a usage error', (text) => {
    expect(() => parseTasks(text)).toThrow(BenchUsageError);
  });
});

describe('parseNumber', () => {
  it('accepts values within bounds', () => {
    expect(parseNumber('0.2', '--test-fraction', { min: 0, max: 1 })).toBe(0.2);
  });

  it.each([
    ['1.5', { min: 0, max: 1 }],
    ['2.5', { integer: true }],
    ['abc', {}],
    ['', {}],
    ['-1', { min: 0 }],
  ])('rejects %j and names the flag', (text, rule) => {
    expect(() => parseNumber(text, '--flag', rule)).toThrow(/--flag/);
  });
});
