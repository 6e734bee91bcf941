// End to end: `rtk mine` as a user runs it (the built dist/cli.js as a child process).
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRtk } from './rtk.js';
import { rtk, type Outcome } from './_test-cli.js';

const FIXTURE = resolve(import.meta.dirname, '../../../packages/encoders/fixtures/tiny-bert');
const SAMPLE = resolve(import.meta.dirname, '../../../packages/datasets/data/nq-sample.jsonl');

/** The command line in this process (for usage errors, which exit before any work). */
async function rtkHere(args: readonly string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await runRtk(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { NO_COLOR: '1' },
  });
  return { code, stdout, stderr };
}

const readJsonl = async (path: string): Promise<Record<string, string>[]> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, string>);

let dir: string;
let positivesOf: Map<string, Set<string>>;
const small = (): string => join(dir, 'small.jsonl');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rtk-mine-'));
  const lines = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean);
  positivesOf = new Map();
  for (const l of lines) {
    const { query, passage } = JSON.parse(l) as { query: string; passage: string };
    positivesOf.set(query, (positivesOf.get(query) ?? new Set()).add(passage));
  }
  await writeFile(small(), `${lines.slice(0, 40).join('\n')}\n`);
});

describe('rtk mine', () => {
  it('mines BM25 triplets on the shipped sample: statistics, JSONL, never a positive, seeded', async () => {
    const out = join(dir, 'bm25.jsonl');
    const args = [
      'mine',
      '--data',
      SAMPLE,
      '--with',
      'bm25',
      '--range-min',
      '2',
      '--range-max',
      '30',
      '--relative-margin',
      '0.05',
      '--num-negatives',
      '5',
      '--sampling',
      'random',
      '--seed',
      '7',
      '--out',
      out,
    ];
    const r = await rtk(args, dir);
    expect(r.stderr).toContain('mine: 1875 queries');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| removed: relativeMargin\s+\|\s+\d+ \(\d+\.\d\d%\) \|/);
    expect(r.stdout).toMatch(/\| window \(rangeMin–rangeMax\)\s+\|\s+2–30 \|/);
    const rows = await readJsonl(out);
    expect(rows.length).toBeGreaterThan(1000);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['query', 'positive', 'negative']);
      expect(positivesOf.get(row.query!)!.has(row.negative!)).toBe(false);
      expect(positivesOf.get(row.query!)!.has(row.positive!)).toBe(true);
    }
    expect(r.stdout).toContain(`Wrote ${rows.length} triplets`);
    const again = join(dir, 'bm25-again.jsonl');
    expect((await rtk([...args.slice(0, -1), again], dir)).code).toBe(0);
    expect(await readFile(again, 'utf8')).toBe(await readFile(out, 'utf8'));
  });

  it('mines n-tuples with the fixture model and with random negatives', async () => {
    const out = join(dir, 'model.jsonl');
    const r = await rtk(
      [
        'mine',
        '--data',
        small(),
        '--with',
        FIXTURE,
        '--num-negatives',
        '2',
        '--format',
        'ntuple',
        '--out',
        out,
      ],
      dir,
    );
    expect(r.stderr).toContain('index corpus: 35 passages'); // progress on stderr
    expect(r.code).toBe(0);
    const rows = await readJsonl(out);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['query', 'positive', 'negative_1', 'negative_2']);
      expect(positivesOf.get(row.query!)!.has(row.negative_1!)).toBe(false);
    }
    const rand = join(dir, 'random.jsonl');
    const rr = await rtk(
      ['mine', '--data', small(), '--with', 'random', '--num-negatives', '3', '--out', rand],
      dir,
    );
    expect(rr.code).toBe(0);
    expect(rr.stdout).toContain('random negatives');
    const pairs = Number(/\(query, positive\) pairs\s+\|\s+(\d+)/.exec(rr.stdout)![1]);
    expect((await readJsonl(rand)).length).toBe(3 * pairs); // 3 triplets per (query, positive)
  });

  it('reads a BEIR folder: its qrels give the pairs, its whole corpus the candidates', async () => {
    const beir = join(dir, 'beir');
    await mkdir(join(beir, 'qrels'), { recursive: true });
    const docs = [
      'river bridge stone',
      'river bridge old',
      'castle hill',
      'forest deer',
      'harbour boats',
      'river flood',
    ];
    await writeFile(
      join(beir, 'corpus.jsonl'),
      docs.map((text, i) => JSON.stringify({ _id: `d${i}`, title: '', text })).join('\n'),
    );
    await writeFile(
      join(beir, 'queries.jsonl'),
      [JSON.stringify({ _id: 'q1', text: 'river bridge' })].join('\n'),
    );
    await writeFile(join(beir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td0\t1\n');
    const out = join(dir, 'beir.jsonl');
    const r = await rtk(
      ['mine', '--beir', beir, '--with', 'bm25', '--num-negatives', '2', '--out', out],
      dir,
    );
    expect(r.code).toBe(0);
    const rows = await readJsonl(out);
    // BM25 ranks the two other river-bridge passages first; the positive itself is excluded
    expect(rows.map((x) => x.negative)).toEqual(['river bridge old', 'river flood']);
    expect(rows[0]!.positive).toBe('river bridge stone');
  });

  it.each([
    [['--range-min', '10', '--range-max', '5'], '--range-max'],
    [['--num-negatives', '0'], '--num-negatives'],
    [['--range-min', '0', '--range-max', '4', '--num-negatives', '5'], '--num-negatives'],
    [['--sampling', 'best'], '--sampling'],
    [['--format', 'csv'], '--format'],
    [['--relative-margin', 'x'], '--relative-margin'],
    [['--dtype', 'q8'], '--dtype'],
    [['--bogus'], '--bogus'],
  ])('rejects %j with status 2 naming %s, before any work', async (extra, flag) => {
    const out = join(dir, 'never.jsonl');
    const r = await rtkHere(['mine', '--data', small(), '--with', 'bm25', '--out', out, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    await expect(readFile(out)).rejects.toThrow();
  });

  it('rejects hard-mining flags with --with random, a missing --with or --out, and an unwritable --out', async () => {
    expect(
      (
        await rtk(
          [
            'mine',
            '--data',
            small(),
            '--with',
            'random',
            '--relative-margin',
            '0.1',
            '--out',
            join(dir, 'x'),
          ],
          dir,
        )
      ).stderr,
    ).toContain('--relative-margin');
    expect((await rtk(['mine', '--data', small(), '--out', join(dir, 'x')], dir)).code).toBe(2);
    expect((await rtk(['mine', '--data', small(), '--with', 'bm25'], dir)).code).toBe(2);
    const r = await rtk(
      ['mine', '--data', small(), '--with', 'bm25', '--out', join(small(), 'x.jsonl')],
      dir,
    );
    expect(r.stderr).toContain('--out');
    expect(r.stderr).not.toContain('mine:');
  });
});
