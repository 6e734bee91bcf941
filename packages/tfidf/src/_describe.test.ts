import { describe, expect, it } from 'vitest';
import { describeAnalyzer, ngramText, parameterList, withDescription } from './_describe.js';
import type { Analyzer } from './types.js';

const split = (text: string): string[] => text.split(' ');

describe('parameterList', () => {
  it.each([
    [[], ''],
    [['a=1'], '(a=1)'],
    [['a=1', 'b=x'], '(a=1,b=x)'],
  ])('joins the parameters given %#', (parameters, expected) => {
    expect(parameterList(parameters)).toBe(expected);
  });
});

describe('describeAnalyzer', () => {
  // Expected: the analyzer's description trimmed, each whitespace run → one `_`; `custom` when
  // there is no usable description (none, not a string, empty or whitespace only).
  it.each([
    ['sklearn', 'sklearn'],
    ['  split on  space\t', 'split_on_space'],
    ['a \t\n b', 'a_b'],
    ['', 'custom'],
    ['   ', 'custom'],
    ['\t\n', 'custom'],
  ])('describes a described analyzer %#', (description, expected) => {
    const analyzer: Analyzer = Object.assign((text: string) => split(text), { description });
    expect(describeAnalyzer(analyzer)).toBe(expected);
  });

  it('reports a plain function or a non-string description as custom', () => {
    expect(describeAnalyzer((text: string) => split(text))).toBe('custom');
    const numbered = Object.assign((text: string) => split(text), { description: 7 });
    expect(describeAnalyzer(numbered as unknown as Analyzer)).toBe('custom');
  });
});

describe('withDescription', () => {
  it('attaches a read-only, non-enumerable description and returns the same function', () => {
    const analyze = (text: string): string[] => split(text);
    const analyzer = withDescription(analyze, 'mine(v2)');
    expect(analyzer).toBe(analyze);
    expect(analyzer.description).toBe('mine(v2)');
    expect(analyzer('a b')).toEqual(['a', 'b']);
    expect(Object.keys(analyzer)).toEqual([]);
    expect(Object.getOwnPropertyDescriptor(analyzer, 'description')).toEqual({
      value: 'mine(v2)',
      writable: false,
      enumerable: false,
      configurable: false,
    });
    // Spread (as an options object would copy it) leaves a non-enumerable property behind.
    expect({ ...analyzer }).toEqual({});
  });
});

describe('ngramText', () => {
  it('writes an n-gram range as min-max', () => {
    expect(ngramText(1, 3)).toBe('1-3');
  });
});
