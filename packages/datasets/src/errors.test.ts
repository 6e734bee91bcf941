import { RtkError } from '@rtk/errors';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

const instances: errors.DatasetsError[] = [
  new errors.DatasetFormatError({ file: 'pairs.jsonl', line: 3 }, 'bad JSON'),
  new errors.DatasetColumnError('pairs.csv', 'passage', ['passage', 'answer'], ['query', 'text']),
  new errors.DatasetEmptyError('pairs.jsonl', 'pair'),
  new errors.DatasetFileNotFoundError('nq/qrels/test.tsv', 'Available splits: dev.'),
  new errors.DatasetArgumentError('splitPairs: testFraction must be in [0, 1], received 2.'),
  new errors.DatasetCachedFileError(
    "/cache/it's/train.parquet",
    'datasets/o/nq@main:train.parquet',
    'not readable Parquet: thrift unhandled type: 14',
  ),
];

describe('DatasetsError subclasses', () => {
  it('cover every exported class, each with its own name and a unique ERR_DATASETS_ code', () => {
    const classes = Object.values(errors).filter(
      (value) => typeof value === 'function' && value !== errors.DatasetsError,
    );
    expect(instances.map((e) => e.constructor)).toEqual(expect.arrayContaining(classes));
    expect(new Set(instances.map((e) => e.code)).size).toBe(instances.length);
    for (const error of instances) {
      expect(error).toBeInstanceOf(errors.DatasetsError);
      expect(error).toBeInstanceOf(RtkError);
      expect(error.name).toBe(error.constructor.name);
      expect(error.code).toMatch(/^ERR_DATASETS_[A-Z_]+$/);
    }
  });

  it.each([
    // [error, code, facts its message must carry]
    [instances[0]!, 'ERR_DATASETS_MALFORMED', ['pairs.jsonl:3: bad JSON']],
    [instances[1]!, 'ERR_DATASETS_MISSING_COLUMN', ['pairs.csv', '"answer"', '"text"']],
    [instances[2]!, 'ERR_DATASETS_EMPTY', ['pairs.jsonl: empty', 'pair']],
    [instances[3]!, 'ERR_DATASETS_FILE_NOT_FOUND', ['nq/qrels/test.tsv: not found', 'dev']],
    [instances[4]!, 'ERR_DATASETS_BAD_ARGUMENT', ['testFraction']],
    [
      instances[5]!,
      'ERR_DATASETS_CACHED_FILE_UNREADABLE',
      [
        "/cache/it's/train.parquet: the cached download of datasets/o/nq@main:train.parquet",
        '(not readable Parquet: thrift unhandled type: 14)',
        `rm '/cache/it'\\''s/train.parquet'`,
      ],
    ],
  ])('%s has code %s and names what and where', (error, code, facts) => {
    expect(error.code).toBe(code);
    for (const fact of facts) expect(error.message).toContain(fact);
  });
});
