// `rtk train` end to end: the built CLI (dist/cli.js, built before these tests by turbo) as a child
// process, on the tiny model and the shipped NQ-style sample.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { samplePairsPath } from '@rtk/datasets';
import { rtk as rtkIn } from './_test-cli.js';

const TINY = resolve(import.meta.dirname, '../../../packages/training/fixtures/tiny-bert');
const temp = mkdtempSync(join(tmpdir(), 'rtk-train-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The built CLI in the temp folder, with the 300 s limit of these tests. */
const rtk = (args: readonly string[]) => rtkIn(args, temp, 300_000);

// The shipped sample: the first 160 pairs to train on, the next 30 held out.
const sample = readFileSync(samplePairsPath(), 'utf8').trim().split('\n');
const TRAIN = join(temp, 'train.jsonl');
const TEST = join(temp, 'test.jsonl');
writeFileSync(TRAIN, `${sample.slice(0, 160).join('\n')}\n`);
writeFileSync(TEST, `${sample.slice(160, 190).join('\n')}\n`);
const BASE = ['--model', TINY, '--data', TRAIN, '--loss', 'infonce'];

describe('rtk train', { timeout: 300_000 }, () => {
  it('--help lists every flag', async () => {
    const { code, stdout } = await rtk(['train', '--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--model',
      '--data',
      '--loss',
      '--out',
      '--batch-size',
      '--lr',
      '--warmup',
      '--steps',
      '--epochs',
      '--negatives',
      '--eval-data',
      '--eval-every',
      '--eval-steps',
      '--checkpoint-every',
      '--checkpoint-steps',
      '--keep-last',
      '--max-query-length',
      '--max-passage-length',
      '--seed',
      '--dropout',
      '--log-batches',
      '--grad-accumulation',
      '--grad-cache',
      '--freeze-layers',
      '--backend',
      '--gpu',
    ])
      expect(stdout).toContain(flag);
  });

  it('--gpu asks for @tensorflow/tfjs-node-gpu first and says why it did not start', async () => {
    const out = join(temp, 'gpu');
    const args = ['train', ...BASE, '--out', out, '--batch-size', '4', '--steps', '1', '--gpu'];
    const { code, stderr } = await rtk(args);
    expect(code).toBe(0);
    // Not installed here: the backend line names it among the ones skipped, then what ran.
    expect(stderr).toMatch(/TF\.js backend: \w+ .*skipped .*@tensorflow\/tfjs-node-gpu/);
  });

  it.each([
    ['an unknown flag', ['--bogus'], 2, /unknown option '--bogus'/],
    [
      '--eval-every without --eval-data',
      ['--steps', '4', '--eval-every', '2'],
      2,
      /--eval-every needs --eval-data/,
    ],
    ['--scale with triplet', ['--loss', 'triplet', '--scale', '5'], 2, /--scale does not apply/],
    ['--gpu on the wasm backend', ['--backend', 'wasm', '--gpu'], 2, /--gpu runs on the tensorflow/],
    ['a fractional warmup above 1', ['--warmup', '1.5'], 2, /--warmup/],
    [
      'a batch larger than the data',
      ['--batch-size', '161', '--steps', '3'],
      1,
      /ERR_TRAINING_OPTION.*batchSize.*160/,
    ],
    [
      'eval steps beyond the run',
      ['--steps', '4', '--eval-data', TEST, '--eval-steps', '2,5'],
      1,
      /ERR_TRAINING_OPTION.*evaluation.atSteps.*5/,
    ],
    [
      'negatives the data lacks',
      ['--negatives', '1', '--steps', '3'],
      1,
      /ERR_TRAINING_DATA.*1 negative/,
    ],
  ])('rejects %s before any work', async (name, extra, status, message) => {
    const out = join(temp, `bad-${name.replace(/\W+/g, '-')}`);
    const args = [...BASE, '--out', out, ...extra];
    // A later --loss replaces the first one.
    const { code, stderr } = await rtk(['train', ...args]);
    expect(code).toBe(status);
    expect(stderr).toMatch(message);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('rtk mine --keep-pairs, then rtk train --loss infonce: mixed batches, each query with the negatives it has', async () => {
    const mined = join(temp, 'mined.jsonl');
    const mine = await rtk([
      'mine',
      '--data',
      TRAIN,
      '--with',
      'bm25',
      '--num-negatives',
      '1',
      '--range-min',
      '2',
      '--range-max',
      '20',
      '--relative-margin',
      '0.3',
      '--keep-pairs',
      '--out',
      mined,
    ]);
    expect(mine.code).toBe(0);
    const rows = readFileSync(mined, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { query: string; positive: string; negative?: string });
    const bare = rows.filter((r) => r.negative === undefined).length;
    // Every distinct pair is kept: some with a negative, some (short queries) without.
    const pairs = new Set(
      sample.slice(0, 160).map((l) => {
        const { query, passage } = JSON.parse(l) as { query: string; passage: string };
        return `${query}\0${passage}`;
      }),
    );
    expect(rows).toHaveLength(pairs.size);
    expect(bare).toBeGreaterThan(0);
    expect(bare).toBeLessThan(rows.length);
    expect(mine.stdout).toContain(`(${bare} of them plain pairs without a negative)`);

    const out = join(temp, 'mixed');
    const batches = join(temp, 'mixed-batches.jsonl');
    const train = await rtk([
      'train',
      '--model',
      TINY,
      '--data',
      mined,
      '--loss',
      'infonce',
      '--out',
      out,
      '--batch-size',
      '16',
      '--steps',
      '2',
      '--log-batches',
      batches,
    ]);
    // No --eval-data: a run without evaluations (once refused: an evaluation callback without one).
    expect(train.stderr).not.toContain('error');
    expect(train.code).toBe(0);
    // The tiny model has no prefixes: the logged texts are the data's.
    const negativeOf = new Map(rows.map((r) => [r.query, r.negative]));
    const logged = readFileSync(batches, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { queries: string[]; negatives: string[][] });
    const counts = logged.flatMap((l) => l.negatives.map((n) => n.length));
    expect(counts).toContain(0);
    expect(counts).toContain(1);
    for (const l of logged)
      l.queries.forEach((q, i) => {
        const n = negativeOf.get(q);
        expect(l.negatives[i]).toEqual(n === undefined ? [] : [n]);
      });
  });

  it('trains the tiny model on the sample: loss falls, held-out Recall@1 rises; rtk eval reads the result; a rerun resumes', async () => {
    const out = join(temp, 'run');
    const args = [
      'train',
      ...BASE,
      '--out',
      out,
      '--batch-size',
      '8',
      '--lr',
      '0.003',
      '--warmup',
      '0.1',
      '--steps',
      '16',
      '--eval-data',
      TEST,
      '--eval-steps',
      '16',
      '--checkpoint-every',
      '8',
      '--max-passage-length',
      '48',
      '--dropout',
      '0',
    ];
    const first = await rtk(args);
    expect(first.stderr).toContain('rtk train: 160 examples, 16 steps of 8');
    expect(first.code).toBe(0);
    const log = readFileSync(join(out, 'train-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            step: number;
            loss?: number;
            metrics?: Record<string, number>;
          },
      );
    const losses = log.filter((l) => l.type === 'step').map((l) => l.loss!);
    expect(losses).toHaveLength(16);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
    const evals = log.filter((l) => l.type === 'evaluation');
    expect(evals.map((e) => e.step)).toEqual([0, 16]);
    expect(evals[1]!.metrics!['Recall@1']).toBeGreaterThan(evals[0]!.metrics!['Recall@1']!);
    expect(readdirSync(out).sort()).toEqual(['checkpoint-8', 'final', 'train-log.jsonl']);

    const evaluated = await rtk([
      'eval',
      '--model',
      join(out, 'final'),
      '--data',
      TEST,
      '--max-length',
      '48',
    ]);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stderr).toContain('exported one from model.safetensors');
    expect(evaluated.stdout).toMatch(/\| Recall@1 \| 0\.\d{4} \|/);

    const again = await rtk(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('resuming from');
    expect(again.stdout).toContain('resumed from step 16');
  });
});
