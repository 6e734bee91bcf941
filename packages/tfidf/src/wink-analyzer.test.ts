import { describe, expect, it, vi } from 'vitest';
import type winkNLP from 'wink-nlp';
import { caught } from './_test-errors.js';
import { InvalidOptionError } from './errors.js';
import { createWinkAnalyzer, type WinkAnalyzerOptions } from './wink-analyzer.js';

// wink-nlp's factory, spied on (it still runs): which pipelines an analyzer loads is only visible
// in its calls. Every other test here gets the real wink-nlp through the spy.
vi.mock('wink-nlp', async (importOriginal) => {
  const actual: { default: typeof winkNLP } = await importOriginal();
  return { ...actual, default: vi.fn(actual.default) };
});

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

  it('names an n-gram range other than unigrams', () => {
    // Either end differing from 1 is a non-default range.
    expect(createWinkAnalyzer({ ngramRange: [1, 2] }).description).toBe('wink(ngram=1-2)');
    expect(createWinkAnalyzer({ ngramRange: [2, 2] }).description).toBe('wink(ngram=2-2)');
  });

  it('rejects a lowercase option that is not a boolean, naming the option', async () => {
    const error = await caught(() => createWinkAnalyzer({ lowercase: 'yes' as never }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({
      code: 'ERR_TFIDF_INVALID_OPTION',
      option: 'lowercase',
      value: 'yes',
    });
    expect((error as Error).message).toBe(
      'createWinkAnalyzer: option lowercase must be true or false, received "yes". Fix or omit lowercase.',
    );
  });

  it('rejects token types with one unknown among known ones, listing every type', async () => {
    const keepTypes = ['word', 'words'];
    const error = await caught(() => createWinkAnalyzer({ keepTypes: keepTypes as never }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({
      code: 'ERR_TFIDF_INVALID_OPTION',
      option: 'keepTypes',
      value: keepTypes,
    });
    // The types wink-nlp's its.type reports (WinkTokenType), in the declared order.
    expect((error as Error).message).toBe(
      'createWinkAnalyzer: option keepTypes must be a non-empty array of wink token types (word, number, ' +
        'punctuation, email, url, mention, hashtag, emoji, emoticon, time, ordinal, currency, ' +
        'symbol, unit, tabCRLF, apos, alpha, decade, shortForm, quoted_phrase), received array(2). ' +
        'Fix or omit keepTypes.',
    );
  });

  it('rejects an empty keepTypes, which would drop every token', async () => {
    const error = await caught(() => createWinkAnalyzer({ keepTypes: [] }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({
      code: 'ERR_TFIDF_INVALID_OPTION',
      option: 'keepTypes',
      value: [],
    });
    expect((error as Error).message).toBe(
      'createWinkAnalyzer: option keepTypes must be a non-empty array of wink token types (word, number, ' +
        'punctuation, email, url, mention, hashtag, emoji, emoticon, time, ordinal, currency, ' +
        'symbol, unit, tabCRLF, apos, alpha, decade, shortForm, quoted_phrase), received array(0). ' +
        'Fix or omit keepTypes.',
    );
  });

  it('loads one wink pipeline per kind, with part-of-speech tagging only for lemmas', async () => {
    // A fresh copy of the module, so its pipeline cache starts empty whatever ran before.
    vi.resetModules();
    const { default: load } = await import('wink-nlp');
    const { createWinkAnalyzer: fresh } = await import('./wink-analyzer.js');
    const calls = vi.mocked(load).mock.calls;
    const before = calls.length;
    fresh();
    fresh({ form: 'stem' });
    fresh({ lowercase: false });
    fresh({ form: 'lemma' });
    fresh({ form: 'lemma', ngramRange: [1, 2] });
    // Surface and stem forms need no pipeline step; lemmas need sentence splitting and POS tags.
    expect(calls.slice(before).map((call) => call[1])).toEqual([[], ['sbd', 'pos']]);
    expect(fresh({ form: 'stem' })('The cats were running')).toEqual(['cat', 'run']);
  });
});
