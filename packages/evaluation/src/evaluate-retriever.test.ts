import { fc, test } from '@fast-check/vitest';
import type { RetrievalDataset } from '@rtk/datasets';
import { formatTrecRun, parseTrecRun } from '@rtk/metrics';
import { describe, expect, it } from 'vitest';
import {
  bruteForceQuery,
  fullRanking,
  scriptedRetriever,
  TableRetriever,
  type ScoreTable,
} from './_test-retrievers.js';
import {
  EmptyDatasetError,
  InvalidDatasetError,
  InvalidOptionError,
  InvalidRankingError,
  InvalidScoreError,
  UnknownDocumentError,
} from './errors.js';
import { evaluateRetriever, type EvaluationProgress } from './evaluate-retriever.js';

/**
 * Five passages, four queries. Rankings (scores below; unlisted = 0; ties keep corpus order):
 * - q1 "alpha": d1 .9, d2 .8, d3 .5, d4 0, d5 0 — relevant d3 (rank 3) and d5 (rank 5);
 * - q2 "beta": d2 .7, d4 .7 (tie: d2 first, earlier in the corpus), d1 .1, … — relevant d4 (grade 2, rank 2);
 * - q3 "delta": no relevant passage — skipped;
 * - q4 "gamma": d1 .3, d2 .2, d3 .2, d4 .1, d5 0 — relevant d5 (rank 5).
 */
const corpus = ['d1', 'd2', 'd3', 'd4', 'd5'].map((id) => ({ id, text: `passage ${id}` }));
const table: ScoreTable = new Map([
  [
    'alpha',
    new Map([
      ['d1', 0.9],
      ['d2', 0.8],
      ['d3', 0.5],
    ]),
  ],
  [
    'beta',
    new Map([
      ['d4', 0.7],
      ['d2', 0.7],
      ['d1', 0.1],
    ]),
  ],
  [
    'gamma',
    new Map([
      ['d1', 0.3],
      ['d2', 0.2],
      ['d3', 0.2],
      ['d4', 0.1],
    ]),
  ],
]);
const tiny: RetrievalDataset = {
  name: 'tiny',
  corpus,
  queries: [
    { id: 'q1', text: 'alpha' },
    { id: 'q2', text: 'beta' },
    { id: 'q3', text: 'delta' },
    { id: 'q4', text: 'gamma' },
  ],
  qrels: new Map([
    [
      'q1',
      new Map([
        ['d3', 1],
        ['d5', 1],
        ['d1', 0],
      ]),
    ],
    ['q2', new Map([['d4', 2]])],
    ['q3', new Map([['d2', 0]])],
    ['q4', new Map([['d5', 1]])],
  ]),
};

describe('evaluateRetriever on a tiny corpus with known rankings', () => {
  it('computes every default measure as worked out by hand (k = 100)', async () => {
    const r = await evaluateRetriever(new TableRetriever(table, { fullRanks: true }), tiny);
    // Per query: hit@3 1, 1, 0; recall@10 1 each (5 passages); RR 1/3, 1/2, 1/5;
    // nDCG@10 (1/log2 4 + 1/log2 6)/(1 + 1/log2 3) = .543771, (2/log2 3)/2 = .630930,
    // 1/log2 6 = .386853; AP (1/3 + 2/5)/2, 1/2, 1/5.
    const expected: Record<string, number> = {
      'hit@1': 0,
      'hit@3': 2 / 3,
      'hit@10': 1,
      'recall@10': 1,
      'recall@100': 1,
      'mrr@10': (1 / 3 + 1 / 2 + 1 / 5) / 3,
      'ndcg@10': 0.5205179566526749,
      'map@100': ((1 / 3 + 2 / 5) / 2 + 1 / 2 + 1 / 5) / 3,
      mrr: (1 / 3 + 1 / 2 + 1 / 5) / 3,
    };
    expect(Object.keys(r.means)).toEqual(Object.keys(expected));
    for (const [label, value] of Object.entries(expected)) {
      expect([label, r.means[label]]).toEqual([label, expect.closeTo(value, 12)]);
    }
    expect(r.study).toEqual({
      'Recall@1': 0,
      'Recall@3': expect.closeTo(2 / 3, 12),
      'Recall@10': 1,
      MRR: expect.closeTo(0.3444444444444444, 12),
    });
    expect(r.mrr).toMatchObject({ definition: 'full ranking', k: undefined, label: 'mrr' });
    expect(r.perQuery.get('q2')).toMatchObject({ 'hit@1': 0, mrr: 0.5, 'map@100': 0.5 });
    expect([...r.perQuery.keys()]).toEqual(['q1', 'q2', 'q4']);
    expect(r.skippedQueryIds).toEqual(['q3']);
    expect(r.evaluatedQueries).toBe(3);
    expect(r.firstRelevantRanks).toEqual(
      new Map([
        ['q1', 3],
        ['q2', 2],
        ['q4', 5],
      ]),
    );
    expect(r.rankDisagreements).toBe(0);
    expect(r.run.get('q2')!.map((d) => d.id)).toEqual(['d2', 'd4', 'd1', 'd3', 'd5']);
    expect(r.tag).toBe('table');
    expect(Object.keys(r.timings)).toEqual(['index', 'search', 'fullRanks']);
  });

  it('searches to depth k, caps default cut-offs at k and keeps full-ranking MRR', async () => {
    const retriever = new TableRetriever(table, { fullRanks: true });
    const r = await evaluateRetriever(retriever, tiny, { k: 3 });
    expect(retriever.calls.filter((c) => c.method === 'search').map((c) => c.k)).toEqual([3]);
    expect(Object.keys(r.means)).toEqual([
      'hit@1',
      'hit@3',
      'recall@3',
      'mrr@3',
      'ndcg@3',
      'map@3',
      'mrr',
    ]);
    // q4's relevant passage is at rank 5: 0 for MRR@3, 1/5 for the full-ranking MRR.
    expect(r.means['mrr@3']).toBeCloseTo((1 / 3 + 1 / 2) / 3, 12);
    expect(r.means.mrr).toBeCloseTo((1 / 3 + 1 / 2 + 1 / 5) / 3, 12);
    // nDCG@3: (1/log2 4)/(1 + 1/log2 3), (2/log2 3)/2, 0.
    expect(r.means['ndcg@3']).toBeCloseTo(0.31250111665139557, 12);
    expect(Object.keys(r.study)).toEqual(['Recall@1', 'Recall@3', 'MRR']);
    expect(r.run.get('q1')).toHaveLength(3);
  });

  it('labels MRR as MRR@10 when the retriever cannot rank fully', async () => {
    const r = await evaluateRetriever(new TableRetriever(table), tiny, { k: 10 });
    expect(r.mrr).toEqual({
      value: expect.closeTo(0.3444444444444444, 12),
      definition: 'cut-off',
      k: 10,
      label: 'mrr@10',
    });
    expect(r.study).toHaveProperty('MRR@10');
    expect(r.study).not.toHaveProperty('MRR');
    expect(r.means).not.toHaveProperty('mrr');
    expect(r.firstRelevantRanks).toBeUndefined();
    expect(Object.keys(r.timings)).toEqual(['index', 'search']);
  });

  it('computes the measures asked, given as labels or objects, duplicates once', async () => {
    const r = await evaluateRetriever(new TableRetriever(table), tiny, {
      k: 5,
      measures: ['precision@2', { metric: 'recall', k: 2 }, 'recall@2', 'mrr@5'],
    });
    expect(r.measures).toEqual([
      { metric: 'precision', k: 2 },
      { metric: 'recall', k: 2 },
      { metric: 'mrr', k: 5 },
    ]);
    // precision@2: q1 0, q2 1/2 (d4 at rank 2), q4 0; recall@2: 0, 1, 0.
    expect(r.means['precision@2']).toBeCloseTo(1 / 6, 12);
    expect(r.means['recall@2']).toBeCloseTo(1 / 3, 12);
    expect(r.means['mrr@5']).toBeCloseTo((1 / 3 + 1 / 2 + 1 / 5) / 3, 12);
    // The study numbers come with any measures.
    expect(Object.keys(r.study)).toEqual(['Recall@1', 'Recall@3', 'MRR@5']);
  });

  it('reads ranx and trec_eval names, keying results by the text as written', async () => {
    const r = await evaluateRetriever(new TableRetriever(table, { fullRanks: true }), tiny, {
      k: 5,
      measures: ['P_2', 'success_3', 'hit_rate@3', 'ndcg_cut_3', 'recip_rank', 'hits@5'],
    });
    expect(Object.keys(r.means)).toEqual([
      'P_2',
      'success_3',
      'hit_rate@3',
      'ndcg_cut_3',
      'recip_rank',
      'hits@5',
    ]);
    expect(r.means.P_2).toBeCloseTo(1 / 6, 12); // as precision@2 above
    expect(r.means.success_3).toBeCloseTo(2 / 3, 12); // hit@3: q1, q2
    expect(r.means['hit_rate@3']).toBe(r.means.success_3);
    expect(r.means.ndcg_cut_3).toBeCloseTo(0.31250111665139557, 12); // nDCG@3 worked out above
    expect(r.means.recip_rank).toBeCloseTo((1 / 3 + 1 / 2 + 1 / 5) / 3, 12); // full ranking
    expect(r.means['hits@5']).toBeCloseTo((2 + 1 + 1) / 3, 12); // counts, all within the 5
    expect(r.perQuery.get('q4')).toMatchObject({ recip_rank: 0.2, success_3: 0 });
  });

  it('searches in batches and reports progress per phase, ending at the total', async () => {
    const retriever = new TableRetriever(table, { fullRanks: true });
    const events: EvaluationProgress[] = [];
    await evaluateRetriever(retriever, tiny, { batchSize: 2, onProgress: (e) => events.push(e) });
    expect(retriever.calls.map((c) => `${c.method}:${c.queries}`)).toEqual([
      'index:0',
      'search:2',
      'search:1',
      'firstRelevantRank:2',
      'firstRelevantRank:1',
    ]);
    const phases = [...new Set(events.map((e) => e.phase))];
    expect(phases).toEqual(['index', 'search', 'fullRanks']);
    for (const phase of ['search', 'fullRanks'] as const) {
      const mine = events.filter((e) => e.phase === phase);
      expect(mine.every((e) => e.total === 3 && e.done <= 3)).toBe(true);
      expect(mine.map((e) => e.done)).toEqual([...mine.map((e) => e.done)].sort((a, b) => a - b));
      expect(mine.at(-1)!.done).toBe(3);
    }
    // Every phase opens with done = 0; the table retriever reports indexing once, at the end.
    expect(events.filter((e) => e.done === 0).map((e) => e.phase)).toEqual(phases);
    expect(events.filter((e) => e.phase === 'index')).toEqual([
      { phase: 'index', done: 0, total: 5 },
      { phase: 'index', done: 5, total: 5 },
    ]);
  });

  it('closes the index phase for a retriever that reports no indexing progress', async () => {
    const silent = new TableRetriever(table);
    const index = silent.index.bind(silent);
    silent.index = (corpus) => index(corpus, {});
    const events: EvaluationProgress[] = [];
    await evaluateRetriever(silent, tiny, { onProgress: (e) => events.push(e) });
    expect(events.filter((e) => e.phase === 'index')).toEqual([
      { phase: 'index', done: 0, total: 5 },
      { phase: 'index', done: 5, total: 5 },
    ]);
  });

  it('returns a run the TREC writer writes and reads back, tagged with the name', async () => {
    const r = await evaluateRetriever(new TableRetriever(table, { name: 'my table v1' }), tiny);
    expect(r.tag).toBe('my_table_v1');
    const text = formatTrecRun(r.run, { tag: r.tag });
    expect(text.split('\n')[0]).toBe('q1 Q0 d1 1 0.9 my_table_v1');
    expect(parseTrecRun(text)).toEqual(r.run);
  });
});

describe('evaluateRetriever against a brute-force computation', () => {
  /** A random corpus of n passages, q queries with small integer scores (many ties) and graded qrels. */
  const scenario = fc
    .record({ n: fc.integer({ min: 1, max: 12 }), q: fc.integer({ min: 1, max: 6 }) })
    .chain(({ n, q }) =>
      fc.record({
        n: fc.constant(n),
        scores: fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }), {
          minLength: q,
          maxLength: q,
        }),
        grades: fc.array(
          fc.array(fc.integer({ min: -1, max: 2 }), { minLength: n, maxLength: n }),
          {
            minLength: q,
            maxLength: q,
          },
        ),
        k: fc.integer({ min: 1, max: 14 }),
        fullRanks: fc.boolean(),
        batchSize: fc.integer({ min: 1, max: 4 }),
      }),
    );

  test.prop([scenario], { numRuns: 150 })(
    'every mean and per-query value equals the definitions applied to the full sort',
    async ({ n, scores, grades, k, fullRanks, batchSize }) => {
      const docs = Array.from({ length: n }, (_, i) => ({ id: `d${i}`, text: `t${i}` }));
      const queries = scores.map((_, j) => ({ id: `q${j}`, text: `query ${j}` }));
      const scoreTable: ScoreTable = new Map(
        scores.map((row, j) => [`query ${j}`, new Map(row.map((s, i) => [`d${i}`, s]))]),
      );
      const qrels = new Map(
        grades.map((row, j) => [`q${j}`, new Map(row.map((g, i) => [`d${i}`, g]))]),
      );
      const dataset: RetrievalDataset = { name: 'random', corpus: docs, queries, qrels };
      const judged = queries.filter((q) => [...qrels.get(q.id)!.values()].some((g) => g > 0));
      const retriever = new TableRetriever(scoreTable, { fullRanks });
      const run = evaluateRetriever(retriever, dataset, { k, batchSize });
      if (judged.length === 0) {
        await expect(run).rejects.toThrow(EmptyDatasetError);
        return;
      }
      const r = await run;
      const c = (cut: number): number => Math.min(cut, k);
      const sums: Record<string, number> = {};
      for (const q of judged) {
        const ranking = fullRanking(scoreTable, docs, q.text).map((d) => d.id);
        const g = qrels.get(q.id)!;
        const rankedTopK = ranking.slice(0, k);
        const want: Record<string, number> = {
          [`hit@${c(1)}`]: bruteForceQuery(rankedTopK, g, c(1)).hit,
          [`hit@${c(3)}`]: bruteForceQuery(rankedTopK, g, c(3)).hit,
          [`hit@${c(10)}`]: bruteForceQuery(rankedTopK, g, c(10)).hit,
          [`recall@${c(10)}`]: bruteForceQuery(rankedTopK, g, c(10)).recall,
          [`recall@${c(100)}`]: bruteForceQuery(rankedTopK, g, c(100)).recall,
          [`mrr@${c(10)}`]: bruteForceQuery(rankedTopK, g, c(10)).mrr,
          [`ndcg@${c(10)}`]: bruteForceQuery(rankedTopK, g, c(10)).ndcg,
          [`map@${c(100)}`]: bruteForceQuery(rankedTopK, g, c(100)).map,
        };
        if (fullRanks) want.mrr = bruteForceQuery(ranking, g, ranking.length).mrr;
        const got = r.perQuery.get(q.id)!;
        expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
        for (const [label, value] of Object.entries(want)) {
          expect([q.id, label, got[label]]).toEqual([q.id, label, expect.closeTo(value, 12)]);
          sums[label] = (sums[label] ?? 0) + value;
        }
        expect(r.run.get(q.id)!.map((d) => d.id)).toEqual(rankedTopK);
      }
      for (const [label, sum] of Object.entries(sums)) {
        expect([label, r.means[label]]).toEqual([label, expect.closeTo(sum / judged.length, 12)]);
      }
      const study = r.study;
      expect(study['Recall@1']).toBe(r.means[`hit@1`]);
      expect(fullRanks ? study.MRR : study[`MRR@${c(10)}`]).toBe(
        fullRanks ? r.means.mrr : r.means[`mrr@${c(10)}`],
      );
      expect(r.rankDisagreements).toBe(0);
      expect(r.evaluatedQueries).toBe(judged.length);
    },
  );
});

describe('evaluateRetriever errors', () => {
  const good = (): TableRetriever => new TableRetriever(table);

  it.each([0, -1, 2.5, Number.NaN])('rejects k = %d', async (k) => {
    const error = await evaluateRetriever(good(), tiny, { k }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_EVALUATION_INVALID_OPTION', option: 'k' });
    expect((error as Error).message).toContain('integer ≥ 1');
  });

  it('rejects a bad batch size', async () => {
    await expect(evaluateRetriever(good(), tiny, { batchSize: 0 })).rejects.toMatchObject({
      option: 'batchSize',
    });
  });

  it.each([
    [['ndcg@20'], 10, 'Raise k to 20'],
    [['ndcg'], 10, 'ndcg@10'],
    [['mrr'], 10, 'firstRelevantRank'],
    [['nope@3'], 10, 'unknown metric'],
    [[], 10, 'non-empty'],
  ])('rejects measures %j at k = %d', async (measures, k, fact) => {
    const error = await evaluateRetriever(good(), tiny, { k, measures }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toContain(fact);
  });

  it.each<[string, RetrievalDataset]>([
    ['an empty corpus', { ...tiny, corpus: [] }],
    ['no queries', { ...tiny, queries: [] }],
    ['no relevant judgements', { ...tiny, qrels: new Map([['q1', new Map([['d1', 0]])]]) }],
  ])('rejects a dataset with %s', async (_, dataset) => {
    const error = await evaluateRetriever(good(), dataset).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmptyDatasetError);
    expect(error).toMatchObject({ code: 'ERR_EVALUATION_EMPTY_DATASET', dataset: 'tiny' });
  });

  it('rejects duplicate ids in the dataset, naming the entry', async () => {
    const dataset = { ...tiny, queries: [...tiny.queries, { id: 'q2', text: 'again' }] };
    const error = await evaluateRetriever(good(), dataset).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDatasetError);
    expect(error).toMatchObject({ part: 'queries', index: 4 });
    expect((error as Error).message).toContain('queries[1]');
  });

  const rank = (ids: readonly string[], scores?: readonly number[]): unknown =>
    ids.map((id, i) => ({ id, score: scores?.[i] ?? 1 - i / 10 }));

  it('rejects a document id the corpus does not have', async () => {
    const retriever = scriptedRetriever((qs) => qs.map(() => rank(['d1', 'nope'])));
    const error = await evaluateRetriever(retriever, tiny).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownDocumentError);
    expect(error).toMatchObject({
      code: 'ERR_EVALUATION_UNKNOWN_DOCUMENT',
      docId: 'nope',
      queryId: 'q1',
      position: 1,
      retriever: 'scripted retriever',
    });
  });

  it.each([Number.NaN, Infinity, '0.5'])('rejects the score %s', async (score) => {
    const retriever = scriptedRetriever((qs) => qs.map(() => [{ id: 'd2', score }]));
    const error = await evaluateRetriever(retriever, tiny).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidScoreError);
    expect(error).toMatchObject({ code: 'ERR_EVALUATION_INVALID_SCORE', docId: 'd2', score });
  });

  it.each<[string, (qs: readonly string[], k: number) => unknown, string]>([
    ['too few rankings', (qs) => qs.slice(1).map(() => []), '2 rankings for 3 queries'],
    [
      'too many documents',
      (qs, k) => qs.map(() => rank(['d1', 'd2', 'd3'].slice(0, k + 1))),
      'more than k = 2',
    ],
    ['a document twice', (qs) => qs.map(() => rank(['d1', 'd1'])), 'twice'],
    ['ascending scores', (qs) => qs.map(() => rank(['d1', 'd2'], [0.1, 0.2])), 'out of order'],
  ])('rejects %s', async (_, answer, fact) => {
    const error = await evaluateRetriever(scriptedRetriever(answer), tiny, { k: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidRankingError);
    expect(error).toMatchObject({ code: 'ERR_EVALUATION_INVALID_RANKING', method: 'search' });
    expect((error as Error).message).toContain(fact);
  });

  it.each<[string, (qs: readonly string[]) => unknown]>([
    ['a rank of 0', (qs) => qs.map(() => 0)],
    ['a fractional rank', (qs) => qs.map(() => 1.5)],
    ['one rank short', (qs) => qs.slice(1).map(() => 1)],
  ])('rejects firstRelevantRank answering %s', async (_, answer) => {
    const retriever = scriptedRetriever((qs) => qs.map(() => rank(['d1'])), answer);
    const error = await evaluateRetriever(retriever, tiny).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRankingError);
    expect(error).toMatchObject({ method: 'firstRelevantRank' });
  });

  it('counts queries whose full rank disagrees with the top k', async () => {
    // search puts d3 (relevant to q1) first, firstRelevantRank claims rank 4 for everything.
    const retriever = scriptedRetriever(
      (qs) => qs.map(() => rank(['d3', 'd4'])),
      (qs) => qs.map(() => 4),
    );
    const r = await evaluateRetriever(retriever, tiny);
    // q1: top-2 has d3 at 1, full says 4; q2: d4 at 2 vs 4; q4: none in top 2, 4 > 2 fine.
    expect(r.rankDisagreements).toBe(2);
  });
});
