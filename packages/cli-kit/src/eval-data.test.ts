import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { loadEvalData } from './eval-data.js';

async function pairsFile(n: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cli-kit-data-'));
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ query: `question ${i}`, passage: `answer number ${i}` }),
  );
  const file = join(dir, 'pairs.jsonl');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

async function beirFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cli-kit-beir-'));
  await mkdir(join(dir, 'qrels'));
  const corpus = ['d1', 'd2', 'd3'].map((id) =>
    JSON.stringify({ _id: id, title: '', text: `text ${id}` }),
  );
  const queries = ['q1', 'q2', 'q3'].map((id) => JSON.stringify({ _id: id, text: `query ${id}` }));
  await writeFile(join(dir, 'corpus.jsonl'), `${corpus.join('\n')}\n`);
  await writeFile(join(dir, 'queries.jsonl'), `${queries.join('\n')}\n`);
  await writeFile(
    join(dir, 'qrels', 'test.tsv'),
    'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td3\t1\n',
  );
  return dir;
}

describe('loadEvalData', () => {
  it('evaluates a pairs file as it is without a split, and splits it with one', async () => {
    const file = await pairsFile(10);
    const whole = await loadEvalData({ kind: 'pairs', path: file, split: undefined });
    expect(whole.train).toEqual([]);
    expect(whole.test.queries).toHaveLength(10);
    expect(whole.description).toMatchObject({
      split: 'none (evaluated as given)',
      pairs: 10,
      testPairs: 10,
    });
    const split = await loadEvalData({
      kind: 'pairs',
      path: file,
      split: { testFraction: 0.3, seed: 42 },
    });
    // 10 unlinked pairs, round(0.3 × 10) = 3 go to test.
    expect(split.train).toHaveLength(7);
    expect(split.test.queries).toHaveLength(3);
    const limited = await loadEvalData(
      { kind: 'pairs', path: file, split: undefined },
      { limit: 4, name: 'mine' },
    );
    expect(limited.test.queries).toHaveLength(4);
    expect(limited.test.name).toBe('mine');
  });

  it.each([
    // round(0.1 × 3) = 0 test pairs; round(0.9 × 1) = 1 leaves no train pair.
    [3, 0.1, 'test'],
    [1, 0.9, 'train'],
  ])('rejects a split of %d pairs at %d that leaves %s empty', async (n, testFraction, side) => {
    const file = await pairsFile(n);
    const error: unknown = await loadEvalData({
      kind: 'pairs',
      path: file,
      split: { testFraction, seed: 42 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'ERR_CLI_KIT_USAGE', flag: '--test-fraction' });
    expect((error as Error).message).toContain(`${n} pairs`);
    expect((error as Error).message).toContain(`${side} split empty`);
  });

  it('loads a BEIR split and limits its queries, keeping their judgements only', async () => {
    const dir = await beirFolder();
    const data = await loadEvalData({ kind: 'beir', path: dir, split: 'test' }, { limit: 2 });
    expect(data.test.corpus).toHaveLength(3);
    expect(data.test.queries.map((q) => q.id)).toEqual(['q1', 'q2']);
    expect([...data.test.qrels.keys()]).toEqual(['q1', 'q2']);
    expect(data.description).toMatchObject({ split: 'qrels/test.tsv', queries: 2, corpusSize: 3 });
  });
});
