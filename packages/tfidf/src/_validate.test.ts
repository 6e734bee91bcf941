import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { formatTrecRun } from '@rtk/metrics';
import { caught } from './_test-errors.js';
import { InvalidOptionError, InvalidTextError } from './errors.js';
import {
  checkName,
  checkNgramRange,
  checkNumber,
  checkOneOf,
  checkStopWords,
  checkTexts,
} from './_validate.js';

const PAIR = 'a pair [min, max] of integers with 1 ≤ min ≤ max, e.g. [1, 2]';
const PASS_STRINGS = 'Pass an array of strings (use "" for an empty document).';

describe('checkNgramRange', () => {
  it('accepts a pair and defaults to unigrams', () => {
    expect(checkNgramRange([2, 3], 'Here')).toEqual([2, 3]);
    expect(checkNgramRange(undefined, 'Here')).toEqual([1, 1]);
  });

  // `show` renders an object as "object" and an array by its length.
  it.each<[string, unknown, string]>([
    ['an array-like object', { 0: 1, 1: 2, length: 2 }, 'object'],
    ['null', null, 'null'],
    ['three integers', [1, 2, 3], 'array(3)'],
    ['one integer', [1], 'array(1)'],
  ])('rejects a range that is not a pair: %s', async (_, value, shown) => {
    const error = await caught(() => checkNgramRange(value, 'Here'));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION', option: 'ngramRange', value });
    expect((error as Error).message).toBe(
      `Here: option ngramRange must be ${PAIR}, received ${shown}. Fix or omit ngramRange.`,
    );
  });
});

describe('checkOneOf', () => {
  it('accepts an allowed string and defaults to the fallback', () => {
    expect(checkOneOf('b', 'mode', 'Here', ['a', 'b'], 'a')).toBe('b');
    expect(checkOneOf(undefined, 'mode', 'Here', ['a', 'b'], 'a')).toBe('a');
  });

  it.each<[string, unknown, string]>([
    ['a string not in the list', 'c', '"c"'],
    ['a non-string', 1, '1'],
  ])('rejects %s, listing the allowed values', async (_, value, shown) => {
    const error = await caught(() => checkOneOf(value, 'mode', 'Here', ['a', 'b'], 'a'));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION', option: 'mode', value });
    expect((error as Error).message).toBe(
      `Here: option mode must be one of 'a', 'b', received ${shown}. Fix or omit mode.`,
    );
  });
});

describe('checkNumber', () => {
  it('accepts both ends of the range and defaults to the fallback', () => {
    expect(checkNumber(0, 'k1', 'Here', 1.2, 0, 3)).toBe(0);
    expect(checkNumber(3, 'k1', 'Here', 1.2, 0, 3)).toBe(3);
    expect(checkNumber(undefined, 'k1', 'Here', 1.2, 0, 3)).toBe(1.2);
  });

  it.each<[string, unknown, string]>([
    ['a string', '1', '"1"'],
    ['NaN', NaN, 'NaN'],
    ['a number below the range', -0.5, '-0.5'],
    ['a number above the range', 4, '4'],
  ])('rejects %s', async (_, value, shown) => {
    const error = await caught(() => checkNumber(value, 'k1', 'Here', 1.2, 0, 3));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION', option: 'k1', value });
    expect((error as Error).message).toBe(
      `Here: option k1 must be a number in [0, 3], received ${shown}. Fix or omit k1.`,
    );
  });
});

describe('checkTexts', () => {
  it('returns an array of strings as it is', () => {
    const texts = ['aa', ''];
    expect(checkTexts(texts, 'Here')).toBe(texts);
  });

  it.each<[string, unknown, string]>([
    ['a string', 'abc', '"abc"'],
    ['a number', 5, '5'],
    ['undefined', undefined, 'undefined'],
  ])('rejects texts that are not an array, with no index: %s', async (_, texts, shown) => {
    const error = await caught(() => checkTexts(texts, 'Here'));
    expect(error).toBeInstanceOf(InvalidTextError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_TEXT', index: -1 });
    expect((error as Error).message).toBe(
      `Here: text at index -1 must be a string, received ${shown}. ${PASS_STRINGS}`,
    );
  });

  it('rejects a text that is not a string at its index', async () => {
    const error = await caught(() => checkTexts(['aa', 'bb', 7], 'Here'));
    expect(error).toBeInstanceOf(InvalidTextError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_TEXT', index: 2 });
    expect((error as Error).message).toBe(
      `Here: text at index 2 must be a string, received 7. ${PASS_STRINGS}`,
    );
  });
});

describe('checkStopWords', () => {
  // Two named lists, so the message shows how the names are quoted and joined.
  function named(): Record<string, ReadonlySet<string>> {
    return { english: new Set(['the']), french: new Set(['le']) };
  }
  const EXPECTED = "one of 'english', 'french' or an array of words";

  it('returns a named list, a set or an array as a set, and undefined for none', () => {
    const lists = named();
    expect(checkStopWords('french', 'Here', lists)).toBe(lists.french);
    expect([...checkStopWords(new Set(['aa', 'bb']), 'Here', lists)!]).toEqual(['aa', 'bb']);
    expect([...checkStopWords(['bb', 'aa', 'bb'], 'Here', lists)!]).toEqual(['bb', 'aa']);
    expect(checkStopWords(undefined, 'Here', lists)).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['an unknown list name', 'german', '"german"'],
    ['a number', 42, '42'],
    ['a map', new Map([['aa', 'bb']]), 'object'],
  ])('rejects %s, naming every list', async (_, value, shown) => {
    const error = await caught(() => checkStopWords(value, 'Here', named()));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION', option: 'stopWords', value });
    expect((error as Error).message).toBe(
      `Here: option stopWords must be ${EXPECTED}, received ${shown}. Fix or omit stopWords.`,
    );
  });

  it('rejects a list holding a non-string', async () => {
    const value = ['aa', 1];
    const error = await caught(() => checkStopWords(value, 'Here', named()));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION', option: 'stopWords', value });
    expect((error as Error).message).toBe(
      'Here: option stopWords must be an array of strings, received array(2). Fix or omit stopWords.',
    );
  });
});

describe('checkName', () => {
  // Both retrievers check their name with it, and formatTrecRun writes the name as the run tag:
  // a name it would reject must fail at construction, not when the run file is written. Units mix
  // ASCII and Unicode whitespace.
  test.prop([fc.string({ unit: fc.constantFrom('a', '-', ' ', '\t', '\n', '\u00a0', '\u2028') })])(
    'accepts exactly the names formatTrecRun accepts as a tag',
    (name) => {
      const run = new Map([['q1', [{ id: 'd1', score: 1 }]]]);
      const writes = (): string => formatTrecRun(run, { tag: name });
      const checks = (): string | undefined => checkName(name, 'Here');
      if (name.length > 0 && !/\s/.test(name)) {
        expect(writes()).toBe(`q1 Q0 d1 1 1 ${name}\n`);
        expect(checks()).toBe(name);
      } else {
        expect(writes).toThrow();
        expect(checks).toThrow(InvalidOptionError);
      }
    },
  );

  it('leaves an absent name to the default', () => {
    expect(checkName(undefined, 'Here')).toBeUndefined();
  });
});
