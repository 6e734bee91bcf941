import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { compareCodePoints } from './compare-code-points.js';

/** Reference: compare the arrays of code points, as Python compares str. */
function reference(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

// Characters on both sides of the surrogate range and astral ones, where UTF-16 order differs.
const char = fc.constantFrom(
  'a',
  'z',
  'é',
  '\ud7ff',
  '\ue000',
  '\uff21',
  '\uffff',
  '\u{10000}',
  '\u{1d400}',
  '\u{10ffff}',
  // Low surrogates at both ends of their range (0xDC00, 0xDFFF) under one high surrogate.
  '\u{10400}',
  '\u{103ff}',
  '\u{10fc00}',
  '\u{10fffe}',
);
const word = fc.array(char, { maxLength: 4 }).map((cs) => cs.join(''));

describe('compareCodePoints', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['ab', 'a', 1], // prefix first
    ['d10', 'd9', -1], // string order, not numeric
    ['same', 'same', 0],
    // U+FF5E (BMP, after the surrogate range) < U+1F600 (astral), as in UTF-8 byte order;
    // JavaScript's `<` says the opposite because 0xD83D < 0xFF5E.
    ['\uff5e', '😀', -1],
    ['😀', '\uff5e', 1],
    ['😀', '😁', -1],
  ])('compares %j with %j → sign %i', (a, b, sign) => {
    expect(Math.sign(compareCodePoints(a, b))).toBe(sign);
    expect(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)))).toBe(sign);
  });

  it.each([
    // The second units differ: both surrogates (0xDFFF, the range's last, against 0xDFFE or
    // 0xDC00), so they compare as they are; a bound that left out 0xDFFF would invert these.
    ['\u{103ff}', '\u{103fe}', 1], // D800 DFFF vs D800 DFFE
    ['\u{103fe}', '\u{103ff}', -1],
    ['\u{10ffff}', '\u{10fc00}', 1], // DBFF DFFF vs DBFF DC00
    ['\u{10fc00}', '\u{10ffff}', -1],
    ['a\u{10ffff}b', 'a\u{10fffe}b', 1],
    // First units 0xD800 (the range's first) and 0xDBFF against BMP units above 0xE000.
    ['\u{10000}', '\ue000', 1],
    ['\uffff', '\u{10000}', -1],
    ['\u{10ffff}', '\uffff', 1],
    ['\ud7ff', '\u{10000}', -1],
  ])('compares %j with %j → sign %i at the ends of the surrogate range', (a, b, sign) => {
    expect(Math.sign(compareCodePoints(a, b))).toBe(sign);
    expect(Math.sign(reference(a, b))).toBe(sign);
    expect(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)))).toBe(sign);
  });

  it('puts U+FF21 before an astral letter, unlike the default sort', () => {
    expect(['\u{1d400}', '\uff21'].sort(compareCodePoints)).toEqual(['\uff21', '\u{1d400}']);
    expect(['\u{1d400}', '\uff21'].sort()).toEqual(['\u{1d400}', '\uff21']);
  });

  test.prop([word, word])('has the sign of the code-point comparison', (a, b) => {
    expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(reference(a, b)));
  });

  test.prop([word, word])('has the sign of the UTF-8 byte comparison', (a, b) => {
    expect(Math.sign(compareCodePoints(a, b))).toBe(
      Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
  });
});
