import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fsum } from './_fsum.js';

describe('fsum', () => {
  it.each([
    // [values, exact sum] — the naive left-to-right sum is wrong in each case
    [[0.1, 0.2, 0.3], 0.6], // naive: 0.6000000000000001
    [[1e16, 1, -1e16], 1], // naive: 0
    [Array<number>(10).fill(0.1), 1], // naive: 0.9999999999999999
    [[], 0],
  ])('sums %j to %f', (values, expected) => {
    expect(fsum(values)).toBe(expected);
  });

  test.prop([
    fc
      .array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 })
      .chain((values) =>
        fc.tuple(fc.constant(values), fc.shuffledSubarray(values, { minLength: values.length })),
      ),
  ])('does not depend on the order of its inputs', ([values, shuffled]) => {
    expect(fsum(shuffled)).toBe(fsum(values));
  });
});

/** The finite double `x` as an integer `m` times 2^`e` (exactly). */
function decompose(x: number): { m: bigint; e: number } {
  const bits = new BigUint64Array(new Float64Array([x]).buffer)[0]!;
  const negative = bits >> 63n === 1n;
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const m = exponent === 0 ? fraction : fraction | (1n << 52n);
  return { m: negative ? -m : m, e: exponent === 0 ? -1074 : exponent - 1075 };
}

/**
 * Reference: the exact rational sum as a BigInt count of 2^e0 units, rounded once to the nearest
 * double, ties to even (`Number(bigint)` rounds so). Scaling by 2^e0 is exact for the magnitudes
 * used here (no overflow, no subnormal result).
 */
function exactSum(values: readonly number[]): number {
  const parts = values.map(decompose).filter((p) => p.m !== 0n);
  const e0 = Math.min(0, ...parts.map((p) => p.e));
  let total = 0n;
  for (const { m, e } of parts) total += m << BigInt(e - e0);
  return Number(total) * 2 ** e0;
}

describe('fsum rounds the exact sum once (partials and the half-even correction)', () => {
  it.each<[string, number[], number]>([
    // Sums known exactly by hand (most of which the naive left-to-right sum gets wrong).
    ['small terms surviving a huge cancellation', [1, 1e100, 1, -1e100], 2],
    ['a small partial beneath a cancelled pair', [2 ** -60, 1, 1e100, -1e100], 1],
    [
      'a sum left by two cancelled pairs',
      [2 ** 53 + 2, 2 ** 100, 0.5, -(2 ** 53), -(2 ** 100)],
      2.5,
    ],
    // 2^52 − 0.75 is a tie between 2^52 − 1 and 2^52 − 0.5; the 2^-60 pushes it up.
    ['a tie broken by a tiny term', [2 ** -60, -1e100, -0.75, 2 ** 52, 1e100], 2 ** 52 - 0.5],
    ['the same tie below zero', [-(2 ** -60), 1e100, 0.75, -(2 ** 52), -1e100], -(2 ** 52) + 0.5],
    // Python's test_math.testFsum cases (half-even correction past a tie).
    ['2^53 − 0.5 − 2^-54', [2 ** 53, -0.5, -(2 ** -54)], 2 ** 53 - 1],
    ['2^53 + 1 + 2^-100', [2 ** 53, 1, 2 ** -100], 2 ** 53 + 2],
    ['2^53 + 10 + 1 + 2^-100', [2 ** 53 + 10, 1, 2 ** -100], 2 ** 53 + 12],
    ['2^53 − 4 + 0.5 + 2^-54', [2 ** 53 - 4, 0.5, 2 ** -54], 2 ** 53 - 3],
    ['1e16 + 1 + 1e-16', [1e16, 1, 1e-16], 10000000000000002],
    ['an exact tie kept even', [2 ** 53, 1], 2 ** 53],
    ['terms cancelling to zero', [1e16 - 2, 1 - 2 ** -53, -(1e16 - 2), -(1 - 2 ** -53)], 0],
    [
      'a telescoping series',
      [...Array.from({ length: 1000 }, (_, i) => 1.7 ** (i + 1) - 1.7 ** i), -(1.7 ** 1000)],
      -1,
    ],
    [
      'the harmonic sum H(1000)',
      Array.from({ length: 1000 }, (_, i) => 1 / (i + 1)),
      0x1df11f45f4e61a * 2 ** -50,
    ],
    [
      'the alternating harmonic sum',
      Array.from({ length: 1000 }, (_, i) => (-1) ** (i + 1) / (i + 1)),
      -0x162a2af1bd3624 * 2 ** -53,
    ],
    // fl(0.1) = 0.1 + 5.55e-18: the exact sum 100 + 5.55e-15 is within half an ulp (7.1e-15) of 100.
    ['a thousand 0.1s', Array<number>(1000).fill(0.1), 100],
  ])('%s', (_name, values, expected) => {
    expect(fsum(values)).toBe(expected);
    expect(exactSum(values)).toBe(expected);
  });

  // Doubles m · 2^e with small exponents (no subnormals, no overflow), some with few mantissa
  // bits so that sums land on ties, plus the negations of some of them so that large terms cancel
  // and leave the small partials to decide the rounding.
  const term = fc.oneof(
    fc
      .tuple(
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
        fc.integer({ min: -60, max: 40 }),
      )
      .map(([m, e]) => m * 2 ** e),
    fc
      .tuple(fc.integer({ min: -8, max: 8 }), fc.integer({ min: -60, max: 110 }))
      .map(([m, e]) => m * 2 ** e),
  );
  const terms = fc
    .array(term, { maxLength: 10 })
    .chain((values) => fc.tuple(fc.constant(values), fc.subarray(values)))
    .chain(([values, cancelled]) =>
      fc.shuffledSubarray([...values, ...cancelled.map((x) => -x)], {
        minLength: values.length + cancelled.length,
      }),
    );

  test.prop([terms], { numRuns: 2000 })('equals the exact sum rounded once', (values) => {
    expect(fsum(values)).toBe(exactSum(values));
  });
});
