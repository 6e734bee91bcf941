import { describe, expect, it } from 'vitest';
import { compareCodePoints } from './_compare-code-points.js';

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
});
