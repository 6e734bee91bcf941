import { describe, expect, it } from 'vitest';
import { idealGains, judgeQuery, judgeRanking } from './_judge.js';

describe('judgeRanking', () => {
  it('keeps a grade only where it is > 0: unjudged, 0 and negative grades become 0', () => {
    // TREC qrels may hold negative grades (trec_eval reads them as non-relevant).
    const grades = new Map([
      ['zero', 0],
      ['minus', -1],
      ['two', 2],
      ['one', 1],
    ]);
    const ranking = ['unjudged', 'zero', 'minus', 'two', 'one'].map((id) => ({ id, score: 0 }));
    const ideal = idealGains(grades, undefined, 'test');
    expect(Array.from(ideal)).toEqual([2, 1]);
    const judged = judgeRanking(ranking, grades, ideal, 10, undefined, 'test');
    expect(Array.from(judged.gains)).toEqual([0, 0, 0, 2, 1]);
    expect(judged.relevantCount).toBe(2);
    // The depth cuts the gains, not the ideal.
    expect(Array.from(judgeQuery(ranking, grades, 4, 'test').gains)).toEqual([0, 0, 0, 2]);
  });
});
