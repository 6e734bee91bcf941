import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetColumnError, DatasetEmptyError, DatasetFormatError } from './errors.js';
import { loadCsvPairs } from './load-csv-pairs.js';
import { rejection, tempFiles } from './_test-files.js';

describe('loadCsvPairs', () => {
  it('reads quoted, multi-line and comma-holding cells; picks columns by header name', async () => {
    const dir = await tempFiles({
      'p.csv':
        '\uFEFFid,question,answer\n1,who wrote hamlet,"Hamlet Hamlet is a tragedy, by Shakespeare."\n2,"capital of ""peru""","Lima\nLima is the capital."\n',
      'p.tsv': 'query\tpassage\nwho wrote hamlet\tHamlet Hamlet is a tragedy.\n',
    });
    expect(await loadCsvPairs(join(dir, 'p.csv'))).toEqual([
      { query: 'who wrote hamlet', passage: 'Hamlet Hamlet is a tragedy, by Shakespeare.' },
      { query: 'capital of "peru"', passage: 'Lima\nLima is the capital.' },
    ]);
    expect(await loadCsvPairs(join(dir, 'p.tsv'))).toEqual([
      { query: 'who wrote hamlet', passage: 'Hamlet Hamlet is a tragedy.' },
    ]);
    expect(await loadCsvPairs(join(dir, 'p.csv'), { limit: 1 })).toHaveLength(1);
  });

  it('names the missing column and the columns found', async () => {
    const dir = await tempFiles({ 'p.csv': 'query,text\na,b\n' });
    const error: unknown = await loadCsvPairs(join(dir, 'p.csv')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetColumnError);
    expect((error as DatasetColumnError).code).toBe('ERR_DATASETS_MISSING_COLUMN');
    expect((error as DatasetColumnError).available).toEqual(['query', 'text']);
    expect((error as Error).message).toContain('passage');
    expect((error as Error).message).toContain(join(dir, 'p.csv'));
    expect(error).toMatchObject({ file: join(dir, 'p.csv') });
    expect((error as Error).message).toContain(
      `${join(dir, 'p.csv')}: no passage column: expected one of `,
    );
    expect((error as Error).message).toContain('found "query", "text".');
  });

  it.each([
    [
      'query,passage\na,b\nc,d,e\n',
      3,
      'malformed CSV: Invalid Record Length: columns length is 2, got 3',
    ],
    ['query,passage\na,b\n"c,d\n', 3, 'malformed CSV: Quote Not Closed'],
    ['query,passage\na,b\nc,\n', 3, 'column "passage" is empty'],
  ])('names file, line and cause for malformed rows %#', async (content, line, cause) => {
    const dir = await tempFiles({ 'bad.csv': content });
    const error: unknown = await loadCsvPairs(join(dir, 'bad.csv')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error).toMatchObject({ code: 'ERR_DATASETS_MALFORMED' });
    expect((error as DatasetFormatError).file).toBe(join(dir, 'bad.csv'));
    expect((error as DatasetFormatError).line).toBe(line);
    expect((error as Error).message).toContain(`${join(dir, 'bad.csv')}:${line}: ${cause}`);
  });

  it('rejects an empty file and a header without rows', async () => {
    const dir = await tempFiles({ 'empty.csv': '', 'header.csv': 'query,passage\n' });
    for (const name of ['empty.csv', 'header.csv']) {
      const error = await rejection(loadCsvPairs(join(dir, name)));
      expect(error).toBeInstanceOf(DatasetEmptyError);
      expect(error).toMatchObject({ code: 'ERR_DATASETS_EMPTY', file: join(dir, name) });
      expect((error as Error).message).toContain(`${join(dir, name)}: empty`);
    }
  });
});
