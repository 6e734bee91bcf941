import { describe, expect, it } from 'vitest';
import { pairsFromDataset } from './pairs-from-dataset.js';

describe('pairsFromDataset', () => {
  it('keeps relevant judgements (grade > 0) of known passages, in query then qrels order', () => {
    const got = pairsFromDataset({
      name: 't',
      corpus: [
        { id: 'd1', text: 'one' },
        { id: 'd2', text: 'two' },
      ],
      queries: [
        { id: 'q1', text: 'Q1' },
        { id: 'q2', text: 'Q2' },
      ],
      qrels: new Map([
        [
          'q1',
          new Map([
            ['d2', 1],
            ['d1', 2],
            ['dx', 1],
          ]),
        ],
        ['q2', new Map([['d1', 0]])],
      ]),
    });
    expect(got.pairs).toEqual([
      { query: 'Q1', passage: 'two' },
      { query: 'Q1', passage: 'one' },
    ]);
    expect(got.corpus).toEqual(['one', 'two']);
  });

  it('gives no pair for a query without judgements and goes on to the next', () => {
    const got = pairsFromDataset({
      name: 't',
      corpus: [
        { id: 'd0', text: 'zero' },
        { id: 'd1', text: 'one' },
      ],
      queries: [
        { id: 'q0', text: 'Q0' },
        { id: 'q1', text: 'Q1' },
      ],
      qrels: new Map([['q1', new Map([['d1', 1]])]]),
    });
    expect(got.pairs).toEqual([{ query: 'Q1', passage: 'one' }]);
    expect(got.corpus).toEqual(['zero', 'one']);
  });
});
