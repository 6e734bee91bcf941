import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from './errors.js';
import { splitPairs } from './split-pairs.js';
import { pairsArb } from './_test-arbitraries.js';
import type { Pair } from './types.js';

const numbered = (n: number): Pair[] =>
  Array.from({ length: n }, (_, i) => ({ query: `question ${i}`, passage: `passage ${i}` }));
const key = (p: Pair): string => `${p.query}\u0000${p.passage}`;
const sortedKeys = (ps: readonly Pair[]): string[] => ps.map(key).sort();

describe('splitPairs', () => {
  test.prop([
    pairsArb,
    fc.integer(),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.constantFrom('connected' as const, 'none' as const),
  ])(
    'is a partition of the input, each side in input order',
    (pairs, seed, testFraction, grouping) => {
      const { train, test: held, settings } = splitPairs(pairs, { seed, testFraction, grouping });
      expect(sortedKeys([...train, ...held])).toEqual(sortedKeys(pairs));
      expect(settings.trainPairs + settings.testPairs).toBe(pairs.length);
      // Input order kept: each side is a subsequence of the input (object identity).
      for (const side of [train, held]) {
        let at = -1;
        for (const p of side) {
          const next = pairs.indexOf(p, at + 1);
          expect(next).toBeGreaterThan(at);
          at = next;
        }
      }
    },
  );

  test.prop([pairsArb, fc.integer(), fc.double({ min: 0, max: 1, noNaN: true })])(
    'same seed, same split',
    (pairs, seed, testFraction) => {
      const a = splitPairs(pairs, { seed, testFraction });
      const b = splitPairs([...pairs], { seed, testFraction });
      expect(b.train).toEqual(a.train);
      expect(b.test).toEqual(a.test);
    },
  );

  test.prop([pairsArb, fc.integer(), fc.double({ min: 0, max: 1, noNaN: true })])(
    "'connected' grouping: no query text and no passage text on both sides",
    (pairs, seed, testFraction) => {
      const { train, test: held } = splitPairs(pairs, { seed, testFraction });
      const trainQ = new Set(train.map((p) => p.query));
      const trainP = new Set(train.map((p) => p.passage));
      for (const p of held) {
        expect(trainQ.has(p.query)).toBe(false);
        expect(trainP.has(p.passage)).toBe(false);
      }
      expect(held.length).toBeGreaterThanOrEqual(Math.round(testFraction * pairs.length));
    },
  );

  test.prop([
    fc.integer({ min: 0, max: 300 }),
    fc.integer(),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ])(
    "'none' grouping (or all-distinct pairs) takes exactly round(testFraction × n)",
    (n, seed, testFraction) => {
      const pairs = numbered(n);
      for (const grouping of ['none', 'connected'] as const) {
        expect(splitPairs(pairs, { seed, testFraction, grouping }).test).toHaveLength(
          Math.round(testFraction * n),
        );
      }
    },
  );

  it('defaults to testFraction 0.2 and seed 42, records settings, honours testSize', () => {
    const pairs = numbered(1000);
    const { test: held, settings } = splitPairs(pairs);
    expect(settings).toEqual({
      seed: 42,
      testFraction: 0.2,
      testSize: undefined,
      grouping: 'connected',
      prng: 'mulberry32',
      total: 1000,
      trainPairs: 800,
      testPairs: 200,
      groups: 1000,
    });
    expect(held).toHaveLength(200);
    expect(splitPairs(pairs, { testSize: 37 }).test).toHaveLength(37);
    // A different seed picks a different test set (200 of 1000: a collision is astronomically unlikely).
    expect(splitPairs(pairs, { seed: 7 }).test).not.toEqual(held);
  });

  it('keeps a passage shared by several questions on one side', () => {
    const pairs: Pair[] = [
      ...numbered(20),
      { query: 'another question', passage: 'passage 3' },
      { query: 'question 3', passage: 'passage 17' },
    ];
    for (let seed = 0; seed < 20; seed++) {
      const { test: held } = splitPairs(pairs, { seed, testFraction: 0.5 });
      const inTest = (q: string): boolean => held.some((p) => p.query === q);
      expect(inTest('another question')).toBe(inTest('question 3'));
      expect(inTest('question 3')).toBe(inTest('question 17'));
    }
  });

  it.each([
    [{ testFraction: 1.5 }, 'testFraction'],
    [{ testFraction: Number.NaN }, 'testFraction'],
    [{ seed: 1.5 }, 'seed'],
    [{ testSize: 11 }, 'testSize'],
    [{ testSize: -1 }, 'testSize'],
    [{ grouping: 'query' }, 'grouping'],
  ])('rejects %o', (options, name) => {
    const call = (): unknown => splitPairs(numbered(10), options as never);
    expect(call).toThrow(DatasetArgumentError);
    expect(call).toThrow(expect.objectContaining({ code: 'ERR_DATASETS_BAD_ARGUMENT' }));
    expect(call).toThrow(name);
  });
});
