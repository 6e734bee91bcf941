import { describe, expect, it } from 'vitest';
import { wordNgrams } from './_ngrams.js';

describe('wordNgrams', () => {
  it('returns the unigram tokens themselves, without a copy', () => {
    // The [1, 1] fast path hands back the analyzer's own array: no n-gram to add, nothing copied.
    const tokens = ['aa', 'bb', 'aa'];
    const grams = wordNgrams(tokens, 1, 1);
    expect(grams).toBe(tokens);
    expect(grams).toEqual(['aa', 'bb', 'aa']);
  });

  it('builds unigrams, then bigrams, then trigrams, leaving the input tokens unchanged', () => {
    // scikit-learn's _word_ngrams order: all unigrams, then each length left to right.
    const tokens = ['aa', 'bb', 'cc'];
    const grams = wordNgrams(tokens, 1, 3);
    expect(grams).toEqual(['aa', 'bb', 'cc', 'aa bb', 'bb cc', 'aa bb cc']);
    expect(grams).not.toBe(tokens);
    expect(tokens).toEqual(['aa', 'bb', 'cc']);
  });

  it('starts at the minimum length and stops at the number of tokens', () => {
    // [2, 5] over three tokens: bigrams and the one trigram, no unigrams, nothing longer.
    const tokens = ['aa', 'bb', 'cc'];
    expect(wordNgrams(tokens, 2, 5)).toEqual(['aa bb', 'bb cc', 'aa bb cc']);
    expect(tokens).toEqual(['aa', 'bb', 'cc']);
    expect(wordNgrams([], 1, 2)).toEqual([]);
  });
});
