import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetEmptyError, DatasetFileNotFoundError, DatasetFormatError } from './errors.js';
import { loadBeir } from './load-beir.js';
import { rejection, tempFiles } from './_test-files.js';

const corpus =
  '{"_id": "d1", "title": "Hamlet", "text": "Hamlet is a tragedy."}\n' +
  '{"_id": "d2", "title": "", "text": "Lima is the capital of Peru."}\n' +
  '{"_id": 3, "text": "Everest is the highest mountain."}\n';
const queries =
  '{"_id": "q1", "text": "who wrote hamlet"}\n{"_id": "q2", "text": "capital of peru"}\n{"_id": "q3", "text": "unjudged"}\n';

describe('loadBeir', () => {
  it('reads corpus, queries and qrels; keeps only judged queries; joins title and text', async () => {
    const dir = await tempFiles({
      'scifact/corpus.jsonl': corpus,
      'scifact/queries.jsonl': queries,
      'scifact/qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t2\nq2\t3\t0\n',
      'scifact/qrels/dev.tsv': 'query-id\tcorpus-id\tscore\nq3\td1\t1\n',
    });
    const ds = await loadBeir(join(dir, 'scifact'));
    expect(ds.name).toBe('scifact/test');
    expect(ds.corpus).toEqual([
      { id: 'd1', text: 'Hamlet Hamlet is a tragedy.' },
      { id: 'd2', text: 'Lima is the capital of Peru.' },
      { id: '3', text: 'Everest is the highest mountain.' },
    ]);
    expect(ds.queries.map((q) => q.id)).toEqual(['q1', 'q2']);
    expect(Object.fromEntries([...ds.qrels].map(([q, m]) => [q, Object.fromEntries(m)]))).toEqual({
      q1: { d1: 1 },
      q2: { d2: 2, '3': 0 },
    });
    const dev = await loadBeir(join(dir, 'scifact'), {
      split: 'dev',
      includeTitle: false,
      name: 'x',
    });
    expect(dev.name).toBe('x');
    expect(dev.corpus[0]?.text).toBe('Hamlet is a tragedy.');
    expect(dev.queries.map((q) => q.id)).toEqual(['q3']);
  });

  it.each([
    ['corpus.jsonl', corpus + '{"_id": "d1", "text": "again"}\n', 4, 'duplicate'],
    ['corpus.jsonl', '{"_id": "d1", "text": 12}\n', 1, '"text"'],
    ['queries.jsonl', '{"text": "no id"}\n', 1, '"_id"'],
    ['qrels/test.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\n', 2, '3 tab-separated'],
    ['qrels/test.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\thigh\n', 2, 'integer'],
    ['qrels/test.tsv', 'query-id\tcorpus-id\tscore\nq1\td9\t1\n', 2, '"d9"'],
    ['qrels/test.tsv', 'q7\td1\t1\n', 1, '"q7"'],
    [
      'qrels/test.tsv',
      'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq1\td1\t1\nq1\td1\t0\n',
      5,
      'judges corpus id "d1" 0 here and 1 on line 2',
    ],
  ])('names file and line when %s is malformed (%#)', async (name, content, line, problem) => {
    const files: Record<string, string> = {
      'corpus.jsonl': corpus,
      'queries.jsonl': queries,
      'qrels/test.tsv': 'q1\td1\t1\n',
    };
    files[name] = content;
    const dir = await tempFiles(files);
    const error: unknown = await loadBeir(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error).toMatchObject({ code: 'ERR_DATASETS_MALFORMED' });
    expect((error as DatasetFormatError).file).toBe(join(dir, ...name.split('/')));
    expect((error as DatasetFormatError).line).toBe(line);
    expect((error as Error).message).toContain(problem);
  });

  it('lists the available splits when the asked one is missing; rejects empty files', async () => {
    const dir = await tempFiles({
      'corpus.jsonl': corpus,
      'queries.jsonl': queries,
      'qrels/train.tsv': 'q1\td1\t1\n',
      'qrels/dev.tsv': 'q1\td1\t1\n',
    });
    const error: unknown = await loadBeir(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFileNotFoundError);
    expect(error).toMatchObject({ code: 'ERR_DATASETS_FILE_NOT_FOUND' });
    expect((error as Error).message).toContain('dev, train');
    const empty = await tempFiles({
      'corpus.jsonl': '',
      'queries.jsonl': queries,
      'qrels/test.tsv': 'q1\td1\t1\n',
    });
    const emptyError = await rejection(loadBeir(empty));
    expect(emptyError).toBeInstanceOf(DatasetEmptyError);
    expect(emptyError).toMatchObject({ code: 'ERR_DATASETS_EMPTY' });
    expect((emptyError as Error).message).toContain(`${join(empty, 'corpus.jsonl')}: empty`);
  });
});
