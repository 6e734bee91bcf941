import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBeir } from './load-beir.js';
import { loadCsvPairs } from './load-csv-pairs.js';
import { loadJsonlPairs } from './load-jsonl-pairs.js';
import { rejection, tempFiles } from './_test-files.js';

// Two ids that differ only in an invalid byte would both decode to "d\uFFFD" with a lenient
// decoder, so a hit could be credited for a document never judged. Text inputs decode strictly.
const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('text inputs decode as strict UTF-8', () => {
  it('a JSONL pairs file with a Latin-1 byte names file, line and byte offset', async () => {
    const good = '{"query": "q1", "passage": "p1"}\n';
    const dir = await tempFiles({
      'p.jsonl': latin1(good + '{"query": "caf\u00e9", "passage": "p"}\n'),
    });
    const error = await rejection(loadJsonlPairs(join(dir, 'p.jsonl')));
    expect(error).toMatchObject({
      code: 'ERR_FILES_INVALID_UTF8',
      path: join(dir, 'p.jsonl'),
      line: 2,
      byteOffset: good.length + '{"query": "caf'.length,
    });
    expect((error as Error).message).toContain(`${join(dir, 'p.jsonl')}:2:`);
  });

  it('a CSV pairs file and a BEIR corpus are checked the same way', async () => {
    const dir = await tempFiles({
      'p.csv': latin1('query,passage\nna\u00efve,p\n'),
      'beir/corpus.jsonl': latin1('{"_id": "d\u00ff", "text": "x"}\n'),
      'beir/queries.jsonl': '{"_id": "q1", "text": "q"}\n',
      'beir/qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t1\n',
    });
    await expect(loadCsvPairs(join(dir, 'p.csv'))).rejects.toMatchObject({
      code: 'ERR_FILES_INVALID_UTF8',
      line: 2,
    });
    await expect(loadBeir(join(dir, 'beir'))).rejects.toMatchObject({
      code: 'ERR_FILES_INVALID_UTF8',
      path: join(dir, 'beir', 'corpus.jsonl'),
      line: 1,
    });
  });

  it('a folder given as a pairs file is an error naming it, not a bare EISDIR', async () => {
    const dir = await tempFiles({ 'sub/x': '' });
    const error = await rejection(loadJsonlPairs(join(dir, 'sub')));
    expect(error).toMatchObject({ code: 'ERR_FILES_READ', systemCode: 'EISDIR' });
    expect((error as Error).message).toBe(`${join(dir, 'sub')}: is a directory, expected a file`);
  });

  it('a missing file is still the datasets error', async () => {
    const dir = await tempFiles({});
    await expect(loadJsonlPairs(join(dir, 'none.jsonl'))).rejects.toMatchObject({
      code: 'ERR_DATASETS_FILE_NOT_FOUND',
    });
  });
});
