import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from './errors.js';
import { createWinkAnalyzer, type WinkAnalyzerOptions } from './wink-analyzer.js';

describe('createWinkAnalyzer', () => {
  const text = 'The Cats were running to 3.14 places!';
  // Expected values from wink-nlp 2.4 with wink-eng-lite-web-model 1.8 (its tokenizer keeps
  // "3.14" whole, flags "the", "were", "to" as stop words, Porter-2 stems "running" → "run").
  it.each([
    { options: {}, terms: ['cats', 'running', '3.14', 'places'] },
    { options: { form: 'stem' }, terms: ['cat', 'run', '3.14', 'place'] },
    { options: { form: 'lemma' }, terms: ['cats', 'run', '3.14', 'place'] }, // sentence-initial "Cats" is tagged a proper noun,
    {
      options: { stopWords: false },
      terms: ['the', 'cats', 'were', 'running', 'to', '3.14', 'places'],
    },
    { options: { lowercase: false }, terms: ['Cats', 'running', '3.14', 'places'] },
    { options: { keepTypes: ['word'] }, terms: ['cats', 'running', 'places'] },
    { options: { keepTypes: ['word', 'punctuation'] }, terms: ['cats', 'running', 'places', '!'] },
    { options: { form: 'stem', ngramRange: [2, 2] }, terms: ['cat run', 'run 3.14', '3.14 place'] },
  ] as const)('$options → $terms', ({ options, terms }) => {
    expect(createWinkAnalyzer(options)(text)).toEqual(terms);
  });

  it('expands contractions in lowercase mode and returns nothing for empty text', () => {
    expect(createWinkAnalyzer({ stopWords: false })("don't")).toEqual(['do', 'not']);
    expect(createWinkAnalyzer()('')).toEqual([]);
  });

  it.each([
    { options: { form: 'root' }, option: 'form', fact: 'received "root"' },
    { options: { keepTypes: ['words'] }, option: 'keepTypes', fact: 'wink token types' },
    { options: { stopWords: 'english' }, option: 'stopWords', fact: 'received "english"' },
    { options: { ngramRange: [2, 1] }, option: 'ngramRange', fact: 'with 1 ≤ min ≤ max' },
  ])('rejects $options', ({ options, option, fact }) => {
    expect(() => createWinkAnalyzer(options as never)).toThrow(InvalidOptionError);
    expect(() => createWinkAnalyzer(options as never)).toThrow(
      expect.objectContaining({ code: 'ERR_TFIDF_INVALID_OPTION', option }) as Error,
    );
    expect(() => createWinkAnalyzer(options as never)).toThrow(
      `createWinkAnalyzer: option ${option} must be`,
    );
    expect(() => createWinkAnalyzer(options as never)).toThrow(fact);
  });

  it.each<[WinkAnalyzerOptions, string]>([
    [{}, 'wink'],
    [{ lowercase: false, stopWords: false }, 'wink(lowercase=false,stop=false)'],
    [{ form: 'lemma', ngramRange: [1, 2] }, 'wink(form=lemma,ngram=1-2)'],
    [{ keepTypes: ['number', 'word'] }, 'wink'],
    [{ keepTypes: ['word', 'number', 'emoji'] }, 'wink(types=word/number/emoji)'],
  ])('describes %j as %s', (options, description) => {
    expect(createWinkAnalyzer(options).description).toBe(description);
  });
});
