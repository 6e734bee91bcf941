import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { trecToken } from './_test-arbitraries.js';
import { TrecParseError, TrecWriteError } from './errors.js';
import { formatTrecQrels, parseTrecQrels } from './trec-qrels.js';
import type { Qrels } from './types.js';

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
