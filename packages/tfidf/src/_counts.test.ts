import { describe, expect, it } from 'vitest';
import { countWithVocabulary, learnCounts } from './_counts.js';
import { createSklearnAnalyzer } from './sklearn-analyzer.js';
import { plain } from './_test-matrix.js';

const ALL = (): { min: number; max: number } => ({ min: 1, max: Infinity });

describe('learnCounts', () => {
  it('counts a row of 1100 distinct terms, each seen twice, past the initial buffer sizes', () => {
    // 1100 terms exceed the 1024-entry starting capacity of the id/count buffers and of the
    // per-row slot/stamp scratch. Terms are first seen in descending order w1099 … w0000, each
    // twice in a row, so every entry counts 2 and first-seen id k is column 1099 − k.
    const n = 1100;
    const names = Array.from({ length: n }, (_, i) => `w${String(i).padStart(4, '0')}`);
    const text = names
      .slice()
      .reverse()
      .map((w) => `${w} ${w}`)
      .join(' ');
    const learned = learnCounts([text], createSklearnAnalyzer(), ALL, undefined);
    expect(learned.terms).toEqual(names);
    expect(Array.from(learned.df)).toEqual(new Array<number>(n).fill(1));
    expect(learned.pruned).toBe(0);
    expect(Array.from(learned.newId)).toEqual(names.map((_, k) => n - 1 - k));
    expect(plain(learned.counts)).toEqual({
      rows: 1,
      columns: n,
      indptr: [0, n],
      indices: names.map((_, i) => i),
      values: new Array<number>(n).fill(2),
    });
    expect(plain(learned.countsByTerm)).toEqual({
      rows: n,
      columns: 1,
      indptr: Array.from({ length: n + 1 }, (_, i) => i),
      indices: new Array<number>(n).fill(0),
      values: new Array<number>(n).fill(2),
    });
  });

  it('drops pruned terms from the counts, maps them to -1 and counts them', () => {
    // First seen: cc 0, aa 1, bb 2, dd 3; df: cc 1, aa 3, bb 2, dd 1. With min 2 only aa, bb stay
    // (columns 0, 1); cc and dd are pruned. Row counts: aa 2 bb 1 | aa 1 bb 2 | aa 1.
    const learned = learnCounts(
      ['cc aa bb aa', 'bb aa bb', 'dd aa'],
      createSklearnAnalyzer(),
      () => ({ min: 2, max: Infinity }),
      undefined,
    );
    expect(learned.terms).toEqual(['aa', 'bb']);
    expect([...learned.vocabulary]).toEqual([
      ['aa', 0],
      ['bb', 1],
    ]);
    expect(Array.from(learned.df)).toEqual([3, 2]);
    expect(Array.from(learned.newId)).toEqual([-1, 0, 1, -1]);
    expect(learned.pruned).toBe(2);
    expect(plain(learned.counts)).toEqual({
      rows: 3,
      columns: 2,
      indptr: [0, 2, 4, 5],
      indices: [0, 1, 0, 1, 0],
      values: [2, 1, 1, 2, 1],
    });
    expect(plain(learned.countsByTerm)).toEqual({
      rows: 2,
      columns: 3,
      indptr: [0, 3, 5],
      indices: [0, 1, 2, 0, 1],
      values: [2, 1, 1, 1, 2],
    });
  });

  it('sorts by code point when every term lies above the surrogates', () => {
    // U+FF41 U+FF42 (fullwidth a, b) sorts before U+1D400 U+1D401 (astral, UTF-16 units
    // 0xD835 …) by code point, after it by UTF-16 unit; no term has a unit below U+D800.
    const learned = learnCounts(
      ['\u{1D400}\u{1D401} \uFF41\uFF42'],
      createSklearnAnalyzer(),
      ALL,
      undefined,
    );
    expect(learned.terms).toEqual(['\uFF41\uFF42', '\u{1D400}\u{1D401}']);
    expect(Array.from(learned.newId)).toEqual([1, 0]);
  });

  it('reports progress after every text when there are fewer than 200 texts', () => {
    // floor(3 / 100) = 0, so the step is 1: one call per text and no extra final call.
    const calls: [number, number | undefined][] = [];
    learnCounts(['aa', 'bb', 'aa bb'], createSklearnAnalyzer(), ALL, (done, total) => {
      calls.push([done, total]);
    });
    expect(calls).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('reports progress every hundredth of the texts, then once at the end', () => {
    // 301 texts: step floor(301 / 100) = 3, calls after texts 3, 6, …, 300, and since
    // 301 is not a multiple of 3 a last call for 301.
    const texts = new Array<string>(301).fill('aa');
    const calls: [number, number | undefined][] = [];
    learnCounts(texts, createSklearnAnalyzer(), ALL, (done, total) => {
      calls.push([done, total]);
    });
    const expected: [number, number | undefined][] = [];
    for (let done = 3; done <= 300; done += 3) expected.push([done, 301]);
    expected.push([301, 301]);
    expect(calls).toEqual(expected);
  });
});

describe('countWithVocabulary', () => {
  it('counts known terms of many texts and skips unknown ones', () => {
    // 301 texts (not a multiple of the progress step 3, with no callback to call).
    const texts = new Array<string>(301).fill('bb zz aa bb');
    const m = countWithVocabulary(
      texts,
      createSklearnAnalyzer(),
      new Map([
        ['aa', 0],
        ['bb', 1],
      ]),
    );
    expect(plain(m)).toEqual({
      rows: 301,
      columns: 2,
      indptr: Array.from({ length: 302 }, (_, i) => 2 * i),
      indices: Array.from({ length: 602 }, (_, i) => i % 2),
      values: Array.from({ length: 602 }, (_, i) => (i % 2 === 0 ? 1 : 2)),
    });
  });
});
