import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runBench } from './bench.js';

const topics = [
  'river',
  'mountain',
  'festival',
  'bridge',
  'library',
  'harbour',
  'castle',
  'forest',
];
const towns = [
  'Arlen',
  'Brisk',
  'Corvo',
  'Dunmere',
  'Elsby',
  'Fanwick',
  'Gorsey',
  'Hale',
  'Ivory',
  'Jarrow',
];

/** 80 small NQ-style pairs: each passage names its town and topic, each query asks about both. */
async function pairsFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-'));
  const lines: string[] = [];
  for (const town of towns) {
    for (const topic of topics) {
      lines.push(
        JSON.stringify({
          query: `what is the ${topic} of ${town} known for`,
          passage: `${town} ${topic} The ${topic} of ${town} is known for its age and its visitors.`,
        }),
      );
    }
  }
  const file = join(dir, 'pairs.jsonl');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

interface Results {
  results: { task: number; metrics: Record<string, number>; settings: Record<string, unknown> }[];
}

describe('runBench', () => {
  it('runs tasks 1 and 2 on a local pairs file and writes results and report', async () => {
    const file = await pairsFile();
    const out = await mkdtemp(join(tmpdir(), 'bench-out-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await runBench([
      '--task',
      '1,2',
      '--data',
      file,
      '--out',
      out,
      '--test-fraction',
      '0.5',
    ]);
    log.mockRestore();
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    expect(json.results.map((r) => r.task)).toEqual([1, 2]);
    const [metricsTask, tfidf] = json.results;
    expect((metricsTask!.settings.oracle as Record<string, number>)['Recall@10']).toBe(1);
    const m = tfidf!.metrics;
    expect(m['Recall@1']).toBeLessThanOrEqual(m['Recall@3']!);
    expect(m['Recall@3']).toBeLessThanOrEqual(m['Recall@10']!);
    // Each query names its passage's two distinctive words: TF-IDF should find most of them.
    expect(m['Recall@10']).toBeGreaterThan(0.9);
    expect(m.MRR).toBeGreaterThan(0);
    expect((tfidf!.settings.data as Record<string, unknown>).testPairs).toBe(40);
    const md = await readFile(join(out, 'report.md'), 'utf8');
    expect(md).toContain('| Recall@10 |');
  });

  it('runs task 3 with a local encoder and records its settings', async () => {
    const file = await pairsFile();
    const out = await mkdtemp(join(tmpdir(), 'bench-out-'));
    const fixture = join(import.meta.dirname, '../../../packages/encoders/fixtures/tiny-bert');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await runBench([
      '--task',
      '3',
      '--data',
      file,
      '--out',
      out,
      '--model',
      fixture,
      '--embedding-cache',
      '',
      '--max-length',
      '64',
    ]);
    log.mockRestore();
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    const [dense] = json.results;
    expect(dense!.task).toBe(3);
    expect(dense!.settings).toMatchObject({
      dtype: 'fp32',
      maxLength: 64,
      prefixes: { query: 'query: ', passage: 'passage: ' },
    });
    expect(typeof dense!.settings.model).toBe('string');
    expect(dense!.settings).toHaveProperty('revision');
    const m = dense!.metrics;
    expect(m['Recall@1']).toBeLessThanOrEqual(m['Recall@10']!);
    expect(m.MRR).toBeGreaterThan(0);
  });

  it('fails with code and file name on a missing data file', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const code = await runBench(['--task', '2', '--data', '/nonexistent/pairs.jsonl']);
    const printed = err.mock.calls.map((c) => String(c[0])).join('\n');
    err.mockRestore();
    expect(code).toBe(1);
    expect(printed).toMatch(/error [A-Z_]+: .*\/nonexistent\/pairs\.jsonl/);
  });

  it('rejects an unknown task before loading anything', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const code = await runBench(['--task', '9']);
    err.mockRestore();
    expect(code).toBe(1);
  });
});
