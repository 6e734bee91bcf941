import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CliIo } from '@rtk/cli-kit';
import { readTrecRun } from '@rtk/metrics';
import { runBench } from './bench.js';
import { scaleSteps } from './tasks/fine-tune.js';

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
    checkpoints: { step: number; metrics: Record<string, number>; versusInitial?: unknown }[];
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

      const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
        fineTune: FineTuneJson;
      };
      const ft = results.fineTune;
      expect(ft.steps).toEqual({ triplet: [1, 2, 3], contrastive: [3, 6, 9, 12] });
      expect(ft.runs.map((r) => r.id)).toEqual(['triplet-random', 'contrastive', 'triplet-hard']);
      for (const run of ft.runs) {
        const grid = run.id === 'contrastive' ? ft.steps.contrastive : ft.steps.triplet;
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

      const html = await readFile(join(out, 'report.html'), 'utf8');
      const charts = (await readdir(join(out, 'charts'))).sort();
      expect(charts).toEqual([
        'task4-contrastive-loss.svg',
        'task4-contrastive-metrics.svg',
        'task4-triplet-random-loss.svg',
        'task4-triplet-random-metrics.svg',
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
      expect(rerun.runs.map((r) => r.resumedFrom)).toEqual([3, 12, 3]);
      expect(rerun.runs.map((r) => r.checkpoints)).toEqual(ft.runs.map((r) => r.checkpoints));
      expect(stderr).toContain('resuming from');
      expect(stderr).not.toMatch(/step 3: index/); // no checkpoint was evaluated again
    },
  );
});
