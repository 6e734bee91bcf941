import { describe, expect, it } from 'vitest';
import { InvalidMiningOptionError, InvalidPairsError, InvalidRetrieverError } from './errors.js';
import { mineRandomNegatives } from './mine-random-negatives.js';
import { thrown } from './_test-errors.js';

describe('InvalidMiningOptionError', () => {
  it('names where, the option, what was expected and the value received', () => {
    const error = new InvalidMiningOptionError('numNegatives', 'an integer ≥ 1', 0, 'here');
    expect(error).toBeInstanceOf(InvalidMiningOptionError);
    expect(error.name).toBe('InvalidMiningOptionError');
    expect(error.code).toBe('ERR_MINING_INVALID_OPTION');
    expect(error.option).toBe('numNegatives');
    expect(error.value).toBe(0);
    expect(error.message).toBe('here: option numNegatives must be an integer ≥ 1, received 0.');
  });

  // The received value is shown as JSON, numbers as String() (JSON would print NaN as null),
  // what JSON cannot print (undefined, a bigint) as String(), and cut to 77 characters + '...'
  // when longer than 80.
  it.each<{ case: string; value: unknown; shown: string }>([
    { case: 'NaN as a number', value: NaN, shown: 'NaN' },
    { case: 'Infinity as a number', value: -Infinity, shown: '-Infinity' },
    { case: 'a string as JSON', value: 'tsv', shown: '"tsv"' },
    { case: 'an object as JSON', value: { a: [1, 'b'] }, shown: '{"a":[1,"b"]}' },
    { case: 'undefined as String()', value: undefined, shown: 'undefined' },
    // JSON.stringify throws on a bigint: the catch falls back to String()
    { case: 'a bigint as String()', value: 10n, shown: '10' },
    // 78 letters + 2 quotes = 80 characters: not cut
    { case: 'an 80-character text whole', value: 'x'.repeat(78), shown: `"${'x'.repeat(78)}"` },
    // 79 letters + 2 quotes = 81 characters: the quote and 76 letters, then '...'
    { case: 'an 81-character text cut', value: 'x'.repeat(79), shown: `"${'x'.repeat(76)}...` },
  ])('shows $case', ({ value, shown }) => {
    const error = new InvalidMiningOptionError('format', 'one of a, b', value, 'here');
    expect(error.message).toBe(`here: option format must be one of a, b, received ${shown}.`);
    expect(error.value).toBe(value);
  });

  it('falls back to String() for a circular object', () => {
    const value: { self?: unknown } = {};
    value.self = value;
    const error = new InvalidMiningOptionError('seed', 'a number', value, 'here');
    expect(error.message).toBe('here: option seed must be a number, received [object Object].');
  });
});

describe('InvalidPairsError', () => {
  it('names the pair when there is one, then the problem and the fix', () => {
    const error = new InvalidPairsError('groupPairs', 3, 'the query is empty');
    expect(error).toBeInstanceOf(InvalidPairsError);
    expect(error.name).toBe('InvalidPairsError');
    expect(error.code).toBe('ERR_MINING_INVALID_PAIRS');
    expect(error.index).toBe(3);
    expect(error.message).toBe(
      'groupPairs: pair 3 (0-based): the query is empty. ' +
        'Every pair needs a non-empty query and a non-empty positive passage.',
    );
  });

  it('leaves the pair out when there is none', () => {
    const error = new InvalidPairsError('groupPairs', undefined, 'no pairs given');
    expect(error.index).toBeUndefined();
    expect(error.message).toBe(
      'groupPairs: no pairs given. ' +
        'Every pair needs a non-empty query and a non-empty positive passage.',
    );
  });

  it('is what mining throws for no pairs and for an empty passage', () => {
    const none = thrown(() => mineRandomNegatives([]));
    expect(none).toBeInstanceOf(InvalidPairsError);
    expect(none).toMatchObject({
      index: undefined,
      message:
        'groupPairs: no pairs given. ' +
        'Every pair needs a non-empty query and a non-empty positive passage.',
    });
    const empty = thrown(() =>
      mineRandomNegatives([
        { query: 'q', passage: 'a' },
        { query: 'q', passage: '' },
      ]),
    );
    expect(empty).toBeInstanceOf(InvalidPairsError);
    expect(empty).toMatchObject({
      index: 1,
      message:
        'groupPairs: pair 1 (0-based): the passage is empty. ' +
        'Every pair needs a non-empty query and a non-empty positive passage.',
    });
  });
});

describe('InvalidRetrieverError', () => {
  it('names the retriever, the problem and the contract to satisfy', () => {
    const error = new InvalidRetrieverError('bm25', 'has no search() method');
    expect(error).toBeInstanceOf(InvalidRetrieverError);
    expect(error.name).toBe('InvalidRetrieverError');
    expect(error.code).toBe('ERR_MINING_INVALID_RETRIEVER');
    expect(error.retriever).toBe('bm25');
    expect(error.message).toBe(
      'mineHardNegatives: retriever "bm25" has no search() method. ' +
        'Pass an object satisfying the Retriever contract of @rtk/retrieval (index(corpus), ' +
        'search(queries, { k }) returning ids of the indexed corpus, best first).',
    );
  });
});
