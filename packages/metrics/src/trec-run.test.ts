import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { trecToken } from './_test-arbitraries.js';
import {
  DuplicateDocumentError,
  NonFiniteScoreError,
  TrecParseError,
  TrecWriteError,
} from './errors.js';
import { formatTrecRun, parseTrecRun } from './trec-run.js';
import type { Ranking, Run } from './types.js';
import { trecParseMessage } from './_test-trec-message.js';

const ids = (ranking: Ranking | undefined): string[] => (ranking ?? []).map((d) => d.id);

describe('parseTrecRun', () => {
  it('sorts by score descending, ignoring the rank column (as trec_eval)', () => {
    // Ranks say d1 first, scores say d2: scores win.
    const run = parseTrecRun('q1 Q0 d1 1 0.5 bm25\nq1 Q0 d2 2 0.9 bm25\nq2 Q0 d1 1 -3 bm25\n');
    expect(run.get('q1')).toEqual([
      { id: 'd2', score: 0.9 },
      { id: 'd1', score: 0.5 },
    ]);
    expect(run.get('q2')).toEqual([{ id: 'd1', score: -3 }]);
    expect([...run.keys()]).toEqual(['q1', 'q2']);
  });

  it.each([
    // [tie order, expected ids]: tied scores (d1, d3, d2 in file order)
    ['file-order', ['d0', 'd1', 'd3', 'd2']],
    ['docid-descending', ['d0', 'd3', 'd2', 'd1']], // trec_eval: docno descending (strcmp)
  ] as const)('breaks ties by %s', (ties, expected) => {
    const text = ['q d1 0 0.5', 'q d0 0 0.9', 'q d3 0 0.5', 'q d2 0 0.5']
      .map((l) => {
        const [q, d, r, s] = l.split(' ');
        return `${q} Q0 ${d} ${r} ${s} tag`;
      })
      .join('\n');
    expect(ids(parseTrecRun(text, { ties }).get('q'))).toEqual(expected);
  });

  it('accepts tabs, repeated spaces, CRLF, blank lines and exponent scores', () => {
    const run = parseTrecRun('\r\nq1\tQ0  d1 1 1e-3 x\r\n\n  q1 Q0 d2 2 -.5E1 x  \r\n');
    expect(run.get('q1')).toEqual([
      { id: 'd1', score: 0.001 },
      { id: 'd2', score: -5 },
    ]);
  });

  it.each([
    ['q1 Q0 d1 1 0.5', 1, '5 fields'],
    ['q1 Q0 d1 1 0.5 tag extra', 1, '7 fields'],
    ['q1 Q0 d1 first 0.5 tag', 1, 'rank'],
    ['q1 Q0 d1 1 high tag', 1, 'score'],
    ['q1 Q0 d1 1 NaN tag', 1, 'score'],
    ['q1 Q0 d1 1 inf tag', 1, 'score'],
    ['q1 Q0 d1 1 0.5 t\n\nq1 Q0 d1 2 0.4 t', 3, 'first on line 1'],
  ])('rejects %j at line %i', (text, line, fact) => {
    const call = (): Run => parseTrecRun(text, { source: 'runs/x.trec' });
    expect(call).toThrow(TrecParseError);
    expect(call).toThrow(
      expect.objectContaining({
        code: 'ERR_METRICS_TREC_PARSE',
        source: 'runs/x.trec',
        line,
      }) as Error,
    );
    expect(call).toThrow(`runs/x.trec:${line}`);
    expect(call).toThrow(fact);
  });
  const RUN_FORMAT =
    '6 whitespace-separated fields "qid Q0 docid rank score tag", e.g. "q1 Q0 d7 1 0.83 bm25"';

  it.each([
    ['q1 Q0 d1 first 0.5 tag', 1, 'rank "first" is not an integer'],
    // matches the integer pattern but is no safe integer
    ['q1 Q0 d1 99999999999999999999 0.5 tag', 1, 'rank "99999999999999999999" is not an integer'],
    ['q1 Q0 d1 1 high tag', 1, 'score "high" is not a finite number'],
    // matches the decimal pattern but overflows to Infinity
    ['q1 Q0 d1 1 1e999 tag', 1, 'score "1e999" is not a finite number'],
    ['q1 Q0 d1 1 -1e400 tag', 1, 'score "-1e400" is not a finite number'],
    [
      'q1 Q0 d1 1 0.5 t\n\nq1 Q0 d1 2 0.4 t',
      3,
      'document "d1" is listed twice for query "q1" (first on line 1)',
      'each document at most once per query (trec_eval rejects duplicates too)',
    ],
  ])('spells out the whole message for %j', (text, line, problem, expected = RUN_FORMAT) => {
    const content = text.split('\n')[line - 1]!;
    expect(() => parseTrecRun(text, { source: 'runs/x.trec' })).toThrow(
      expect.objectContaining({
        line,
        message: trecParseMessage('runs/x.trec', line, problem, expected, content),
      }) as Error,
    );
  });

  it('names the source <run> when none is given', () => {
    expect(() => parseTrecRun('q1 Q0 d1 1\n')).toThrow(
      expect.objectContaining({
        source: '<run>',
        line: 1,
        message: `<run>:1: found 4 fields. Expected ${RUN_FORMAT}; received "q1 Q0 d1 1". Fix or remove that line.`,
      }) as Error,
    );
  });
});

describe('formatTrecRun', () => {
  it('writes one line per document with 1-based ranks and the tag', () => {
    const run: Run = new Map([
      [
        'q1',
        [
          { id: 'd1', score: 0.9 },
          { id: 'd2', score: 0.5 },
        ],
      ],
      ['q2', []], // no line
      ['q3', [{ id: 'd7', score: 1e-7 }]],
    ]);
    expect(formatTrecRun(run, { tag: 'tfidf' })).toBe(
      'q1 Q0 d1 1 0.9 tfidf\nq1 Q0 d2 2 0.5 tfidf\nq3 Q0 d7 1 1e-7 tfidf\n',
    );
    expect(formatTrecRun(new Map())).toBe('');
  });

  it('rejects what trec_eval would misread', () => {
    const one = (id: string, score = 1): Run => new Map([['q', [{ id, score }]]]);
    expect(() => formatTrecRun(one('a b'))).toThrow(TrecWriteError);
    expect(() => formatTrecRun(one(''))).toThrow(TrecWriteError);
    expect(() => formatTrecRun(new Map([['q 1', []]]))).toThrow(TrecWriteError);
    expect(() => formatTrecRun(one('a'), { tag: 'my run' })).toThrow(TrecWriteError);
    expect(() => formatTrecRun(one('a', NaN))).toThrow(NonFiniteScoreError);
    const increasing: Run = new Map([
      [
        'q',
        [
          { id: 'a', score: 1 },
          { id: 'b', score: 2 },
        ],
      ],
    ]);
    expect(() => formatTrecRun(increasing)).toThrow(
      expect.objectContaining({ code: 'ERR_METRICS_TREC_WRITE', queryId: 'q' }) as Error,
    );
    const dup: Run = new Map([
      [
        'q',
        [
          { id: 'a', score: 1 },
          { id: 'a', score: 1 },
        ],
      ],
    ]);
    expect(() => formatTrecRun(dup)).toThrow(DuplicateDocumentError);
  });

  it('says in the message what cannot be written and how to fix it', () => {
    const one = (id: string, score = 1): Run => new Map([['q', [{ id, score }]]]);
    const message = (text: string): Error => expect.objectContaining({ message: text }) as Error;
    expect(() => formatTrecRun(one('a b'))).toThrow(
      message(
        'Cannot write query "q" in TREC format: document id "a b" at position 0 is empty or ' +
          'contains whitespace. TREC fields are whitespace-separated; map ids to whitespace-free tokens.',
      ),
    );
    expect(() => formatTrecRun(new Map([['q 1', []]]))).toThrow(
      message(
        'Cannot write query "q 1" in TREC format: the query id is empty or contains whitespace. ' +
          'Rename the query.',
      ),
    );
    expect(() => formatTrecRun(one('a'), { tag: 'my run' })).toThrow(
      message(
        'Cannot write query "q" in TREC format: tag "my run" is empty or contains whitespace. ' +
          'Pass a tag such as "bm25".',
      ),
    );
    expect(() => formatTrecRun(one('a', NaN))).toThrow(
      message(
        'formatTrecRun (query "q"): score at index 0 is NaN; scores must be finite numbers. ' +
          'Check the model output for NaN (e.g. a zero vector normalised) or map missing scores to a finite value.',
      ),
    );
    const increasing: Run = new Map([
      [
        'q',
        [
          { id: 'a', score: 1 },
          { id: 'b', score: 2 },
        ],
      ],
    ]);
    expect(() => formatTrecRun(increasing)).toThrow(
      message(
        'Cannot write query "q" in TREC format: score 2 at position 1 is higher than the one before (1). ' +
          'trec_eval ignores ranks and re-sorts by score; sort the ranking by descending score first (rankByScore).',
      ),
    );
    const dup: Run = new Map([
      [
        'q',
        [
          { id: 'a', score: 1 },
          { id: 'a', score: 1 },
        ],
      ],
    ]);
    expect(() => formatTrecRun(dup)).toThrow(
      message(
        'formatTrecRun: document "a" appears twice in one ranking (query "q"), at positions 0 and 1 ' +
          '(0-based). A ranking lists each document once; deduplicate the retriever output (keep the best-scored copy).',
      ),
    );
  });

  const runArb: fc.Arbitrary<Run> = fc
    .uniqueArray(
      fc.tuple(
        trecToken,
        fc.uniqueArray(
          fc.tuple(
            trecToken,
            fc.oneof(
              fc.double({ noNaN: true, noDefaultInfinity: true }),
              fc.integer({ min: -2, max: 2 }),
            ),
          ),
          { minLength: 1, maxLength: 8, selector: ([id]) => id },
        ),
      ),
      { maxLength: 5, selector: ([q]) => q },
    )
    .map(
      (queries) =>
        new Map(
          queries.map(([q, docs]) => [
            q,
            // stable sort: equal scores stay in generated order
            docs.map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score),
          ]),
        ),
    );

  test.prop([runArb])('round-trips through parseTrecRun (file-order ties)', (run) => {
    const back = parseTrecRun(formatTrecRun(run));
    expect([...back.keys()]).toEqual([...run.keys()]);
    for (const [q, ranking] of run) {
      // -0 is written as "0"; compare with Object.is semantics otherwise
      expect(back.get(q)).toEqual(
        ranking.map((d) => ({ id: d.id, score: d.score === 0 ? 0 : d.score })),
      );
    }
  });
});
