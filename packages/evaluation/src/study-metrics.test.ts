import { EmptyEvaluationError } from '@rtk/metrics';
import { describe, expect, it } from 'vitest';
import { studyMetrics } from './study-metrics.js';

const ranking = (...ids: string[]): { id: string; score: number }[] =>
  ids.map((id, i) => ({ id, score: ids.length - i }));

describe('studyMetrics', () => {
  it('gives hit@1/3/10 as Recall@K and MRR@10, worked out by hand', () => {
    // q1: relevant b at rank 2; q2: relevant z nowhere in the top 10 → 0 everywhere;
    // q3: two relevant, first at rank 4. hit@1 0/3; hit@3 1/3; hit@10 2/3; MRR@10 (1/2 + 0 + 1/4)/3.
    const run = new Map([
      ['q1', ranking('a', 'b', 'c')],
      ['q2', ranking('a', 'b', 'c')],
      ['q3', ranking('a', 'b', 'c', 'd', 'e')],
    ]);
    const qrels = new Map([
      ['q1', new Map([['b', 1]])],
      ['q2', new Map([['z', 1]])],
      [
        'q3',
        new Map([
          ['d', 1],
          ['e', 1],
        ]),
      ],
    ]);
    const m = studyMetrics(run, qrels);
    expect(Object.keys(m)).toEqual(['Recall@1', 'Recall@3', 'Recall@10', 'MRR@10']);
    expect(m['Recall@1']).toBe(0);
    expect(m['Recall@3']).toBeCloseTo(1 / 3, 12);
    expect(m['Recall@10']).toBeCloseTo(2 / 3, 12);
    expect(m['MRR@10']).toBeCloseTo(0.25, 12);
  });

  it('leaves out cut-offs deeper than the run', () => {
    const run = new Map([['q1', ranking('a', 'b')]]);
    const qrels = new Map([['q1', new Map([['b', 1]])]]);
    expect(studyMetrics(run, qrels, { depth: 2 })).toEqual({ 'Recall@1': 0, 'MRR@2': 0.5 });
  });

  it('rejects qrels without a relevant document', () => {
    expect(() => studyMetrics(new Map(), new Map([['q1', new Map([['a', 0]])]]))).toThrow(
      EmptyEvaluationError,
    );
  });
});
