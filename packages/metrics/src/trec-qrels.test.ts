import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { trecToken } from './_test-arbitraries.js';
import { TrecParseError, TrecWriteError } from './errors.js';
import { formatTrecQrels, parseTrecQrels } from './trec-qrels.js';
import type { Qrels } from './types.js';
import { trecParseMessage } from './_test-trec-message.js';

describe('parseTrecQrels', () => {
  it('reads graded judgements, keeping grade 0 and negative ones', () => {
    const qrels = parseTrecQrels('q1 0 d1 2\nq1 0 d2 0\r\n\nq2 Q0 d9 -1\nq2 1 d8 1\n');
    expect(qrels).toEqual(
      new Map([
        [
          'q1',
          new Map([
            ['d1', 2],
            ['d2', 0],
          ]),
        ],
        [
          'q2',
          new Map([
            ['d9', -1],
            ['d8', 1],
          ]),
        ],
      ]),
    );
  });

  it.each([
    ['q1 0 d1', 1, '3 fields'],
    ['q1 0 d1 1\nq1 0 d2 1 x', 2, '5 fields'],
    ['q1 0 d1 0.5', 1, 'grade'],
    ['q1 0 d1 yes', 1, 'grade'],
    ['q1 0 d1 1\nq1 0 d1 0', 2, 'first on line 1'],
  ])('rejects %j at line %i', (text, line, fact) => {
    const call = (): Qrels => parseTrecQrels(text, { source: 'qrels/test.txt' });
    expect(call).toThrow(TrecParseError);
    expect(call).toThrow(expect.objectContaining({ source: 'qrels/test.txt', line }) as Error);
    expect(call).toThrow(`qrels/test.txt:${line}`);
    expect(call).toThrow(fact);
  });
  const QRELS_FORMAT =
    '4 whitespace-separated fields "qid iteration docid grade", e.g. "q1 0 d7 1"';

  it.each([
    ['q1 0 d1 0.5', 1, 'grade "0.5" is not an integer'],
    // match the integer pattern but are no safe integers
    ['q1 0 d1 99999999999999999999', 1, 'grade "99999999999999999999" is not an integer'],
    ['q1 0 d1 -9007199254740993', 1, 'grade "-9007199254740993" is not an integer'],
    [
      'q1 0 d1 1\nq1 0 d1 0',
      2,
      'document "d1" is judged twice for query "q1" (first on line 1)',
      'one judgement per (query, document)',
    ],
  ])('spells out the whole message for %j', (text, line, problem, expected = QRELS_FORMAT) => {
    const content = text.split('\n')[line - 1]!;
    expect(() => parseTrecQrels(text, { source: 'qrels/test.txt' })).toThrow(
      expect.objectContaining({
        line,
        message: trecParseMessage('qrels/test.txt', line, problem, expected, content),
      }) as Error,
    );
  });

  it('names the source <qrels> when none is given', () => {
    expect(() => parseTrecQrels('q1 0 d1\n')).toThrow(
      expect.objectContaining({
        source: '<qrels>',
        line: 1,
        message: `<qrels>:1: found 3 fields. Expected ${QRELS_FORMAT}; received "q1 0 d1". Fix or remove that line.`,
      }) as Error,
    );
  });
});

describe('formatTrecQrels', () => {
  it('writes qid 0 docid grade', () => {
    const qrels: Qrels = new Map([
      [
        'q1',
        new Map([
          ['d1', 1],
          ['d2', 0],
        ]),
      ],
    ]);
    expect(formatTrecQrels(qrels)).toBe('q1 0 d1 1\nq1 0 d2 0\n');
  });

  it('rejects non-integer grades and ids with whitespace', () => {
    expect(() => formatTrecQrels(new Map([['q', new Map([['d', 0.5]])]]))).toThrow(TrecWriteError);
    expect(() => formatTrecQrels(new Map([['q', new Map([['d 1', 1]])]]))).toThrow(TrecWriteError);
    expect(() => formatTrecQrels(new Map([['', new Map([['d', 1]])]]))).toThrow(TrecWriteError);
  });

  it('says in the message what cannot be written and how to fix it', () => {
    const message = (text: string): Error => expect.objectContaining({ message: text }) as Error;
    expect(() => formatTrecQrels(new Map([['q', new Map([['d', 0.5]])]]))).toThrow(
      message(
        'Cannot write query "q" in TREC format: grade 0.5 of document "d" is not an integer. ' +
          'TREC qrels hold integer grades; round or rescale them (e.g. 0–3).',
      ),
    );
    expect(() => formatTrecQrels(new Map([['q', new Map([['d 1', 1]])]]))).toThrow(
      message(
        'Cannot write query "q" in TREC format: document id "d 1" is empty or contains whitespace. ' +
          'TREC fields are whitespace-separated; map ids to whitespace-free tokens.',
      ),
    );
    expect(() => formatTrecQrels(new Map([['', new Map([['d', 1]])]]))).toThrow(
      message(
        'Cannot write query "" in TREC format: the query id is empty or contains whitespace. ' +
          'Rename the query.',
      ),
    );
  });

  const qrelsArb: fc.Arbitrary<Qrels> = fc
    .uniqueArray(
      fc.tuple(
        trecToken,
        fc.uniqueArray(fc.tuple(trecToken, fc.integer({ min: -1, max: 3 })), {
          minLength: 1,
          maxLength: 6,
          selector: ([id]) => id,
        }),
      ),
      { maxLength: 5, selector: ([q]) => q },
    )
    .map((queries) => new Map(queries.map(([q, grades]) => [q, new Map(grades)])));

  test.prop([qrelsArb])('round-trips through parseTrecQrels', (qrels) => {
    expect(parseTrecQrels(formatTrecQrels(qrels))).toEqual(qrels);
  });
});
