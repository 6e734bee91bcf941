import { describe, expect, it } from 'vitest';
import { RtkError } from '@rtk/errors';
import * as errors from './errors.js';

// Built inside each test, not at import: a test then reaches the code of the messages it checks
// (Stryker maps coverage per test), and no test name carries a message a mutant could change.
const makeInstances = (): errors.MetricsError[] => [
  new errors.InvalidCutoffError(0, 'recall'),
  new errors.NonFiniteScoreError(3, NaN, 'rankByScore'),
  new errors.LengthMismatchError(3, 2, 'rankByScore'),
  new errors.InvalidIndexError(5, 4, 'rankOf'),
  new errors.DuplicateDocumentError('d1', 0, 4, 'q1', 'evaluate'),
  new errors.InvalidGradeError('d1', NaN, 'q1', 'a finite number', 'evaluate'),
  new errors.NoRelevantDocumentsError('recall'),
  new errors.EmptyEvaluationError(2, 2, 0),
  new errors.InvalidMeasureError('"x"', 'unknown metric', 'Use recall.'),
  new errors.TrecParseError('run.trec', 7, 'q1 Q0', 'found 2 fields', '6 fields'),
  new errors.TrecWriteError('q 1', 'whitespace', 'Rename it.'),
  new errors.InvalidRankError(0, 5, 'meanReciprocalRank'),
];

describe('MetricsError subclasses', () => {
  it('cover every exported class, each with its own name and a unique stable code', () => {
    const instances = makeInstances();
    const classes = Object.values(errors).filter(
      (value) => typeof value === 'function' && value !== errors.MetricsError,
    );
    expect(instances.map((e) => e.constructor)).toEqual(expect.arrayContaining(classes));
    expect(new Set(instances.map((e) => e.code)).size).toBe(instances.length);
    for (const error of instances) {
      expect(error).toBeInstanceOf(errors.MetricsError);
      expect(error).toBeInstanceOf(RtkError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
      expect(error.code).toMatch(/^ERR_METRICS_[A-Z_]+$/);
    }
  });

  it.each([
    // [error, facts its message must carry]
    [0, ['recall', '0', 'integer ≥ 1']],
    [1, ['index 3', 'NaN']],
    [3, ['rankOf', 'received 5', '[0, 4)']],
    [4, ['"d1"', '"q1"', '0 and 4']],
    [5, ['"d1"', '"q1"', 'NaN']],
    [9, ['run.trec:7', 'q1 Q0', '6 fields']],
    [11, ['meanReciprocalRank', 'index 5', 'received 0', 'Infinity']],
  ])('instance %i names what, where and expected', (index, facts) => {
    const error = makeInstances()[index]!;
    for (const fact of facts) expect(error.message).toContain(fact);
  });
});

describe('MetricsError messages', () => {
  it.each([
    // [error, its whole message: what, where, expected vs received, and the hint]
    [
      () => new errors.InvalidCutoffError(0, 'recall'),
      'recall: cut-off k must be an integer ≥ 1, received 0. ' +
        'Pass { k: 10 } for the top 10, or leave k out where the metric allows the full ranking.',
    ],
    [
      () => new errors.NonFiniteScoreError(3, NaN, 'rankByScore'),
      'rankByScore: score at index 3 is NaN; scores must be finite numbers. ' +
        'Check the model output for NaN (e.g. a zero vector normalised) or map missing scores to a finite value.',
    ],
    [
      () => new errors.LengthMismatchError(3, 2, 'rankByScore'),
      'rankByScore: expected 3 scores (one per id), received 2. ' +
        'Pass exactly one score per document id, in the same order.',
    ],
    [
      () => new errors.InvalidIndexError(5, 4, 'rankOf'),
      'rankOf: document index must be an integer in [0, 4), received 5. ' +
        'Pass the position of the document in the scores array (its row in the corpus).',
    ],
    [
      () => new errors.DuplicateDocumentError('d1', 0, 4, 'q1', 'evaluate'),
      'evaluate: document "d1" appears twice in one ranking (query "q1"), at positions 0 and 4 ' +
        '(0-based). A ranking lists each document once; ' +
        'deduplicate the retriever output (keep the best-scored copy).',
    ],
    [
      // no query known: no "(query …)" part
      () => new errors.DuplicateDocumentError('d1', 1, 2, undefined, 'recall'),
      'recall: document "d1" appears twice in one ranking, at positions 1 and 2 (0-based). ' +
        'A ranking lists each document once; deduplicate the retriever output (keep the best-scored copy).',
    ],
    [
      () => new errors.InvalidGradeError('d1', NaN, undefined, 'a finite number', 'recall'),
      'recall: grade of document "d1" is NaN, expected a finite number. ' +
        'Use 1 for relevant and 0 for judged non-relevant (higher integers for graded qrels).',
    ],
    [
      () => new errors.NoRelevantDocumentsError('recall'),
      'recall: the query has no relevant document (no grade > 0), so the metric is undefined. ' +
        'Leave such queries out, or use evaluate(), which skips and counts them.',
    ],
    [
      // default `where` is evaluate
      () => new errors.EmptyEvaluationError(2, 2, 0),
      'evaluate: no query could be evaluated (2 queries in qrels, 2 without a relevant document, ' +
        '0 missing from the run and skipped). Means would be 0/0. ' +
        'Check that run and qrels use the same query ids and that qrels hold grades > 0.',
    ],
    [
      () => new errors.EmptyEvaluationError(3, 1, 2, 'evaluate'),
      'evaluate: no query could be evaluated (3 queries in qrels, 1 without a relevant document, ' +
        '2 missing from the run and skipped). Means would be 0/0. ' +
        'Check that run and qrels use the same query ids and that qrels hold grades > 0.',
    ],
    [
      () => new errors.EmptyEvaluationError(0, 0, 0, 'meanReciprocalRank'),
      'meanReciprocalRank: no query to average over (empty input). The mean would be 0/0. ' +
        'Pass one value per evaluated query.',
    ],
    [
      () => new errors.InvalidMeasureError('"x"', 'unknown metric', 'Use recall.'),
      'Invalid measure "x": unknown metric. Use recall.',
    ],
    [
      () => new errors.InvalidRankError(0, 5, 'meanReciprocalRank'),
      'meanReciprocalRank: rank at index 5 must be an integer ≥ 1 (1 = first) or Infinity ' +
        '(no relevant document ranked), received 0. ' +
        'Ranks are 1-based positions in the full ranking; convert 0-based positions with + 1.',
    ],
    [
      () => new errors.TrecParseError('run.trec', 7, 'q1 Q0', 'found 2 fields', '6 fields'),
      'run.trec:7: found 2 fields. Expected 6 fields; received "q1 Q0". Fix or remove that line.',
    ],
    [
      () => new errors.TrecWriteError('q 1', 'whitespace', 'Rename it.'),
      'Cannot write query "q 1" in TREC format: whitespace. Rename it.',
    ],
  ])('case %#: the error has the exact message', (make, message) => {
    expect(make().message).toBe(message);
  });

  it('InvalidRankError is named after its class', () => {
    const error = new errors.InvalidRankError(0, undefined, 'reciprocalRankOfRank');
    expect(error.name).toBe('InvalidRankError');
    expect(String(error)).toMatch(/^InvalidRankError: reciprocalRankOfRank: rank must be/);
  });

  it('TrecParseError shows a line of up to 120 characters in full and cuts a longer one to 117 + "..."', () => {
    const head = 'a'.repeat(117);
    const fits = new errors.TrecParseError('r', 1, `${head}bcd`, 'bad', 'good');
    expect(fits.message).toBe(
      `r:1: bad. Expected good; received "${head}bcd". Fix or remove that line.`,
    );
    const long = new errors.TrecParseError('r', 2, `${head}bcde`, 'bad', 'good');
    expect(long.message).toBe(
      `r:2: bad. Expected good; received "${head}...". Fix or remove that line.`,
    );
    expect(long.content).toBe(`${head}bcde`); // the field keeps the whole line
    const short = new errors.TrecParseError('r', 3, 'q1', 'bad', 'good');
    expect(short.message).toBe('r:3: bad. Expected good; received "q1". Fix or remove that line.');
  });
});
