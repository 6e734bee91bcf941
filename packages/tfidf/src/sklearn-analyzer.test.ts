import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { InvalidOptionError } from './errors.js';
import { createSklearnAnalyzer, type SklearnAnalyzerOptions } from './sklearn-analyzer.js';
import { ENGLISH_STOP_WORDS } from './english-stop-words.js';
import { readFixture } from './_test-fixtures.js';
import { TfidfVectorizer } from './tfidf-vectorizer.js';

interface AnalyzerGolden {
  cases: { text: string; tokens: string[]; ngrams_1_3: string[]; english_stop: string[] }[];
  /** `TfidfVectorizer().fit(texts).vocabulary_` keys by column. */
  vocabulary_order: string[];
}
interface WordChars {
  unidata_version: string;
  word_ranges: [number, number][];
  unassigned_ranges: [number, number][];
}

function inRanges(ranges: [number, number][]): (cp: number) => boolean {
  const flags = new Uint8Array(0x110000);
  for (const [a, b] of ranges) flags.fill(1, a, b + 1);
  return (cp) => flags[cp] === 1;
}

describe('createSklearnAnalyzer', () => {
  const golden = readFixture<AnalyzerGolden>('sklearn-analyzer-golden.json');

  // Expected: scikit-learn 1.2.1 build_analyzer() output (scripts/make_analyzer_golden.py).
  it.each(golden.cases)('matches scikit-learn on $text', (c) => {
    expect(createSklearnAnalyzer()(c.text)).toEqual(c.tokens);
    expect(createSklearnAnalyzer({ ngramRange: [1, 3] })(c.text)).toEqual(c.ngrams_1_3);
    expect(createSklearnAnalyzer({ stopWords: 'english' })(c.text)).toEqual(c.english_stop);
  });

  it('learns the vocabulary scikit-learn learns from the golden texts, in its column order', () => {
    const vectorizer = new TfidfVectorizer();
    vectorizer.fit(golden.cases.map((c) => c.text));
    expect(vectorizer.terms).toEqual(golden.vocabulary_order);
    expect([...vectorizer.vocabulary]).toEqual(golden.vocabulary_order.map((t, i) => [t, i]));
  });

  it('treats exactly the code points Python treats as \\w as word characters', () => {
    const chars = readFixture<WordChars>('python-word-chars.json');
    const isWord = inRanges(chars.word_ranges);
    const unassigned = inRanges(chars.unassigned_ranges);
    const analyze = createSklearnAnalyzer({ lowercase: false });
    const mismatches: number[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      // Surrogates cannot stand alone in a string; code points Python's Unicode version does not
      // assign yet may legitimately differ (newer Unicode in Node).
      if ((cp >= 0xd800 && cp <= 0xdfff) || unassigned(cp)) continue;
      const ch = String.fromCodePoint(cp);
      // A doubled character is a token iff the character is a word character.
      const jsWord = analyze(ch + ch).length === 1;
      if (jsWord !== isWord(cp)) mismatches.push(cp);
    }
    expect(mismatches).toEqual([]);
  });

  it('counts token length in code points, as Python does', () => {
    // One astral letter is one character (dropped); two make a token.
    expect(createSklearnAnalyzer()('𝐀 𝐀𝐁')).toEqual(['𝐀𝐁']);
  });

  it('keeps case with lowercase: false and accepts custom stop words', () => {
    expect(
      createSklearnAnalyzer({ lowercase: false, stopWords: ['of'] })('Capital of France'),
    ).toEqual(['Capital', 'France']);
    expect(createSklearnAnalyzer({ stopWords: new Set(['capital']) })('Capital of France')).toEqual(
      ['of', 'france'],
    );
  });

  it('builds n-grams after stop-word removal, as scikit-learn does', () => {
    expect(
      createSklearnAnalyzer({ stopWords: 'english', ngramRange: [2, 2] })('the cat and the hat'),
    ).toEqual(['cat hat']);
  });

  it.each([
    { options: { ngramRange: [0, 1] }, option: 'ngramRange', fact: 'with 1 ≤ min ≤ max' },
    { options: { ngramRange: [2, 1] }, option: 'ngramRange', fact: 'with 1 ≤ min ≤ max' },
    { options: { ngramRange: [1.5, 2] }, option: 'ngramRange', fact: 'of integers' },
    { options: { stopWords: 'french' }, option: 'stopWords', fact: 'received "french"' },
    { options: { stopWords: [1] }, option: 'stopWords', fact: 'an array of strings' },
    { options: { lowercase: 'yes' }, option: 'lowercase', fact: 'true or false, received "yes"' },
  ])('rejects $options', ({ options, option, fact }) => {
    expect(() => createSklearnAnalyzer(options as never)).toThrow(InvalidOptionError);
    expect(() => createSklearnAnalyzer(options as never)).toThrow(
      expect.objectContaining({ code: 'ERR_TFIDF_INVALID_OPTION', option }) as Error,
    );
    expect(() => createSklearnAnalyzer(options as never)).toThrow(
      `createSklearnAnalyzer: option ${option} must be`,
    );
    expect(() => createSklearnAnalyzer(options as never)).toThrow(fact);
  });

  test.prop([
    fc.array(fc.constantFrom('ab', 'cd', 'ef', 'the', 'and'), { maxLength: 12 }),
    fc.integer({ min: 1, max: 4 }),
  ])('n-gram count is Σ over n of max(0, tokens − n + 1)', (words, max) => {
    const grams = createSklearnAnalyzer({ ngramRange: [1, max] })(words.join(' '));
    let expected = 0;
    for (let n = 1; n <= max; n++) expected += Math.max(0, words.length - n + 1);
    expect(grams.length).toBe(expected);
  });
});

describe('createSklearnAnalyzer description', () => {
  it.each<[SklearnAnalyzerOptions, string]>([
    [{}, 'sklearn'],
    [{ lowercase: true, ngramRange: [1, 1] }, 'sklearn'], // defaults spelled out
    [{ stopWords: 'english' }, 'sklearn(stop=english)'],
    [{ stopWords: new Set(['aa']), ngramRange: [2, 3] }, 'sklearn(stop=custom(1),ngram=2-3)'],
    [{ lowercase: false }, 'sklearn(lowercase=false)'],
  ])('%j → %s', (options, description) => {
    expect(createSklearnAnalyzer(options).description).toBe(description);
  });

  it('names an n-gram range other than unigrams', () => {
    // Either end differing from 1 is a non-default range.
    expect(createSklearnAnalyzer({ ngramRange: [1, 2] }).description).toBe('sklearn(ngram=1-2)');
    expect(createSklearnAnalyzer({ ngramRange: [2, 2] }).description).toBe('sklearn(ngram=2-2)');
  });
});

describe('ENGLISH_STOP_WORDS', () => {
  it('is what scikit-learn removes with stop_words="english"', () => {
    // Every golden case: tokens minus the stop words equals scikit-learn's stop-word output.
    const golden = readFixture<AnalyzerGolden>('sklearn-analyzer-golden.json');
    for (const c of golden.cases)
      expect(c.tokens.filter((t) => !ENGLISH_STOP_WORDS.has(t))).toEqual(c.english_stop);
    expect(ENGLISH_STOP_WORDS.has('the')).toBe(true);
    expect(ENGLISH_STOP_WORDS.has('france')).toBe(false);
  });
});
