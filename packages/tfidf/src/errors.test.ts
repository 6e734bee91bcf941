import { RtkError } from '@rtk/errors';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

// Built inside each test, not at import: a test reaches the messages it checks (Stryker maps
// coverage per test), and the test names do not carry a message a mutant could change.
function makeInstances(): errors.TfidfError[] {
  return [
    new errors.InvalidOptionError('norm', 'TfidfVectorizer', "one of 'l2', 'l1', 'none'", 'l3'),
    new errors.InvalidTextError('TfidfVectorizer.fit', 1, 42),
    new errors.EmptyVocabularyError('TfidfVectorizer.fit', 2, 'no document produced a term'),
    new errors.NotFittedError('TfidfVectorizer.transform', 'Call fit(documents) first.'),
    new errors.InvalidVectorError('InvertedIndex.scores', 'query has 1 indices but 2 values'),
    new errors.DuplicateIdError('TfidfRetriever.index', 'a', 0, 3),
    new errors.UnknownDocumentError('TfidfRetriever.rankOf', 'nope'),
  ];
}

describe('TfidfError subclasses', () => {
  it('cover every exported class, each with its own name and a unique ERR_TFIDF_ code', () => {
    const instances = makeInstances();
    const classes = Object.values(errors).filter(
      (value) => typeof value === 'function' && value !== errors.TfidfError,
    );
    expect(instances.map((e) => e.constructor)).toEqual(expect.arrayContaining(classes));
    expect(new Set(instances.map((e) => e.code)).size).toBe(instances.length);
    for (const error of instances) {
      expect(error).toBeInstanceOf(errors.TfidfError);
      expect(error).toBeInstanceOf(RtkError);
      expect(error.name).toBe(error.constructor.name);
      expect(error.code).toMatch(/^ERR_TFIDF_[A-Z_]+$/);
    }
  });

  it.each([
    // [class, its index in makeInstances(), code]
    ['InvalidOptionError', 0, 'ERR_TFIDF_INVALID_OPTION'],
    ['InvalidTextError', 1, 'ERR_TFIDF_INVALID_TEXT'],
    ['EmptyVocabularyError', 2, 'ERR_TFIDF_EMPTY_VOCABULARY'],
    ['NotFittedError', 3, 'ERR_TFIDF_NOT_FITTED'],
    ['InvalidVectorError', 4, 'ERR_TFIDF_INVALID_VECTOR'],
    ['DuplicateIdError', 5, 'ERR_TFIDF_DUPLICATE_ID'],
    ['UnknownDocumentError', 6, 'ERR_TFIDF_UNKNOWN_DOCUMENT'],
  ])('%s (#%i) has code %s', (name, index, code) => {
    const error = makeInstances()[index]!;
    expect(error.constructor.name).toBe(name);
    expect(error.code).toBe(code);
  });

  it('say what, where, what was expected and how to fix it, whole', () => {
    expect(makeInstances().map((error) => error.message)).toEqual([
      `TfidfVectorizer: option norm must be one of 'l2', 'l1', 'none', received "l3". Fix or omit norm.`,
      'TfidfVectorizer.fit: text at index 1 must be a string, received 42. ' +
        'Pass an array of strings (use "" for an empty document).',
      'TfidfVectorizer.fit: empty vocabulary after fitting 2 document(s): no document produced a term. ' +
        'Check that the texts hold words of 2+ characters, drop stop-word removal, or relax minDf/maxDf.',
      'TfidfVectorizer.transform: nothing fitted yet. Call fit(documents) first.',
      'InvertedIndex.scores: query has 1 indices but 2 values. ' +
        "Build vectors with the index's own vectorizer, or sort indices ascending and keep them < numTerms.",
      'TfidfRetriever.index: document id "a" appears at corpus positions 0 and 3. ' +
        'Give every document a unique id (merge duplicate passages first).',
      'TfidfRetriever.rankOf: document id "nope" is not in the indexed corpus. Pass an id given to index().',
    ]);
  });

  it('carry the facts as fields', () => {
    const [option, text, vocabulary, , , duplicate, unknown] = makeInstances() as [
      errors.InvalidOptionError,
      errors.InvalidTextError,
      errors.EmptyVocabularyError,
      errors.NotFittedError,
      errors.InvalidVectorError,
      errors.DuplicateIdError,
      errors.UnknownDocumentError,
    ];
    expect([option.option, option.value]).toEqual(['norm', 'l3']);
    expect(text.index).toBe(1);
    expect(vocabulary.documents).toBe(2);
    expect(duplicate.id).toBe('a');
    expect(unknown.id).toBe('nope');
  });

  it.each([
    // [what is received, the value, how the message shows it]
    ['a 60-character string', 'x'.repeat(60), JSON.stringify('x'.repeat(60))],
    ['a 61-character string', 'x'.repeat(61), JSON.stringify(`${'x'.repeat(60)}…`)],
    ['a boolean', true, 'true'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['an array', [1, 2, 3], 'array(3)'],
    ['an object', { a: 1 }, 'object'],
    ['a function', () => 0, 'function'],
  ])('show %s received by its kind or value', (_what, value, shown) => {
    const error = new errors.InvalidOptionError('norm', 'W', 'l2', value);
    expect(error.message).toBe(`W: option norm must be l2, received ${shown}. Fix or omit norm.`);
  });
});
