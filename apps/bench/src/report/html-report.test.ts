import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  lossChartSpec,
  metricsChartSpec,
  renderSvg,
  scoreHistogramSpec,
  versusBaselineChartSpec,
} from './charts.js';
import {
  fineTuneTable,
  markdownTable,
  significanceLegend,
  type FineTuneSeries,
} from './fine-tune-table.js';
import { renderHtmlReport, writeHtmlReport, type HtmlReport } from './html.js';
import { checkReportRenders, chromiumPath } from './render-check.js';
import { STUDY_TRIPLET_RANDOM } from './study.js';

const m = (r1: number, r3: number, r10: number, mrr: number) => ({
  'Recall@1': r1,
  'Recall@3': r3,
  'Recall@10': r10,
  MRR: mrr,
});

const series: FineTuneSeries = {
  id: 'triplet-random',
  title: 'Triplet loss, random negatives',
  checkpoints: [
    { step: 0, metrics: m(0.5, 0.7, 0.9, 0.62) },
    {
      step: 50,
      metrics: m(0.55, 0.7, 0.9, 0.66),
      versusInitial: {
        'Recall@1': { pValue: 0.004, significant: true },
        MRR: { pValue: 0.02, significant: false },
      },
    },
    {
      step: 100,
      metrics: m(0.45, 0.69, 0.88, 0.6),
      versusInitial: { 'Recall@1': { pValue: 0.001, significant: true } },
    },
  ],
  study: STUDY_TRIPLET_RANDOM,
  losses: Array.from({ length: 100 }, (_, i) => ({ step: i + 1, loss: 1 / (1 + i / 10) })),
  significance: { test: 'student', maxP: 0.01, queries: 200 },
};

// A run tested against a baseline on the same grid (contrastive with hard negatives against
// in-batch contrastive).
const withBaseline: FineTuneSeries = {
  id: 'contrastive-hard',
  title: 'Beyond the study: contrastive loss, hard negatives (bm25) as extra candidates',
  checkpoints: [
    { step: 0, metrics: m(0.5, 0.7, 0.9, 0.62) },
    {
      step: 150,
      metrics: m(0.6, 0.75, 0.9, 0.7),
      versusInitial: { 'Recall@1': { pValue: 0.001, significant: true } },
      versusBaseline: {
        'Recall@1': { pValue: 0.004, significant: true },
        MRR: { pValue: 0.5, significant: false },
        'Recall@10': { pValue: 0.001, significant: true },
      },
    },
  ],
  baseline: {
    id: 'contrastive',
    title: 'Contrastive loss (in-batch negatives)',
    checkpoints: [
      { step: 0, metrics: m(0.5, 0.7, 0.9, 0.62) },
      { step: 150, metrics: m(0.55, 0.75, 0.92, 0.69) },
    ],
  },
  losses: [{ step: 1, loss: 1 }],
  significance: { test: 'student', maxP: 0.01, queries: 200 },
};

describe('a run against its baseline', () => {
  it('adds a Δ row per metric with ▲/▼ from the paired test against the same step', () => {
    const rows = markdownTable(fineTuneTable(withBaseline)).split('\n').slice(6);
    expect(rows).toEqual([
      '| Δ Recall@1 vs contrastive | – | +0.0500▲ |',
      '| Δ Recall@3 vs contrastive | – | +0.0000 |',
      '| Δ Recall@10 vs contrastive | – | −0.0200▼ |',
      '| Δ MRR vs contrastive | – | +0.0100 |',
    ]);
    expect(significanceLegend(withBaseline)).toContain(
      'Δ rows: the difference from Contrastive loss (in-batch negatives) at the same step',
    );
  });

  it('charts both runs per metric with a marker per verdict, and renders', async () => {
    const spec = versusBaselineChartSpec(withBaseline) as unknown as {
      data: { values: { run: string; metric: string; step: number; test: string }[] };
    };
    const verdict = (metric: string, step: number) =>
      spec.data.values.find(
        (v) => v.run === 'contrastive-hard' && v.metric === metric && v.step === step,
      )?.test;
    expect(verdict('Recall@1', 150)).toBe('significantly better');
    expect(verdict('Recall@10', 150)).toBe('significantly worse');
    expect(verdict('MRR', 150)).toBe('not significant');
    expect(verdict('MRR', 0)).toBe('no test (Initial)');
    expect(spec.data.values.filter((v) => v.run === 'contrastive (baseline)')).toHaveLength(8);
    expect(await renderSvg(versusBaselineChartSpec(withBaseline))).toContain('<svg');
    expect(() => versusBaselineChartSpec(series)).toThrow(/no baseline/);
  });
});

describe('fineTuneTable', () => {
  it("prints the study's form, marks significant changes and adds the study's rows", () => {
    const md = markdownTable(fineTuneTable(series));
    expect(md.split('\n')).toEqual([
      '| Metric | Initial | 50 steps | 100 steps |',
      '|---|---|---|---|',
      '| Recall@1 | 0.5000 | 0.5500▲ | 0.4500▼ |',
      '| Recall@3 | 0.7000 | 0.7000 | 0.6900 |',
      '| Recall@10 | 0.9000 | 0.9000 | 0.8800 |',
      '| MRR | 0.6200 | 0.6600 | 0.6000 |',
      // The study published R@1 and MRR at these steps, R@3 and R@10 only for Initial.
      '| Recall@1 (study) | 0.5978 | 0.5958 | 0.5898 |',
      '| Recall@3 (study) | 0.7999 | – | – |',
      '| Recall@10 (study) | 0.9069 | – | – |',
      '| MRR (study) | 0.7117 | 0.7102 | 0.7035 |',
    ]);
    expect(significanceLegend(series)).toBe(
      '▲/▼: better/worse than Initial, student paired test over 200 test queries, p ≤ 0.01.',
    );
  });

  it('has no study rows for a run the study never reported', () => {
    const { study: _, ...ours } = series;
    expect(fineTuneTable(ours).rows.map((r) => r[0])).toEqual([
      'Recall@1',
      'Recall@3',
      'Recall@10',
      'MRR',
    ]);
  });
});

describe('charts', () => {
  it('render to SVG with one line per metric and source', async () => {
    const svg = await renderSvg(metricsChartSpec(series));
    expect(svg.startsWith('<svg')).toBe(true);
    // 4 metrics × (ours, study) lines; the study's R@3/R@10 have one point each (Initial only).
    const lines = svg.match(/class="mark-line role-mark[^"]*"/g) ?? [];
    expect(lines.length).toBeGreaterThan(0);
    expect(svg).toContain('Recall@10');
    expect(svg).toContain('study');
    const loss = await renderSvg(lossChartSpec([series], 'Training loss'));
    expect(loss).toContain('Training loss');
    const hist = await renderSvg(
      scoreHistogramSpec(
        [
          { label: 'positives', scores: [0.9, 0.85, 0.8, 0.95] },
          { label: 'negatives', scores: [0.5, 0.6, 0.55, 0.7] },
        ],
        'Mining scores',
      ),
    );
    expect(hist).toMatch(/mark-rect/);
  });
});

async function sampleReport(): Promise<HtmlReport> {
  return {
    title: 'Retrieval benchmark report',
    subtitle: 'pnpm bench --task 4 --offline',
    sections: [
      {
        heading: 'Task 4: triplet loss, random negatives',
        paragraphs: ['A <tiny> model & a small sample.'],
        tables: [{ table: fineTuneTable(series), legend: significanceLegend(series) }],
        charts: [
          {
            file: 'task4-triplet-random-metrics.svg',
            title: 'Test metrics against steps',
            svg: await renderSvg(metricsChartSpec(series)),
          },
          {
            file: 'task4-loss.svg',
            title: 'Training loss',
            svg: await renderSvg(lossChartSpec([series], 'Training loss')),
          },
        ],
      },
    ],
  };
}

describe('report.html', () => {
  it('is one self-contained page: escaped text, inline charts, the same SVGs as files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtk-report-'));
    const report = await sampleReport();
    const { html, charts } = await writeHtmlReport(dir, report);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<body data-charts="2">');
    expect(page).toContain('A &lt;tiny&gt; model &amp; a small sample.');
    expect(page).not.toMatch(/<script|src="http|href="http/);
    expect((await readdir(join(dir, 'charts'))).sort()).toEqual([
      'task4-loss.svg',
      'task4-triplet-random-metrics.svg',
    ]);
    for (const file of charts) expect(page).toContain(await readFile(file, 'utf8'));
    expect(renderHtmlReport(report)).toBe(page);
    await expect(
      writeHtmlReport(dir, {
        ...report,
        sections: [{ heading: 'x', charts: [{ file: '../evil.svg', title: '', svg: '' }] }],
      }),
    ).rejects.toThrow(/is not \[a-z0-9-\]\+\.svg/);
  });

  const chromium = chromiumPath();
  it.skipIf(chromium === undefined)(
    'renders in headless Chromium with its charts, and the check fires on a broken page',
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rtk-report-'));
      const { html } = await writeHtmlReport(dir, await sampleReport());
      const good = await checkReportRenders(html, { executablePath: chromium! });
      expect(good.problems).toEqual([]);
      expect(good.charts).toHaveLength(2);
      for (const c of good.charts) expect(c.marks).toBeGreaterThan(0);

      // Planted: an announced chart missing, an empty SVG, a script error.
      const broken = (await readFile(html, 'utf8'))
        .replace('data-charts="2"', 'data-charts="3"')
        .replace(/<svg[\s\S]*?<\/svg>/, '<svg width="300" height="200"></svg>')
        .replace('</body>', '<script>undefinedFunction()</script></body>');
      const bad = join(dir, 'broken.html');
      await writeFile(bad, broken);
      const seen = await checkReportRenders(bad, { executablePath: chromium! });
      expect(seen.problems).toContain('3 charts announced, 2 on the page');
      expect(seen.problems.some((p) => /draws no marks/.test(p))).toBe(true);
      expect(seen.problems.some((p) => /undefinedFunction/.test(p))).toBe(true);
    },
  );
});
