import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetEmptyError, DatasetFileNotFoundError, DatasetFormatError } from './errors.js';
import { loadJsonlPairs } from './load-jsonl-pairs.js';
import { rejection, tempFiles } from './_test-files.js';

describe('loadJsonlPairs', () => {
  it('reads pairs, accepting NQ/sentence-transformers field names, skipping blank lines and CRLF', async () => {
    const dir = await tempFiles({
      'p.jsonl':
        '{"query": "who wrote hamlet", "passage": "Hamlet Hamlet is a tragedy.", "id": 7}\r\n' +
        '\n' +
        '{"question": "capital of peru", "answer": "Lima Lima is the capital."}\n' +
        '{"anchor": "tallest mountain", "positive": "Everest Everest is the highest."}\n',
    });
    expect(await loadJsonlPairs(join(dir, 'p.jsonl'))).toEqual([
      { query: 'who wrote hamlet', passage: 'Hamlet Hamlet is a tragedy.' },
      { query: 'capital of peru', passage: 'Lima Lima is the capital.' },
      { query: 'tallest mountain', passage: 'Everest Everest is the highest.' },
    ]);
    expect(await loadJsonlPairs(join(dir, 'p.jsonl'), { limit: 1 })).toHaveLength(1);
  });

  it('uses queryColumn / passageColumn when given', async () => {
    const dir = await tempFiles({
      'p.jsonl': '{"q": "a question", "doc": "A passage", "query": "ignored"}\n',
    });
    expect(
      await loadJsonlPairs(join(dir, 'p.jsonl'), { queryColumn: 'q', passageColumn: 'doc' }),
    ).toEqual([{ query: 'a question', passage: 'A passage' }]);
  });

  it.each([
    ['{"query": "a", "passage": "b"}\n{"query": "a", "passage": \n', 2, 'not valid JSON'],
    ['{"query": "a", "passage": "b"}\n["a", "b"]\n', 2, 'JSON object'],
    ['{"query": "a", "passage": "b"}\n\n{"query": "a"}\n', 3, 'no passage field'],
    ['{"query": "a", "passage": "b"}\n{"query": 5, "passage": "b"}\n', 2, 'must be a string'],
    ['{"query": "a", "passage": "   "}\n', 1, 'is empty'],
    ['{"query": null, "passage": "b"}\n', 1, 'null'],
  ])('names file and line for malformed input %#', async (content, line, problem) => {
    const dir = await tempFiles({ 'bad.jsonl': content });
    const file = join(dir, 'bad.jsonl');
    const error: unknown = await loadJsonlPairs(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as DatasetFormatError).code).toBe('ERR_DATASETS_MALFORMED');
    expect((error as DatasetFormatError).file).toBe(file);
    expect((error as DatasetFormatError).line).toBe(line);
    expect((error as Error).message).toContain(`${file}:${line}`);
    expect((error as Error).message).toContain(problem);
  });

  it('rejects an empty file and a missing file', async () => {
    const dir = await tempFiles({ 'empty.jsonl': '\n\n' });
    const empty = await rejection(loadJsonlPairs(join(dir, 'empty.jsonl')));
    expect(empty).toBeInstanceOf(DatasetEmptyError);
    expect(empty).toMatchObject({ code: 'ERR_DATASETS_EMPTY' });
    expect((empty as Error).message).toContain(`${join(dir, 'empty.jsonl')}: empty`);
    const missing = await rejection(loadJsonlPairs(join(dir, 'nope.jsonl')));
    expect(missing).toBeInstanceOf(DatasetFileNotFoundError);
    expect(missing).toMatchObject({ code: 'ERR_DATASETS_FILE_NOT_FOUND' });
    expect((missing as Error).message).toContain(`${join(dir, 'nope.jsonl')}: not found`);
  });
});
