// End to end: the built `rtk` (dist/cli.js, built before these tests by turbo) run as a child
// process, as a user runs it.
import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, readTrecRun, type Ranking, type Run } from '@rtk/metrics';
import { rtk } from './_test-cli.js';

const FIXTURE = resolve(import.meta.dirname, '../../../packages/encoders/fixtures/tiny-bert');
const OWN = JSON.parse(await readFile(resolve(import.meta.dirname, '../package.json'), 'utf8')) as {
  version: string;
};

// A tiny BEIR folder. Titles are prepended to texts ("title text"), as BEIR's loader does.
const CORPUS = [
  { _id: 'd1', title: 'Rivers', text: 'The river Arlen floods the valley every spring.' },
  { _id: 'd2', title: 'Castles', text: 'The castle of Brisk stands on a hill above the river.' },
  { _id: 'd3', title: 'Forests', text: 'Corvo forest is dark, old and full of deer.' },
  { _id: 'd4', title: 'Bridges', text: 'A stone bridge crosses the river at Arlen.' },
  { _id: 'd5', title: 'Markets', text: 'Brisk holds a market of cheese and deer meat.' },
  { _id: 'd6', title: 'Harbours', text: 'Boats of the harbour sail at dawn.' },
];
const QUERIES = [
  { _id: 'q1', text: 'river Arlen bridge' },
  { _id: 'q2', text: 'castle of Brisk' },
  { _id: 'q3', text: 'deer in the forest' },
  { _id: 'q4', text: 'harbour boats' },
];
// q4 has only a non-relevant judgement: it is not evaluated and not in the run.
const QRELS = [
  ['q1', 'd4', 2],
  ['q1', 'd1', 1],
  ['q2', 'd2', 1],
  ['q3', 'd3', 1],
  ['q3', 'd5', 1],
  ['q4', 'd6', 0],
] as const;

async function beirFolder(root: string): Promise<string> {
  const dir = join(root, 'tiny-beir');
  await mkdir(join(dir, 'qrels'), { recursive: true });
  await writeFile(
    join(dir, 'corpus.jsonl'),
    CORPUS.map((d) => JSON.stringify(d)).join('\n') + '\n',
  );
  await writeFile(
    join(dir, 'queries.jsonl'),
    QUERIES.map((q) => JSON.stringify(q)).join('\n') + '\n',
  );
  await writeFile(
    join(dir, 'qrels', 'test.tsv'),
    ['query-id\tcorpus-id\tscore', ...QRELS.map((r) => r.join('\t'))].join('\n') + '\n',
  );
  return dir;
}

/**
 * BM25 as Lucene ≥ 8 defines it (k1 0.9, b 0.4), written out here independently of the toolkit:
 * tokens are scikit-learn's default analyzer (lowercase, runs of 2+ word characters);
 * idf = ln(1 + (N − df + 0.5) / (df + 0.5)); each query token adds
 * idf · f / (f + k1 · (1 − b + b · |d| / avgdl)). Ranked by score, ties in corpus order.
 */
function referenceBm25(): Run {
  const k1 = 0.9;
  const b = 0.4;
  const tokens = (text: string): string[] => text.toLowerCase().match(/\b\w\w+\b/gu) ?? [];
  const docs = CORPUS.map((d) => tokens(`${d.title} ${d.text}`));
  const avgdl = docs.reduce((s, d) => s + d.length, 0) / docs.length;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const run = new Map<string, Ranking>();
  for (const q of QUERIES) {
    if (!QRELS.some(([qid, , grade]) => qid === q._id && grade > 0)) continue;
    const scored = docs.map((d, i) => {
      let score = 0;
      for (const t of tokens(q.text)) {
        const f = d.filter((x) => x === t).length;
        const n = df.get(t);
        if (f === 0 || n === undefined) continue;
        const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
        score += (idf * f) / (f + k1 * (1 - b + (b * d.length) / avgdl));
      }
      return { id: CORPUS[i]!._id, score, i };
    });
    scored.sort((x, y) => y.score - x.score || x.i - y.i);
    run.set(
      q._id,
      scored.map(({ id, score }) => ({ id, score })),
    );
  }
  return run;
}

// Each test starts node processes; on a loaded machine one start can take seconds.
describe('rtk (built CLI)', { timeout: 60_000 }, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rtk-e2e-'));
  });

  it('rtk eval --sparse bm25 on a BEIR folder writes a TREC run equal to BM25 computed independently', async () => {
    const beir = await beirFolder(root);
    const work = join(root, 'bm25');
    await mkdir(work);
    const result = await rtk(
      [
        'eval',
        '--sparse',
        'bm25',
        '--beir',
        beir,
        '--split',
        'test',
        '--run',
        'run.trec',
        '--results',
        'out/results.json',
      ],
      work,
    );
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('| Metric | Value |');

    // The file trec_eval reads: 6 whitespace-separated columns, ranks 1.. per query.
    const text = await readFile(join(work, 'run.trec'), 'utf8');
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(line.split(/\s+/)).toHaveLength(6);
    expect(lines[0]).toMatch(/^q1 Q0 d\d \d+ \S+ \S+$/);
    expect(lines.filter((l) => l.startsWith('q1 ')).map((l) => l.split(' ')[3])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ]);

    const run = await readTrecRun(join(work, 'run.trec'));
    const reference = referenceBm25();
    expect([...run.keys()]).toEqual([...reference.keys()]);
    for (const [qid, ranking] of reference) {
      const got = run.get(qid)!;
      expect(got.map((d) => d.id)).toEqual(ranking.map((d) => d.id));
      got.forEach((d, i) => expect(d.score).toBeCloseTo(ranking[i]!.score, 12));
    }

    // The printed and saved metrics are those of that run.
    const qrels = new Map<string, Map<string, number>>();
    for (const [qid, did, grade] of QRELS) {
      if (!qrels.has(qid)) qrels.set(qid, new Map());
      qrels.get(qid)!.set(did, grade);
    }
    const expected = evaluate(reference, qrels, [
      { metric: 'hit', k: 1 },
      { metric: 'hit', k: 10 },
      { metric: 'ndcg', k: 10 },
      { metric: 'map', k: 100 },
    ]).means;
    const saved = JSON.parse(await readFile(join(work, 'out', 'results.json'), 'utf8')) as {
      metrics: Record<string, number>;
      perQuery: Record<string, Record<string, number>>;
      run: { path: string; tag: string };
      evaluatedQueries: number;
    };
    expect(saved.metrics['Recall@1']).toBeCloseTo(expected['hit@1']!, 12);
    expect(saved.metrics['Recall@10']).toBeCloseTo(expected['hit@10']!, 12);
    expect(saved.metrics['nDCG@10']).toBeCloseTo(expected['ndcg@10']!, 12);
    expect(saved.metrics['MAP@100']).toBeCloseTo(expected['map@100']!, 12);
    expect(saved.evaluatedQueries).toBe(3);
    expect(Object.keys(saved.perQuery)).toEqual(['q1', 'q2', 'q3']);
    expect(saved.run.path).toBe(join(work, 'run.trec'));
    expect(result.stdout).toContain(`| nDCG@10 | ${expected['ndcg@10']!.toFixed(4)} |`);
  });

  it('rtk eval --model FOLDER --offline: that folder, not labelled E5, prefixes and pooling from the flags', async () => {
    const work = await mkdtemp(join(root, 'dense-'));
    const pairs = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ query: `what is item ${i}`, passage: `item ${i} is a thing number ${i}` }),
    );
    await writeFile(join(work, 'pairs.jsonl'), pairs.join('\n') + '\n');
    // Relative to the folder rtk runs in, without ./ : an existing folder is that folder.
    await mkdir(join(work, 'models'));
    await cp(FIXTURE, join(work, 'models', 'tiny'), { recursive: true });
    const result = await rtk(
      [
        'eval',
        '--model',
        'models/tiny',
        '--offline',
        '--data',
        'pairs.jsonl',
        '--test-fraction',
        '0.5',
        '--passage-prefix',
        'doc: ',
        '--pooling',
        'cls',
        '--max-length',
        '32',
        '--out',
        'out',
      ],
      work,
    );
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    const saved = JSON.parse(await readFile(join(work, 'out', 'results.json'), 'utf8')) as {
      settings: Record<string, unknown>;
      data: Record<string, unknown>;
      evaluatedQueries: number;
    };
    expect(saved.settings).toMatchObject({
      kind: 'dense',
      e5: false,
      model: join(work, 'models', 'tiny'),
      prefixes: { query: '', passage: 'doc: ' },
      pooling: 'cls',
      maxLength: 32,
      depth: 100,
    });
    expect(saved.data).toMatchObject({ pairs: 12, trainPairs: 6, testPairs: 6 });
    expect(saved.evaluatedQueries).toBe(6);
    const run = await readTrecRun(join(work, 'out', 'run.trec'));
    expect(run.size).toBe(6);
  });

  it('--help and --version', async () => {
    const [help, top, version] = await Promise.all([
      rtk(['eval', '--help'], root),
      rtk(['--help'], root),
      rtk(['--version'], root),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: rtk eval [options]');
    for (const flag of [
      '--sparse',
      '--model',
      '--beir',
      '--split',
      '--run',
      '--out',
      '--pooling',
      '--query-prefix',
    ])
      expect(help.stdout).toContain(flag);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('eval [options]');
    expect(version).toEqual({ code: 0, stdout: `${OWN.version}\n`, stderr: '' });
  });

  // Wrong command lines: status 2, one line, nothing written.
  it.each([
    [['eval', '--sparse', 'bm25', '--beir', 'x', '--bogus'], "unknown option '--bogus'"],
    [['eval', '--sparse', 'bm25', '--beir', 'x', 'stray'], 'too many arguments'],
    [['stray'], "unknown command 'stray'"],
    [['eval', '--sparse', 'bm25', '--beir', 'x', '--depth', '1e3'], '--depth'],
    [
      ['eval', '--sparse', 'bm25', '--model', 'intfloat/e5-small-v2', '--beir', 'x'],
      'cannot be used with',
    ],
    [['eval', '--beir', 'x'], 'choose a retriever'],
    [['eval', '--sparse', 'bm25'], 'choose the data'],
    [['eval', '--sparse', 'bm25', '--beir', 'x', '--pooling', 'cls'], '--pooling needs --model'],
    [
      ['eval', '--sparse', 'bm25', '--data', 'x.jsonl', '--seed', '3'],
      '--seed needs --test-fraction',
    ],
  ])('%j → 2', async (args, fact) => {
    const work = await mkdtemp(join(root, 'bad-'));
    const result = await rtk(args, work);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(fact);
    expect(result.stdout).toBe('');
    expect(await readdir(work)).toEqual([]);
  });

  it('an --out it cannot write fails at once, before reading any data', async () => {
    const beir = await beirFolder(await mkdtemp(join(root, 'unwritable-')));
    const result = await rtk(
      ['eval', '--sparse', 'bm25', '--beir', beir, '--out', '/proc/rtk-e2e/out'],
      root,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error ERR_CLI_KIT_OUTPUT_NOT_WRITABLE: --out');
    expect(result.stderr).toContain('/proc/rtk-e2e/out');
    expect(result.stderr).not.toContain('index:');
    expect(result.stdout).toBe('');
  });

  it('an --out another live run holds is refused before any work, and the holder keeps its lock', async () => {
    const work = await mkdtemp(join(root, 'locked-'));
    const beir = await beirFolder(work);
    const out = join(work, 'out');
    await mkdir(out);
    // This test process stands for the other run: alive, on this host.
    const lockFile = join(out, '.results.json.lock');
    const holder = JSON.stringify({ pid: process.pid, host: hostname(), since: 'earlier' });
    await writeFile(lockFile, holder);
    const result = await rtk(['eval', '--sparse', 'bm25', '--beir', beir, '--out', out], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error ERR_CLI_KIT_OUTPUT_LOCKED: --out: ${join(out, 'results.json')} is being written by another run (process ${process.pid} on this host, since earlier; lock ${lockFile})`,
    );
    expect(result.stderr).not.toContain('index:');
    expect(result.stdout).toBe('');
    expect(await readdir(out)).toEqual(['.results.json.lock']);
    expect(await readFile(lockFile, 'utf8')).toBe(holder);
  });

  it('a finished run leaves no lock files beside its outputs', async () => {
    const work = await mkdtemp(join(root, 'unlocked-'));
    const beir = await beirFolder(work);
    const out = join(work, 'out');
    const result = await rtk(['eval', '--sparse', 'bm25', '--beir', beir, '--out', out], work);
    expect(result.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['results.json', 'run.trec']);
  });
});
