import { RtkError } from '@rtk/errors';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

const instances: errors.TfidfError[] = [
  new errors.InvalidOptionError('norm', 'TfidfVectorizer', "one of 'l2', 'l1', 'none'", 'l3'),
  new errors.InvalidTextError('TfidfVectorizer.fit', 1, 42),
  new errors.EmptyVocabularyError('TfidfVectorizer.fit', 2, 'no document produced a term'),
  new errors.NotFittedError('TfidfVectorizer.transform', 'Call fit(documents) first.'),
  new errors.InvalidVectorError('InvertedIndex.scores', 'query has 1 indices but 2 values'),
  new errors.DuplicateIdError('TfidfRetriever.index', 'a', 0, 3),
  new errors.UnknownDocumentError('TfidfRetriever.rankOf', 'nope'),
];

describe('TfidfError subclasses', () => {
  it('cover every exported class, each with its own name and a unique ERR_TFIDF_ code', () => {
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
    // [error, facts its message must carry]
    [instances[0]!, ['TfidfVectorizer', 'option norm', 'received "l3"']],
    [instances[1]!, ['TfidfVectorizer.fit', 'index 1', 'received 42']],
    [instances[2]!, ['2 document(s)', 'no document produced a term']],
    [instances[3]!, ['TfidfVectorizer.transform', 'Call fit(documents) first.']],
    [instances[4]!, ['InvertedIndex.scores', '1 indices but 2 values']],
    [instances[5]!, ['"a"', 'positions 0 and 3']],
    [instances[6]!, ['TfidfRetriever.rankOf', '"nope"']],
  ])('%s names what, where and expected', (error, facts) => {
    for (const fact of facts) expect(error.message).toContain(fact);
  });
});
