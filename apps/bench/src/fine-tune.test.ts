import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CliIo } from '@rtk/cli-kit';
import { readTrecRun } from '@rtk/metrics';
import { runBench } from './bench.js';
import type { MinedNegatives } from '@rtk/mining';
import { scaleSteps } from './tasks/fine-tune.js';
import { mergeRemined, withMinedNegatives } from './tasks/fine-tune-tasks.js';

function captured(): { io: CliIo; err: () => string } {
  let err = '';
  return {
    io: { stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) }, env: {} },
    err: () => err,
  };
}

interface FineTuneJson {
  readonly steps: { triplet: number[]; contrastive: number[] };
  readonly runs: readonly {
    id: string;
    task: number;
    checkpoints: {
      step: number;
      metrics: Record<string, number>;
      versusInitial?: unknown;
      versusBaseline?: Record<string, { pValue: number; significant: boolean }>;
    }[];
    remined?: { round: number; step: number; stats: { negativesChosen: number } }[];
    checkpointFolders: Record<string, string>;
    trecRuns: Record<string, string>;
    resumedFrom: number;
    losses: { step: number; loss: number }[];
  }[];
  readonly mining: readonly { title: string; stats: { negativesChosen: number } }[];
}

describe('scaleSteps', () => {
  it('scales, rounds, keeps at least 1 and strictly increasing', () => {
    expect(scaleSteps([50, 100, 150], 1)).toEqual([50, 100, 150]);
    expect(scaleSteps([50, 100, 150], 0.1)).toEqual([5, 10, 15]);
    expect(scaleSteps([150, 300, 450, 600], 0.02)).toEqual([3, 6, 9, 12]);
    expect(scaleSteps([50, 100, 150], 0.001)).toEqual([1, 2, 3]);
  });
});

describe('task 5 examples from a mining run', () => {
  // Queries a (two positives) and b; b got no negative.
  const mined = {
    data: {
      queries: ['a', 'b'],
      corpus: ['pa1', 'pa2', 'pb', 'n1', 'n2'],
      positives: [[0, 1], [2]],
    },
    negatives: [[3], []],
  } as unknown as MinedNegatives;

  it('withMinedNegatives keeps every pair, with its query’s negative when it has one', () => {
    expect(withMinedNegatives(mined)).toEqual([
      { query: 'a', positive: 'pa1', negatives: ['n1'] },
      { query: 'a', positive: 'pa2', negatives: ['n1'] },
      { query: 'b', positive: 'pb', negatives: [] },
    ]);
  });

  it('mergeRemined takes each query’s new negative and keeps the old one where the round found none', () => {
    const current = [
      { query: 'a', positive: 'pa1', negatives: ['old-a'] },
      { query: 'b', positive: 'pb', negatives: ['old-b'] },
      { query: 'c', positive: 'pc', negatives: [] },
    ];
    const again = {
      ...mined,
      data: { ...mined.data, queries: ['a', 'b', 'c'], positives: [[0, 1], [2], [4]] },
      negatives: [[4], [], [3]],
    } as unknown as MinedNegatives;
    expect(mergeRemined(current, again)).toEqual({
      examples: [
        { query: 'a', positive: 'pa1', negatives: ['n2'] },
        { query: 'b', positive: 'pb', negatives: ['old-b'] },
        { query: 'c', positive: 'pc', negatives: ['n1'] },
      ],
      fresh: 2,
    });
  });
});

describe('pnpm bench --task 4,5 --offline', () => {
  it(
    'trains each run, evaluates every checkpoint, writes tables, TREC runs and report; a rerun resumes',
    { timeout: 600_000 },
    async () => {
      const out = await mkdtemp(join(tmpdir(), 'bench-ft-'));
      const args = [
        '--task',
        '4,5',
        '--offline',
        '--step-scale',
        '0.02',
        '--limit',
        '60',
        '--train-batch-size',
        '4',
        '--max-passage-length',
        '32',
        '--embedding-cache',
        '',
        '--out',
        out,
      ];
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const said = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      let printed = '';
      try {
        const first = captured();
        expect(await runBench(args, first.io)).toBe(0);
        printed = log.mock.calls.map((c) => c.join(' ')).join('\n');
        // The offline model's default learning rate, said on stderr (no --lr was given).
        expect(said.mock.calls.map((c) => c.join(' ')).join('\n')).toContain(
          'Tasks 4–5 on the offline model rtk-docs-mini: lr 0.0002',
        );
      } finally {
        log.mockRestore();
        said.mockRestore();
      }
      // The study's table form, with the scaled grids in the header.
      expect(printed).toContain('| Metric | Initial | 1 step | 2 steps | 3 steps |');
      expect(printed).toContain('| Metric | Initial | 3 steps | 6 steps | 9 steps | 12 steps |');
      // The offline model is trained: task 5 mines with it (the study's default), not BM25.
      expect(printed).toMatch(/### Triplet loss, hard negatives \(dense\)/);
      expect(printed).toContain('negatives chosen');
      // Beyond the study: after task 5's triplet table, contrastive with the mined negatives, on
      // the contrastive grid, with a Δ row per metric against task 4's in-batch run.
      const beyond = printed.indexOf(
        '### Beyond the study: contrastive loss, hard negatives (dense) as extra candidates',
      );
      expect(beyond).toBeGreaterThan(printed.indexOf('### Triplet loss, hard negatives (dense)'));
      const beyondTable = printed.slice(beyond);
      expect(beyondTable).toContain(
        '| Metric | Initial | 3 steps | 6 steps | 9 steps | 12 steps |',
      );
      expect(beyondTable).toMatch(/\| Δ MRR vs contrastive \| – \| [+−]\d\.\d{4}/);
      const without = /(\d+) with a mined negative as an extra candidate, (\d+) without one/.exec(
        printed,
      );
      expect(Number(without?.[1])).toBeGreaterThan(0);
      expect(Number(without?.[2])).toBeGreaterThan(0);

      const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
        fineTune: FineTuneJson;
      };
      const ft = results.fineTune;
      expect(ft.steps).toEqual({ triplet: [1, 2, 3], contrastive: [3, 6, 9, 12] });
      expect(ft.runs.map((r) => r.id)).toEqual([
        'triplet-random',
        'contrastive',
        'triplet-hard',
        'contrastive-hard',
      ]);
      for (const run of ft.runs) {
        const grid = run.id.startsWith('contrastive') ? ft.steps.contrastive : ft.steps.triplet;
        expect(run.checkpoints.map((c) => c.step)).toEqual([0, ...grid]);
        expect(run.losses.map((l) => l.step)).toEqual(
          Array.from({ length: grid.at(-1)! }, (_, i) => i + 1),
        );
        // Initial is the same model for every run; each checkpoint has its paired test.
        expect(run.checkpoints[0]!.metrics).toEqual(ft.runs[0]!.checkpoints[0]!.metrics);
        for (const c of run.checkpoints.slice(1)) expect(c.versusInitial).toBeDefined();
        for (const step of grid) {
          expect(
            (await stat(join(run.checkpointFolders[step]!, 'model.safetensors'))).size,
          ).toBeGreaterThan(0);
          const trec = await readTrecRun(run.trecRuns[step]!);
          expect(trec.size).toBeGreaterThan(0);
        }
      }
      expect(
        ft.mining.find((m) => m.title.startsWith('Task 5'))!.stats.negativesChosen,
      ).toBeGreaterThan(0);
      // The paired test against the in-batch run's checkpoint of the same step, computed from
      // the two runs' per-query values (different runs: not all p-values are 1).
      const hard = ft.runs.find((r) => r.id === 'contrastive-hard')!;
      for (const c of hard.checkpoints.slice(1)) expect(c.versusBaseline?.MRR).toBeDefined();
      expect(hard.checkpoints[0]!.versusBaseline).toBeUndefined();

      const html = await readFile(join(out, 'report.html'), 'utf8');
      const charts = (await readdir(join(out, 'charts'))).sort();
      expect(charts).toEqual([
        'task4-contrastive-loss.svg',
        'task4-contrastive-metrics.svg',
        'task4-triplet-random-loss.svg',
        'task4-triplet-random-metrics.svg',
        'task5-contrastive-hard-loss.svg',
        'task5-contrastive-hard-metrics.svg',
        'task5-contrastive-hard-vs-contrastive.svg',
        'task5-mining-scores.svg',
        'task5-triplet-hard-loss.svg',
        'task5-triplet-hard-metrics.svg',
      ]);
      expect(html).toContain(`data-charts="${charts.length}"`);
      expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('## Task 5');

      // Again: every run resumes from its final model and every evaluation is read back.
      const again = captured();
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const log2 = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      let stderr = '';
      try {
        expect(await runBench(args, again.io)).toBe(0);
        stderr = err.mock.calls.map((c) => String(c[0])).join('');
      } finally {
        err.mockRestore();
        log2.mockRestore();
      }
      const rerun = (
        JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { fineTune: FineTuneJson }
      ).fineTune;
      expect(rerun.runs.map((r) => r.resumedFrom)).toEqual([3, 12, 3, 12]);
      expect(rerun.runs.map((r) => r.checkpoints)).toEqual(ft.runs.map((r) => r.checkpoints));
      expect(stderr).toContain('resuming from');
      expect(stderr).not.toMatch(/step 3: index/); // no checkpoint was evaluated again
    },
  );
});

describe('pnpm bench --task 5 --offline --remine-every', () => {
  it(
    'mines again with the weights being trained, reports each round, says there is no baseline, resumes',
    { timeout: 600_000 },
    async () => {
      const out = await mkdtemp(join(tmpdir(), 'bench-remine-'));
      const args = [
        '--task',
        '5',
        '--offline',
        '--step-scale',
        '0.02',
        '--remine-every',
        '8',
        // The random fixture's cosines are all close: without this guard off, a round keeps none.
        '--relative-margin',
        '0',
        '--limit',
        '30',
        '--train-batch-size',
        '4',
        '--max-passage-length',
        '32',
        '--embedding-cache',
        '',
        '--out',
        out,
      ];
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      let printed = '';
      try {
        expect(await runBench(args, captured().io)).toBe(0);
        printed = log.mock.calls.map((c) => c.join(' ')).join('\n');
      } finally {
        log.mockRestore();
      }
      expect(printed).toContain('No in-batch-only baseline in this invocation');
      expect(printed).not.toContain('Δ MRR');
      // Triplet: 3 steps, no round; contrastive: 12 steps, a round after step 8.
      expect(printed).not.toContain('#### Re-mining during Triplet');
      expect(printed).toContain(
        '#### Re-mining during Beyond the study: contrastive loss, hard negatives (dense) as extra candidates',
      );
      expect(printed).toMatch(/\| 0 \| 0 \| \d+ of \d+ \|/);
      expect(printed).toMatch(/\| 1 \| 8 \| \d+ of \d+ \| \d+ \|/);
      const ft = (
        JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { fineTune: FineTuneJson }
      ).fineTune;
      const hard = ft.runs.find((r) => r.id === 'contrastive-hard')!;
      expect(hard.remined!.map((r) => [r.round, r.step])).toEqual([[1, 8]]);
      for (const r of hard.remined!) expect(r.stats.negativesChosen).toBeGreaterThan(0);
      expect(ft.runs.find((r) => r.id === 'triplet-hard')!.remined).toBeUndefined();

      // A rerun resumes from the final model and reads the rounds back.
      const log2 = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        expect(await runBench(args, captured().io)).toBe(0);
      } finally {
        log2.mockRestore();
        err.mockRestore();
      }
      const again = (
        JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { fineTune: FineTuneJson }
      ).fineTune;
      const hardAgain = again.runs.find((r) => r.id === 'contrastive-hard')!;
      expect(hardAgain.resumedFrom).toBe(12);
      expect(hardAgain.remined).toEqual(hard.remined);
      expect(hardAgain.checkpoints).toEqual(hard.checkpoints);
    },
  );
});
