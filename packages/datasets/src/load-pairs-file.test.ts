import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from './errors.js';
import { loadPairsFile, PAIR_FILE_EXTENSIONS } from './load-pairs-file.js';
import { tempFiles } from './_test-files.js';

describe('loadPairsFile', () => {
  it('picks the loader by extension', async () => {
    const expected = [{ query: 'q', passage: 'P p' }];
    const dir = await tempFiles({
      'a.jsonl': '{"query": "q", "passage": "P p"}\n',
      'a.CSV': 'query,passage\nq,P p\n',
      'a.tsv': 'query\tpassage\nq\tP p\n',
      'a.parquet': parquetWriteBuffer({
        columnData: [
          { name: 'query', data: ['q'], type: 'STRING' },
          { name: 'answer', data: ['P p'], type: 'STRING' },
        ],
      }),
    });
    for (const name of ['a.jsonl', 'a.CSV', 'a.tsv', 'a.parquet'])
      expect(await loadPairsFile(join(dir, name))).toEqual(expected);
  });

  it('rejects an unknown extension, listing the known ones', async () => {
    const error: unknown = await loadPairsFile('pairs.xlsx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetArgumentError);
    expect(error).toMatchObject({ code: 'ERR_DATASETS_BAD_ARGUMENT' });
    for (const ext of PAIR_FILE_EXTENSIONS) expect((error as Error).message).toContain(ext);
  });
});
