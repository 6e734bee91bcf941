import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadEvalData, type CliIo } from '@rtk/cli-kit';
import type { RetrievalDataset } from '@rtk/datasets';
import { loadSentenceEncoder } from '@rtk/encoders';
import { evaluate, type Run, type ScoredDoc } from '@rtk/metrics';
import { runBench } from './bench.js';

const FIXTURE = join(import.meta.dirname, '../../../packages/encoders/fixtures/tiny-bert');

/** An io that records stderr (stdout of the bench goes through console.log). */
function captured(): { io: CliIo; err: () => string } {
  let err = '';
  return {
    io: { stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) }, env: {} },
    err: () => err,
  };
}

/** A tiny BEIR folder: three passages, two judged queries. */
async function beirFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-beir-'));
  await mkdir(join(dir, 'qrels'));
  const corpus = [
    { _id: 'd1', title: 'Arlen', text: 'The river of Arlen is old.' },
    { _id: 'd2', title: 'Brisk', text: 'The castle of Brisk is tall.' },
    { _id: 'd3', title: 'Corvo', text: 'The forest of Corvo is dark.' },
  ];
  const queries = [
    { _id: 'q1', text: 'river Arlen' },
    { _id: 'q2', text: 'castle Brisk' },
  ];
  await writeFile(join(dir, 'corpus.jsonl'), corpus.map((d) => JSON.stringify(d)).join('\n'));
  await writeFile(join(dir, 'queries.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n'));
  await writeFile(
    join(dir, 'qrels', 'test.tsv'),
    'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n',
  );
  return dir;
}

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
  results: {
    task: number;
    title: string;
    metrics: Record<string, number>;
    settings: Record<string, unknown>;
  }[];
}

/** The test side of `file` as the bench splits it (--test-fraction 0.5, --seed 42). */
async function testSide(file: string, testFraction?: number): Promise<RetrievalDataset> {
  const split = testFraction === undefined ? undefined : { testFraction, seed: 42 };
  return (await loadEvalData({ kind: 'pairs', path: file, split })).test;
}

/** Every document of the corpus for every query, by descending score, ties in corpus order. */
function bruteForceRun(
  data: RetrievalDataset,
  score: (queryIndex: number, docIndex: number) => number,
): Run {
  const run = new Map<string, readonly ScoredDoc[]>();
  data.queries.forEach((q, qi) => {
    const scored = data.corpus.map((d, di) => ({ id: d.id, score: score(qi, di), di }));
    scored.sort((a, b) => b.score - a.score || a.di - b.di);
    run.set(
      q.id,
      scored.map(({ id, score: s }) => ({ id, score: s })),
    );
  });
  return run;
}

/** The study's numbers (Recall@1/3/10 = hit@k, full-ranking MRR) of a run, by @rtk/metrics. */
function studyOf(run: Run, data: RetrievalDataset): Record<string, number> {
  const { means } = evaluate(run, data.qrels, ['hit@1', 'hit@3', 'hit@10', 'mrr']);
  return {
    'Recall@1': means['hit@1']!,
    'Recall@3': means['hit@3']!,
    'Recall@10': means['hit@10']!,
    MRR: means.mrr!,
  };
}

/**
 * scikit-learn's default TfidfVectorizer written out: tokens `\b\w\w+\b` of the lowercased
 * text (the same as Python's on these ASCII texts), raw counts, idf = ln((1 + n) / (1 + df)) + 1
 * from the corpus, rows L2-normalised; the score is the cosine.
 */
function bruteForceTfidf(data: RetrievalDataset): Run {
  const tokens = (t: string): string[] => t.toLowerCase().match(/\b\w\w+\b/g) ?? [];
  const docs = data.corpus.map((d) => tokens(d.text));
  const df = new Map<string, number>();
  for (const d of docs) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
  const n = docs.length;
  const vector = (words: string[]): Map<string, number> => {
    const v = new Map<string, number>();
    for (const w of words) {
      const f = df.get(w);
      if (f !== undefined) v.set(w, (v.get(w) ?? 0) + Math.log((1 + n) / (1 + f)) + 1);
    }
    const norm = Math.hypot(...v.values());
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  };
  const dv = docs.map(vector);
  const qv = data.queries.map((q) => vector(tokens(q.text)));
  return bruteForceRun(data, (qi, di) => {
    let dot = 0;
    for (const [w, x] of qv[qi]!) dot += x * (dv[di]!.get(w) ?? 0);
    return dot;
  });
}

function expectStudy(got: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  for (const [label, value] of Object.entries(expected)) {
    expect({ label, value: got[label] }).toEqual({ label, value: expect.closeTo(value, 10) });
  }
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
    // The same numbers from a brute-force TF-IDF ranking of the same test side.
    const data = await testSide(file, 0.5);
    expect(data.queries).toHaveLength(40);
    expectStudy(m, studyOf(bruteForceTfidf(data), data));
    const md = await readFile(join(out, 'report.md'), 'utf8');
    expect(md).toContain('| Recall@10 |');
  });

  it('runs task 3 with a local encoder and records its settings', async () => {
    const file = await pairsFile();
    const out = await mkdtemp(join(tmpdir(), 'bench-out-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await runBench([
      '--task',
      '3',
      '--data',
      file,
      '--out',
      out,
      '--model',
      FIXTURE,
      '--embedding-cache',
      '',
      '--max-length',
      '64',
      '--passage-prefix',
      'p: ',
    ]);
    log.mockRestore();
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    const [dense] = json.results;
    expect(dense!.task).toBe(3);
    // The fixture is not E5: not labelled E5, and only the prefix the command line gave.
    expect(dense!.title).toMatch(/^Dense zero-shot/);
    expect(dense!.settings).toMatchObject({
      dtype: 'fp32',
      maxLength: 64,
      prefixes: { query: '', passage: 'p: ' },
    });
    expect(typeof dense!.settings.model).toBe('string');
    expect(dense!.settings).toHaveProperty('revision');
    const m = dense!.metrics;
    expect(m['Recall@1']).toBeLessThanOrEqual(m['Recall@10']!);
    expect(m.MRR).toBeGreaterThan(0);
    // The same numbers from a brute-force cosine ranking of the fixture's embeddings (the bench's
    // default --test-fraction 0.2 test side, the command line's prefixes and length).
    const data = await testSide(file, 0.2);
    const encoder = await loadSentenceEncoder({
      model: FIXTURE,
      maxLength: 64,
      prefixes: { query: '', passage: 'p: ' },
    });
    try {
      const passages = await encoder.encode(
        data.corpus.map((d) => d.text),
        { role: 'passage' },
      );
      const queries = await encoder.encode(
        data.queries.map((q) => q.text),
        { role: 'query' },
      );
      const cosine = (a: Float32Array, b: Float32Array): number => {
        let dot = 0;
        let na = 0;
        let nb = 0;
        for (let i = 0; i < a.length; i++) {
          dot += a[i]! * b[i]!;
          na += a[i]! * a[i]!;
          nb += b[i]! * b[i]!;
        }
        return dot / Math.sqrt(na * nb);
      };
      const run = bruteForceRun(data, (qi, di) => cosine(queries[qi]!, passages[di]!));
      expectStudy(m, studyOf(run, data));
    } finally {
      await encoder.dispose();
    }
  });

  it('fails with code and file name on a missing data file', async () => {
    const out = await mkdtemp(join(tmpdir(), 'bench-out-'));
    const c = captured();
    const code = await runBench(
      ['--task', '2', '--data', '/nonexistent/pairs.jsonl', '--out', out],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.err()).toMatch(/error [A-Z_]+: .*\/nonexistent\/pairs\.jsonl/);
  });

  // Wrong command lines: status 2, one line naming the problem, before any task runs or any
  // output is written (today's --max-length abc used to fail after tasks 1–2).
  it.each([
    [['--task', '9'], ["'9' is not a task"]],
    [
      ['--max-length', 'abc'],
      ['--max-length', 'an integer in [1, 9007199254740991]', '"abc"'],
    ],
    [
      ['--limit', '0x10'],
      ['--limit', '"0x10"'],
    ],
    [
      ['--limit', '1e3'],
      ['--limit', '"1e3"'],
    ],
    [
      ['--limit', ' 5'],
      ['--limit', '" 5"'],
    ],
    [
      ['--seed', '4294967296'],
      ['--seed', 'an integer in [0, 4294967295]'],
    ],
    [
      ['--test-fraction', '0'],
      ['--test-fraction', 'a number in (0, 1)'],
    ],
    [
      ['--test-fraction', '1'],
      ['--test-fraction', 'a number in (0, 1)'],
    ],
    [
      ['--data', 'a.jsonl', '--test-file', 'b.jsonl'],
      ['--data', '--test-file', 'cannot be used with'],
    ],
    [
      ['--test-file', 'b.jsonl', '--test-fraction', '0.5'],
      ['--test-file', '--test-fraction'],
    ],
    [['--split', 'dev'], ['--split needs --beir']],
    [
      ['--task', '4', '--backend', 'cpu', '--gpu'],
      ['--gpu runs on the tensorflow backend'],
    ],
    [
      ['--task', '4', '--remine-every', '5'],
      ['--remine-every', "re-mines task 5's hard negatives; add 5 to --task"],
    ],
    [
      ['--task', '5', '--step-scale', '0.02', '--remine-every', '12'],
      ['--remine-every 12: no run would mine again', 'below 12'],
    ],
    [
      ['--task', '5', '--remine-every', '0'],
      ['--remine-every', '0'],
    ],
    [
      ['--sparse', 'splade'],
      ['--sparse', 'tfidf, bm25'],
    ],
    [
      ['--dtype', 'fp16'],
      ['--dtype', 'fp32, q8'],
    ],
    [
      ['--pooling', 'weightedmean'],
      ['--pooling', 'mean, cls'],
    ],
    [
      ['--taks', '2'],
      ["unknown option '--taks'", '--task'],
    ],
    [['stray'], ['too many arguments']],
    [
      ['--model', './no-such-model-folder'],
      ['--model', 'no-such-model-folder'],
    ],
  ])('%j → 2 before any work', async (argv, facts) => {
    const out = join(await mkdtemp(join(tmpdir(), 'bench-out-')), 'never');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const c = captured();
    const code = await runBench([...argv, '--out', out], c.io);
    const logged = log.mock.calls.length;
    log.mockRestore();
    expect(code).toBe(2);
    expect(c.err().trimEnd().split('\n')).toHaveLength(1);
    expect(c.err()).toMatch(/^rtk-bench: .* \(see rtk-bench --help\)\n$/);
    for (const fact of facts) expect(c.err()).toContain(fact);
    expect(logged).toBe(0);
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a split that leaves the test side empty, before any task', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-'));
    const file = join(dir, 'three.jsonl');
    await writeFile(
      file,
      ['a', 'b', 'c'].map((x) => JSON.stringify({ query: `q ${x}`, passage: `p ${x}` })).join('\n'),
    );
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const c = captured();
    const code = await runBench(['--data', file, '--test-fraction', '0.1', '--out', dir], c.io);
    const logged = log.mock.calls.length;
    log.mockRestore();
    expect(code).toBe(2);
    expect(c.err()).toContain('--test-fraction 0.1 of 3 pairs leaves the test split empty');
    expect(logged).toBe(0);
  });

  it('accepts a leading -- (pnpm bench -- --task 2) and a BEIR folder with --split test', async () => {
    const beir = await beirFolder();
    const out = await mkdtemp(join(tmpdir(), 'bench-out-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await runBench(
      ['--', '--task', '2', '--beir', beir, '--split', 'test', '--sparse', 'bm25', '--out', out],
      captured().io,
    );
    log.mockRestore();
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    expect(json.results.map((r) => r.task)).toEqual([2]);
    expect(json.results[0]!.settings.data).toMatchObject({
      split: 'qrels/test.tsv',
      queries: 2,
      corpusSize: 3,
    });
    // Each query names its passage's title and topic: BM25 ranks it first.
    expect(json.results[0]!.metrics['Recall@1']).toBe(1);
  });

  it('--offline never replaces a --model the user named: an uncached hub id is an error', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'bench-hf-'));
    const saved = { cache: process.env.HF_HUB_CACHE, offline: process.env.HF_HUB_OFFLINE };
    process.env.HF_HUB_CACHE = cache;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const c = captured();
    try {
      const out = join(cache, 'out');
      const code = await runBench(
        ['--offline', '--task', '1,3', '--model', 'intfloat/e5-small-v2', '--out', out],
        c.io,
      );
      expect(code).toBe(1);
      expect(c.err()).toContain(
        'error ERR_CLI_KIT_MODEL_UNAVAILABLE: --model intfloat/e5-small-v2',
      );
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
      if (saved.cache === undefined) delete process.env.HF_HUB_CACHE;
      else process.env.HF_HUB_CACHE = saved.cache;
      if (saved.offline === undefined) delete process.env.HF_HUB_OFFLINE;
      else process.env.HF_HUB_OFFLINE = saved.offline;
    }
  });

  it('fails at once on an --out it cannot write, before any task', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-'));
    const file = join(dir, 'plain');
    await writeFile(file, '');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const c = captured();
    const offline = process.env.HF_HUB_OFFLINE;
    const code = await runBench(['--task', '1', '--offline', '--out', join(file, 'out')], c.io);
    // --offline sets HF_HUB_OFFLINE for the process; leave it as it was for the other tests.
    if (offline === undefined) delete process.env.HF_HUB_OFFLINE;
    else process.env.HF_HUB_OFFLINE = offline;
    const logged = log.mock.calls.length;
    log.mockRestore();
    expect(code).toBe(1);
    expect(c.err()).toContain('error ERR_CLI_KIT_OUTPUT_NOT_WRITABLE: --out');
    expect(logged).toBe(0);
  });

  it('prints --version and --help', async () => {
    let out = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: () => true },
      env: {},
    };
    expect(await runBench(['--version'], io)).toBe(0);
    expect(out).toMatch(/^\d+\.\d+\.\d+\n$/);
    out = '';
    expect(await runBench(['--help'], io)).toBe(0);
    expect(out).toContain('Usage: rtk-bench [options]');
    for (const flag of ['--task', '--beir', '--query-prefix', '--pooling', '--offline'])
      expect(out).toContain(flag);
  });
});
