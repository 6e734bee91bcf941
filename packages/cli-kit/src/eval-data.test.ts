import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetCachedFileError } from '@rtk/datasets';
import { startHubServer } from '@rtk/test-utils';
import { describe, expect, it, vi } from 'vitest';
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

describe('loadEvalData from Natural Questions', () => {
  it('says on stderr what the download waits for (here a retry after a 502), as it happens', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'cli-kit-nq-'));
    await mkdir(join(repo, 'pair'));
    // Not parquet: once downloaded, the cached copy is reported with the command that refetches it.
    await writeFile(join(repo, 'pair', 'train-00000-of-00001.parquet'), 'not parquet\n');
    const path =
      'datasets/sentence-transformers/natural-questions/pair/train-00000-of-00001.parquet';
    const hub = await startHubServer({
      repos: { 'datasets/sentence-transformers/natural-questions': repo },
      faults: [{ path, mode: 'status', status: 502, times: 1 }],
    });
    vi.stubEnv('HF_ENDPOINT', hub.url);
    vi.stubEnv('HF_HUB_CACHE', await mkdtemp(join(tmpdir(), 'cli-kit-nq-cache-')));
    vi.stubEnv('HF_HUB_OFFLINE', '');
    vi.stubEnv('HF_TOKEN', '');
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const error = await loadEvalData({
        kind: 'natural-questions',
        split: { testFraction: 0.5, seed: 1 },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatasetCachedFileError);
      expect(hub.faultsServed).toEqual([1]);
    } finally {
      write.mockRestore();
      vi.unstubAllEnvs();
      await hub.close();
    }
    // The notice, then the bar's closing summary line ('download NQ: N bytes in …').
    expect(written).toHaveLength(2);
    expect(written[1]).toMatch(/^download NQ: \d+ bytes in /);
    expect(written[0]).toMatch(
      /^download NQ: .*train-00000-of-00001\.parquet.*502.*; retry 1 of \d+ in \d+ ms\n$/,
    );
  });
});
