import { formatTrecRun } from '@rtk/metrics';
import { describe, expect, it } from 'vitest';
import { trecTag } from './trec-tag.js';

describe('trecTag', () => {
  it.each([
    ['bm25-lucene(k1=0.9,b=0.4)+sklearn', 'bm25-lucene(k1=0.9,b=0.4)+sklearn'],
    ['tiny-bert test fixture (not E5)', 'tiny-bert_test_fixture_(not_E5)'],
    [' e5\tsmall \n', 'e5_small'],
    ['', 'rtk'],
    ['   ', 'rtk'],
  ])('%j → %j', (name, tag) => {
    expect(trecTag(name)).toBe(tag);
  });

  it('gives tags the TREC writer accepts', () => {
    const run = new Map([['q1', [{ id: 'd1', score: 1 }]]]);
    expect(formatTrecRun(run, { tag: trecTag('a b\u00a0c') })).toBe('q1 Q0 d1 1 1 a_b_c\n');
  });
});
