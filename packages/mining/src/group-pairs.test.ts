import { describe, expect, it } from 'vitest';
import type { Pair } from '@rtk/datasets';
import { groupPairs } from './group-pairs.js';
import { InvalidPairsError } from './errors.js';
import { thrown } from './_test-errors.js';

// The sentence every InvalidPairsError message ends with.
const FIX = 'Every pair needs a non-empty query and a non-empty positive passage.';

describe('groupPairs', () => {
  it('groups queries by first appearance, puts the extra corpus first and merges duplicates', () => {
    // q1 → a, b (the repeated q1 → a counts once); q2 → b. 'a' is already corpus row 1.
    const got = groupPairs(
      [
        { query: 'q1', passage: 'a' },
        { query: 'q2', passage: 'b' },
        { query: 'q1', passage: 'b' },
        { query: 'q1', passage: 'a' },
      ],
      ['c', 'a'],
    );
    expect(got).toEqual({
      queries: ['q1', 'q2'],
      corpus: ['c', 'a', 'b'],
      positives: [[1, 2], [2]],
      pairs: 3,
    });
  });

  it('without an extra corpus the corpus is the positives only', () => {
    const got = groupPairs([
      { query: 'q1', passage: 'a' },
      { query: 'q2', passage: 'a' },
    ]);
    expect(got).toEqual({ queries: ['q1', 'q2'], corpus: ['a'], positives: [[0], [0]], pairs: 2 });
  });

  it('rejects an empty list of pairs', () => {
    const error = thrown(() => groupPairs([]));
    expect(error).toBeInstanceOf(InvalidPairsError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_PAIRS', index: undefined });
    expect((error as Error).message).toBe(`groupPairs: no pairs given. ${FIX}`);
  });

  // The bad pair is the second one, so the message names pair 1.
  it.each<[string, Pair, string]>([
    [
      'a query that is not a string',
      { query: 7 as never, passage: 'b' },
      'the query is not a string',
    ],
    ['an empty query', { query: '', passage: 'b' }, 'the query is empty'],
    [
      'a passage that is not a string',
      { query: 'q2', passage: 7 as never },
      'the passage is not a string',
    ],
    ['an empty passage', { query: 'q2', passage: '' }, 'the passage is empty'],
  ])('rejects %s, naming the pair', (_name, pair, problem) => {
    const error = thrown(() => groupPairs([{ query: 'q1', passage: 'a' }, pair]));
    expect(error).toBeInstanceOf(InvalidPairsError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_PAIRS', index: 1 });
    expect((error as Error).message).toBe(`groupPairs: pair 1 (0-based): ${problem}. ${FIX}`);
  });

  it.each<[string, unknown]>([
    ['not a string', 3],
    ['empty', ''],
  ])('rejects an extra corpus text that is %s, naming its position', (_name, text) => {
    const error = thrown(() => groupPairs([{ query: 'q1', passage: 'a' }], ['c', text as string]));
    expect(error).toBeInstanceOf(InvalidPairsError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_PAIRS', index: undefined });
    expect((error as Error).message).toBe(
      `groupPairs: corpus text 1 (0-based) is empty or not a string. ${FIX}`,
    );
  });
});
