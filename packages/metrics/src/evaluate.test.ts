import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { errorOf, queryCase } from './_test-arbitraries.js';
import { averagePrecision } from './average-precision.js';
import {
  DuplicateDocumentError,
  EmptyEvaluationError,
  InvalidGradeError,
  InvalidMeasureError,
} from './errors.js';
import { evaluate } from './evaluate.js';
import { hit } from './hit.js';
import { hits } from './hits.js';
import type { Measure } from './measure.js';
import { ndcg } from './ndcg.js';
import { precision } from './precision.js';
import { rankByScore } from './rank-by-score.js';
import { recall } from './recall.js';
import { reciprocalRank } from './reciprocal-rank.js';
import type { Qrels, Ranking, Run } from './types.js';

const docs = (...ids: string[]): Ranking => ids.map((id, i) => ({ id, score: ids.length - i }));

// q1: relevant b (rank 2). q2: relevant x (rank 1) and y (never retrieved).
// q3: only judged non-relevant → skipped. q4: relevant, absent from the run → empty ranking.
// run-only: in the run, not in the qrels → ignored (unjudged).
const run: Run = new Map([
  ['q1', docs('a', 'b', 'c')],
  ['q2', docs('x', 'z')],
  ['q3', docs('a')],
  ['run-only', docs('a')],
]);
const qrels: Qrels = new Map([
  ['q1', new Map([['b', 1]])],
  [
    'q2',
    new Map([
      ['x', 1],
      ['y', 1],
    ]),
  ],
  ['q3', new Map([['a', 0]])],
  ['q4', new Map([['a', 1]])],
]);
const measures: Measure[] = [
  { metric: 'recall', k: 1 },
  { metric: 'mrr' },
  { metric: 'precision', k: 2 },
];

describe('evaluate', () => {
  it('takes measures as text, as a newcomer writes them, keyed as written', () => {
    // The same worked example: ndcg@10 q1 1/log2(3), q2 (1)/(1 + 1/log2 3), q4 0; mrr@10 as mrr.
    const result = evaluate(run, qrels, ['ndcg@10', 'mrr@10']);
    expect(Object.keys(result.means)).toEqual(['ndcg@10', 'mrr@10']);
    const ndcgQ2 = 1 / (1 + 1 / Math.log2(3));
    expect(result.means['ndcg@10']).toBeCloseTo((1 / Math.log2(3) + ndcgQ2 + 0) / 3, 12);
    expect(result.means['mrr@10']).toBeCloseTo(1.5 / 3, 12);
    expect(result.measures).toEqual([
      { metric: 'ndcg', k: 10 },
      { metric: 'mrr', k: 10 },
    ]);
  });

  it.each<[string, Measure]>([
    // ranx and trec_eval names, each against the measure it names.
    ['precision@2', { metric: 'precision', k: 2 }],
    ['recall@1', { metric: 'recall', k: 1 }],
    ['hits@2', { metric: 'hits', k: 2 }],
    ['hit_rate@1', { metric: 'hit', k: 1 }],
    ['mrr', { metric: 'mrr' }],
    ['mrr@1', { metric: 'mrr', k: 1 }],
    ['map', { metric: 'map' }],
    ['map@2', { metric: 'map', k: 2 }],
    ['ndcg', { metric: 'ndcg' }],
    ['ndcg@2', { metric: 'ndcg', k: 2 }],
    ['P_2', { metric: 'precision', k: 2 }],
    ['recall_1', { metric: 'recall', k: 1 }],
    ['ndcg_cut_2', { metric: 'ndcg', k: 2 }],
    ['map_cut_2', { metric: 'map', k: 2 }],
    ['recip_rank', { metric: 'mrr' }],
    ['success_1', { metric: 'hit', k: 1 }],
  ])('%j gives the values of %j under its own name', (text, measure) => {
    const byText = evaluate(run, qrels, [text]);
    const byObject = evaluate(run, qrels, [measure]);
    expect(Object.keys(byText.means)).toEqual([text]);
    expect(byText.means[text]).toBe(Object.values(byObject.means)[0]);
    for (const [queryId, row] of byObject.perQuery) {
      expect(byText.perQuery.get(queryId)![text]).toBe(Object.values(row)[0]);
    }
  });

  it('mixes text and objects, one entry per label', () => {
    const result = evaluate(run, qrels, ['P_2', { metric: 'precision', k: 2 }, ' P_2 ', 'hits@2']);
    expect(Object.keys(result.means)).toEqual(['P_2', 'precision@2', 'hits@2']);
    expect(result.means.P_2).toBe(result.means['precision@2']);
    // hits@2 counts: q1 1 (b), q2 1 (x), q4 0.
    expect(result.means['hits@2']).toBeCloseTo(2 / 3, 12);
  });

  it('rejects an unknown text measure, listing the accepted forms', () => {
    expect(() => evaluate(run, qrels, ['ndcg@10', 'P10'])).toThrow(InvalidMeasureError);
    expect(() => evaluate(run, qrels, ['P10'])).toThrow(/"P10".*P_k.*ndcg_cut_k/);
  });

  it('computes per-query values and means over evaluated queries', () => {
    const result = evaluate(run, qrels, measures);
    // recall@1: q1 0, q2 1/2 (x of {x, y}), q4 0 → mean (0 + 0.5 + 0) / 3
    // mrr: q1 1/2, q2 1, q4 0 → 1.5 / 3
    // precision@2: q1 1/2, q2 1/2, q4 0 → 1 / 3
    expect(result.perQuery.get('q1')).toEqual({ 'recall@1': 0, mrr: 0.5, 'precision@2': 0.5 });
    expect(result.perQuery.get('q2')).toEqual({ 'recall@1': 0.5, mrr: 1, 'precision@2': 0.5 });
    expect(result.perQuery.get('q4')).toEqual({ 'recall@1': 0, mrr: 0, 'precision@2': 0 });
    expect(result.means['recall@1']).toBeCloseTo(0.5 / 3, 15);
    expect(result.means.mrr).toBeCloseTo(1.5 / 3, 15);
    expect(result.means['precision@2']).toBeCloseTo(1 / 3, 15);
    expect(Object.keys(result.means)).toEqual(['recall@1', 'mrr', 'precision@2']);
    expect([...result.perQuery.keys()]).toEqual(['q1', 'q2', 'q4']);
    expect(result).toMatchObject({
      evaluated: 3,
      skippedQueryIds: ['q3'],
      missingQueryIds: ['q4'],
      unjudged: 1,
    });
  });

  it("leaves missing queries out with missingQueries: 'skip'", () => {
    const result = evaluate(run, qrels, measures, { missingQueries: 'skip' });
    // q1 and q2 only: mrr (0.5 + 1) / 2
    expect(result.evaluated).toBe(2);
    expect(result.means.mrr).toBe(0.75);
    expect(result.missingQueryIds).toEqual(['q4']);
  });

  it('drops documents whose id is the query id with ignoreIdenticalIds', () => {
    const selfRun: Run = new Map([['q', docs('q', 'd')]]);
    const selfQrels: Qrels = new Map([['q', new Map([['d', 1]])]]);
    // Without the option d sits at rank 2 (RR 1/2); with it, at rank 1.
    expect(evaluate(selfRun, selfQrels, [{ metric: 'mrr' }]).means.mrr).toBe(0.5);
    expect(
      evaluate(selfRun, selfQrels, [{ metric: 'mrr' }], { ignoreIdenticalIds: true }).means.mrr,
    ).toBe(1);
  });

  it('computes each measure once when it is listed twice', () => {
    const result = evaluate(run, qrels, [{ metric: 'mrr' }, { metric: 'mrr', k: undefined }]);
    expect(result.measures).toEqual([{ metric: 'mrr' }]);
  });

  it('rejects bad measures before reading the run', () => {
    expect(() => evaluate(run, qrels, [])).toThrow(InvalidMeasureError);
    expect(() => evaluate(run, qrels, [{ metric: 'recall', k: 0 }])).toThrow(InvalidMeasureError);
    expect(() => evaluate(run, qrels, [{ metric: 'auc' } as unknown as Measure])).toThrow(
      InvalidMeasureError,
    );
  });

  it('throws EmptyEvaluationError instead of returning 0/0 means', () => {
    expect(() => evaluate(run, new Map(), measures)).toThrow(EmptyEvaluationError);
    expect(() => evaluate(run, new Map([['q3', new Map([['a', 0]])]]), measures)).toThrow(
      expect.objectContaining({ code: 'ERR_METRICS_EMPTY_EVALUATION', skipped: 1 }) as Error,
    );
    expect(() =>
      evaluate(new Map(), new Map([['q', new Map([['a', 1]])]]), measures, {
        missingQueries: 'skip',
      }),
    ).toThrow(EmptyEvaluationError);
  });

  it('explains an empty measure list', () => {
    expect(errorOf(() => evaluate(run, qrels, []), InvalidMeasureError)).toMatchObject({
      code: 'ERR_METRICS_INVALID_MEASURE',
      measure: '[]',
      message:
        "Invalid measure []: no measures given. Pass at least one, e.g. [{ metric: 'recall', k: 10 }, { metric: 'mrr' }].",
    });
  });

  it("counts missing queries in EmptyEvaluationError only under missingQueries: 'skip'", () => {
    // q1 relevant and absent from the run, q2 without a relevant document.
    const onlyMissing: Qrels = new Map([
      ['q1', new Map([['a', 1]])],
      ['q2', new Map([['a', 0]])],
    ]);
    const skipError = errorOf(
      () => evaluate(new Map(), onlyMissing, measures, { missingQueries: 'skip' }),
      EmptyEvaluationError,
    );
    expect(skipError).toMatchObject({ queriesInQrels: 2, skipped: 1, missing: 1 });
    expect(skipError.message).toContain(
      'evaluate: no query could be evaluated (2 queries in qrels, 1 without a relevant document, 1 missing from the run and skipped).',
    );
    // By default ('empty') the missing query is evaluated as an empty ranking: no error.
    expect(evaluate(new Map(), onlyMissing, measures)).toMatchObject({
      evaluated: 1,
      missingQueryIds: ['q1'],
      skippedQueryIds: ['q2'],
    });
    expect(evaluate(new Map(), onlyMissing, measures, { missingQueries: 'empty' }).evaluated).toBe(
      1,
    );
    const noRelevant: Qrels = new Map([['q2', new Map([['a', 0]])]]);
    expect(errorOf(() => evaluate(run, noRelevant, measures), EmptyEvaluationError)).toMatchObject({
      queriesInQrels: 1,
      skipped: 1,
      missing: 0,
    });
  });

  it('names itself in the errors about a ranking or the grades', () => {
    const dupRun: Run = new Map([['q1', docs('a', 'b', 'a')]]);
    expect(
      errorOf(() => evaluate(dupRun, qrels, measures), DuplicateDocumentError).message,
    ).toMatch(/^evaluate: document "a" appears twice in one ranking/);
    const badQrels: Qrels = new Map([['q9', new Map([['a', NaN]])]]);
    expect(errorOf(() => evaluate(run, badQrels, measures), InvalidGradeError).message).toMatch(
      /^evaluate: grade of document "a"/,
    );
  });

  it('names the query of a duplicate document or an invalid grade', () => {
    const dupRun: Run = new Map([['q1', docs('a', 'b', 'a')]]);
    expect(() => evaluate(dupRun, qrels, measures)).toThrow(
      expect.objectContaining({ queryId: 'q1', docId: 'a' }) as Error,
    );
    expect(() => evaluate(dupRun, qrels, measures)).toThrow(DuplicateDocumentError);
    const badQrels: Qrels = new Map([['q9', new Map([['a', NaN]])]]);
    expect(() => evaluate(run, badQrels, measures)).toThrow(
      expect.objectContaining({ queryId: 'q9' }) as Error,
    );
    expect(() => evaluate(run, badQrels, measures)).toThrow(InvalidGradeError);
  });

  const allMeasures: Measure[] = [
    { metric: 'recall', k: 3 },
    { metric: 'precision', k: 3 },
    { metric: 'hit', k: 3 },
    { metric: 'hits', k: 3 },
    { metric: 'mrr' },
    { metric: 'mrr', k: 3 },
    { metric: 'ndcg', k: 3 },
    { metric: 'ndcg' },
    { metric: 'map' },
    { metric: 'map', k: 3 },
  ];

  test.prop([fc.array(queryCase, { minLength: 1, maxLength: 8 })])(
    'per-query values equal the single-query functions',
    (cases) => {
      const caseRun = new Map(cases.map((c, i) => [`q${i}`, c.ranking]));
      const caseQrels = new Map(cases.map((c, i) => [`q${i}`, c.grades]));
      const result = evaluate(caseRun, caseQrels, allMeasures);
      cases.forEach(({ ranking: r, grades: g }, i) => {
        expect(result.perQuery.get(`q${i}`)).toEqual({
          'recall@3': recall(r, g, { k: 3 }),
          'precision@3': precision(r, g, { k: 3 }),
          'hit@3': hit(r, g, { k: 3 }),
          'hits@3': hits(r, g, { k: 3 }),
          mrr: reciprocalRank(r, g),
          'mrr@3': reciprocalRank(r, g, { k: 3 }),
          'ndcg@3': ndcg(r, g, { k: 3 }),
          ndcg: ndcg(r, g),
          map: averagePrecision(r, g),
          'map@3': averagePrecision(r, g, { k: 3 }),
        });
      });
    },
  );

  test.prop([
    fc
      .array(queryCase, { minLength: 1, maxLength: 12 })
      .chain((cases) =>
        fc.tuple(fc.constant(cases), fc.shuffledSubarray(cases, { minLength: cases.length })),
      ),
  ])('gives identical means whatever the order of the queries', ([cases, shuffled]) => {
    const toRun = (list: typeof cases): Run =>
      new Map(list.map((c) => [`q${cases.indexOf(c)}`, c.ranking]));
    const toQrels = (list: typeof cases): Qrels =>
      new Map(list.map((c) => [`q${cases.indexOf(c)}`, c.grades]));
    const a = evaluate(toRun(cases), toQrels(cases), allMeasures);
    const b = evaluate(toRun(shuffled), toQrels(shuffled), allMeasures);
    expect(b.means).toEqual(a.means);
  });

  test.prop([queryCase, fc.nat(), fc.nat()])(
    'does not change when two non-relevant documents swap places',
    ({ ranking: r, grades: g }, i, j) => {
      const irrelevant = r.flatMap((d, pos) => ((g.get(d.id) ?? 0) > 0 ? [] : [pos]));
      fc.pre(irrelevant.length >= 2);
      const a = irrelevant[i % irrelevant.length]!;
      const b = irrelevant[j % irrelevant.length]!;
      const swapped = [...r];
      [swapped[a], swapped[b]] = [swapped[b]!, swapped[a]!];
      const before = evaluate(new Map([['q', r]]), new Map([['q', g]]), allMeasures);
      const after = evaluate(new Map([['q', swapped]]), new Map([['q', g]]), allMeasures);
      expect(after.means).toEqual(before.means);
    },
  );
});

interface GoldenCase {
  readonly name: string;
  readonly ks: number[];
  readonly scores: number[][];
  readonly qrels: [number, number, number][];
  readonly expected_per_query: Record<string, Record<string, number>>;
  readonly expected_mean: Record<string, number>;
  readonly expected_relevant_ranks: Record<string, number[]>;
}

const golden = JSON.parse(
  readFileSync(new URL('../fixtures/metrics-golden.json', import.meta.url), 'utf8'),
) as { conventions: string; cases: GoldenCase[] };

describe('evaluate matches metrics-golden.json (NumPy reference, see fixtures/README.md)', () => {
  it('has cases to check', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Doc ids are the score column indices, so rankByScore's tie rule (lower index first) is
    // the golden's np.argsort(-s, kind="stable").
    const runOf: Run = new Map(
      c.scores.map((row, q) => [
        String(q),
        rankByScore(
          row.map((_, d) => String(d)),
          row,
        ),
      ]),
    );
    const qrelsOf = new Map<string, Map<string, number>>();
    for (const [q, d, grade] of c.qrels) {
      const grades = qrelsOf.get(String(q)) ?? new Map<string, number>();
      grades.set(String(d), grade);
      qrelsOf.set(String(q), grades);
    }
    const goldenMeasures: Measure[] = [{ metric: 'mrr' }, { metric: 'map' }];
    for (const k of c.ks) {
      for (const metric of ['recall', 'hit', 'precision', 'mrr', 'map', 'ndcg'] as const) {
        goldenMeasures.push({ metric, k });
      }
    }
    const result = evaluate(runOf, qrelsOf, goldenMeasures);

    expect([...result.perQuery.keys()].sort()).toEqual(Object.keys(c.expected_per_query).sort());
    for (const [q, expected] of Object.entries(c.expected_per_query)) {
      const actual = result.perQuery.get(q)!;
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
      for (const [label, value] of Object.entries(expected)) {
        expect(actual[label], `${c.name} query ${q} ${label}`).toBeCloseTo(value, 12);
      }
    }
    expect(Object.keys(result.means).sort()).toEqual(Object.keys(c.expected_mean).sort());
    for (const [label, value] of Object.entries(c.expected_mean)) {
      expect(result.means[label], `${c.name} mean ${label}`).toBeCloseTo(value, 12);
    }
    for (const [q, ranks] of Object.entries(c.expected_relevant_ranks)) {
      const grades = qrelsOf.get(q)!;
      const actualRanks = runOf
        .get(q)!
        .flatMap((doc, r) => ((grades.get(doc.id) ?? 0) > 0 ? [r + 1] : []));
      expect(actualRanks, `${c.name} query ${q} relevant ranks`).toEqual(ranks);
    }
  });
});
