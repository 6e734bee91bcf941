import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import {
  DatasetColumnError,
  DatasetEmptyError,
  DatasetFileNotFoundError,
  DatasetFormatError,
} from './errors.js';
import { loadParquetPairs } from './load-parquet-pairs.js';
import { rejection, tempFiles } from './_test-files.js';

const strings = (
  name: string,
  data: (string | null)[],
): { name: string; data: (string | null)[]; type: 'STRING' } => ({ name, data, type: 'STRING' });

describe('loadParquetPairs', () => {
  it('reads the query and answer columns, whichever name the query column has', async () => {
    const dir = await tempFiles({
      'new.parquet': parquetWriteBuffer({
        columnData: [
          strings('query', ['q1', 'q2', 'q3']),
          strings('answer', ['A1 a', 'A2 b', 'A3 c']),
        ],
      }),
      'old.parquet': parquetWriteBuffer({
        columnData: [strings('answer', ['A1 a']), strings('question', ['q1'])],
      }),
    });
    expect(await loadParquetPairs(join(dir, 'new.parquet'))).toEqual([
      { query: 'q1', passage: 'A1 a' },
      { query: 'q2', passage: 'A2 b' },
      { query: 'q3', passage: 'A3 c' },
    ]);
    expect(await loadParquetPairs(join(dir, 'new.parquet'), { limit: 2 })).toHaveLength(2);
    expect(await loadParquetPairs(join(dir, 'old.parquet'))).toEqual([
      { query: 'q1', passage: 'A1 a' },
    ]);
  });

  it('names the missing column and lists the schema', async () => {
    const dir = await tempFiles({
      'p.parquet': parquetWriteBuffer({
        columnData: [strings('query', ['q']), strings('context', ['c'])],
      }),
    });
    const error: unknown = await loadParquetPairs(join(dir, 'p.parquet')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetColumnError);
    expect(error).toMatchObject({ code: 'ERR_DATASETS_MISSING_COLUMN' });
    expect((error as DatasetColumnError).available).toEqual(['query', 'context']);
    expect((error as Error).message).toContain('"answer"');
  });

  it('names file and row for a null or non-string cell', async () => {
    const dir = await tempFiles({
      'null.parquet': parquetWriteBuffer({
        columnData: [strings('query', ['q', null]), strings('answer', ['a', 'b'])],
      }),
      'int.parquet': parquetWriteBuffer({
        columnData: [strings('query', ['q']), { name: 'answer', data: [5], type: 'INT32' }],
      }),
    });
    const error: unknown = await loadParquetPairs(join(dir, 'null.parquet')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error).toMatchObject({ code: 'ERR_DATASETS_MALFORMED' });
    expect((error as DatasetFormatError).row).toBe(1);
    expect((error as Error).message).toContain('null.parquet (row 1)');
    await expect(loadParquetPairs(join(dir, 'int.parquet'))).rejects.toThrow(
      /row 0.*must be a string/,
    );
  });

  it('names the file when a data page is damaged (hyparquet fails in its thrift decoder)', async () => {
    const bytes = new Uint8Array(
      parquetWriteBuffer({
        columnData: [strings('query', ['q1', 'q2']), strings('answer', ['a1', 'a2'])],
      }),
    );
    // After the 4-byte "PAR1" magic comes the first page header (thrift compact): scramble it,
    // leaving the footer (schema and offsets) intact.
    for (let i = 4; i < 30; i++) bytes[i] = (i * 37) & 255;
    const dir = await tempFiles({ 'damaged.parquet': bytes });
    const error = await rejection(loadParquetPairs(join(dir, 'damaged.parquet')));
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error).toMatchObject({
      code: 'ERR_DATASETS_MALFORMED',
      file: join(dir, 'damaged.parquet'),
      row: undefined,
    });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${join(dir, 'damaged.parquet').replace(/[.\\/]/g, '\\$&')}: a data page of column "query" or "answer" cannot be decoded \\(thrift .+\\); the file is damaged`,
      ),
    );
  });

  it('rejects a file that is not parquet, an empty table and a missing file', async () => {
    const dir = await tempFiles({
      'text.parquet': 'query,answer\n',
      'empty.parquet': parquetWriteBuffer({
        columnData: [strings('query', []), strings('answer', [])],
      }),
    });
    const notParquet = await rejection(loadParquetPairs(join(dir, 'text.parquet')));
    expect(notParquet).toBeInstanceOf(DatasetFormatError);
    expect(notParquet).toMatchObject({ code: 'ERR_DATASETS_MALFORMED' });
    expect((notParquet as Error).message).toContain(join(dir, 'text.parquet'));
    const empty = await rejection(loadParquetPairs(join(dir, 'empty.parquet')));
    expect(empty).toBeInstanceOf(DatasetEmptyError);
    expect(empty).toMatchObject({ code: 'ERR_DATASETS_EMPTY' });
    expect((empty as Error).message).toContain(`${join(dir, 'empty.parquet')}: empty`);
    const missing = await rejection(loadParquetPairs(join(dir, 'missing.parquet')));
    expect(missing).toBeInstanceOf(DatasetFileNotFoundError);
    expect(missing).toMatchObject({ code: 'ERR_DATASETS_FILE_NOT_FOUND' });
    expect((missing as Error).message).toContain(`${join(dir, 'missing.parquet')}: not found`);
  });
});
