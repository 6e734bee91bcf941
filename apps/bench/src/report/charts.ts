/**
 * The report's charts: Vega-Lite specifications compiled with `vega-lite` and rendered to SVG by
 * `vega` in Node (no browser, no canvas: the SVG renderer measures text with its own estimate).
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { HEADLINE, type FineTuneSeries } from './fine-tune-table.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Render a Vega-Lite specification to a standalone SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * R@1, R@3, R@10 and MRR against steps for one run: ours as solid lines with points, the study's
 * published figures (where it has them) dashed, one colour per metric.
 */
export function metricsChartSpec(series: FineTuneSeries): TopLevelSpec {
  const values: { step: number; metric: string; value: number; source: string }[] = [];
  for (const c of series.checkpoints) {
    for (const metric of HEADLINE) {
      values.push({ step: c.step, metric, value: c.metrics[metric], source: 'ours' });
    }
  }
  for (const s of series.study ?? []) {
    for (const metric of HEADLINE) {
      const value = s.metrics[metric];
      if (value !== undefined) values.push({ step: s.step, metric, value, source: 'study' });
    }
  }
  return {
    $schema: SCHEMA,
    title: {
      text: `${series.title}: test metrics against steps`,
      subtitle:
        (series.study ?? []).length > 0
          ? "solid: ours · dashed: the study's published values"
          : 'ours',
    },
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'step',
        type: 'quantitative',
        title: 'optimiser steps',
        axis: { tickMinStep: 1, format: 'd' },
      },
      y: { field: 'value', type: 'quantitative', title: 'value', scale: { zero: false } },
      color: { field: 'metric', type: 'nominal', sort: [...HEADLINE], title: 'metric' },
      strokeDash: {
        field: 'source',
        type: 'nominal',
        sort: ['ours', 'study'],
        scale: {
          domain: ['ours', 'study'],
          range: [
            [1, 0],
            [5, 4],
          ],
        },
        legend: null,
      },
      detail: { field: 'source' },
      tooltip: [
        { field: 'source' },
        { field: 'metric' },
        { field: 'step' },
        { field: 'value', format: '.4f' },
      ],
    },
  };
}

/**
 * Training loss per optimiser step, every run of a task on one chart: each step's loss faint, a
 * centred moving average over `window` steps (default 1/20 of the longest run, at least 1) on top.
 */
export function lossChartSpec(
  runs: readonly FineTuneSeries[],
  title: string,
  window?: number,
): TopLevelSpec {
  const values = runs.flatMap((r) =>
    r.losses.map((l) => ({ run: r.title, step: l.step, loss: l.loss })),
  );
  const longest = Math.max(1, ...runs.map((r) => r.losses.length));
  const w = window ?? Math.max(1, Math.round(longest / 20));
  const x = {
    field: 'step',
    type: 'quantitative',
    title: 'optimiser step',
    axis: { tickMinStep: 1, format: 'd' },
  } as const;
  const color = {
    field: 'run',
    type: 'nominal',
    title: 'run',
    legend: { labelLimit: 320, symbolOpacity: 1, symbolStrokeWidth: 2 },
  } as const;
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: `faint: each step · bold: mean over ${w} steps` },
    width: 420,
    height: 240,
    data: { values },
    layer: [
      {
        transform: [
          {
            window: [{ op: 'mean', field: 'loss', as: 'smoothed' }],
            frame: [-Math.floor(w / 2), Math.ceil(w / 2) - 1],
            groupby: ['run'],
            sort: [{ field: 'step' }],
          },
        ],
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: 'smoothed',
            type: 'quantitative',
            title: 'training loss',
            scale: { zero: false },
          },
          color,
        },
      },
      {
        mark: { type: 'line', opacity: 0.25, strokeWidth: 1 },
        encoding: {
          x,
          y: { field: 'loss', type: 'quantitative' },
          color,
        },
      },
    ],
  };
}

/** Score histograms (e.g. positives against chosen negatives of a mining run), overlaid. */
export function scoreHistogramSpec(
  groups: readonly { readonly label: string; readonly scores: readonly number[] }[],
  title: string,
): TopLevelSpec {
  const values = groups.flatMap((g) => g.scores.map((score) => ({ group: g.label, score })));
  return {
    $schema: SCHEMA,
    title,
    width: 420,
    height: 220,
    data: { values },
    mark: { type: 'bar', opacity: 0.6, binSpacing: 0 },
    encoding: {
      x: { field: 'score', type: 'quantitative', bin: { maxbins: 40 }, title: 'score' },
      y: { aggregate: 'count', type: 'quantitative', stack: null, title: 'texts' },
      color: { field: 'group', type: 'nominal', title: '' },
    },
  };
}

/**
 * A run against its baseline (`series.baseline`, same grid), one panel per headline metric: both
 * runs' values against steps, and on the run's points a triangle up (down) where the paired test
 * against the baseline's checkpoint of that step finds it significantly better (worse), a circle
 * where it does not.
 */
export function versusBaselineChartSpec(series: FineTuneSeries): TopLevelSpec {
  const baseline = series.baseline;
  if (baseline === undefined) throw new TypeError(`${series.id} has no baseline to chart against`);
  // Short run names in the legend (the title has the full ones).
  const base = `${baseline.id} (baseline)`;
  const own = series.id;
  const values: {
    step: number;
    metric: string;
    value: number;
    run: string;
    test: string;
  }[] = [];
  for (const c of baseline.checkpoints) {
    for (const metric of HEADLINE) {
      values.push({
        step: c.step,
        metric,
        value: c.metrics[metric],
        run: base,
        test: '',
      });
    }
  }
  for (const c of series.checkpoints) {
    for (const metric of HEADLINE) {
      const other = baseline.checkpoints.find((b) => b.step === c.step);
      const test = c.versusBaseline?.[metric];
      const delta = other === undefined ? 0 : c.metrics[metric] - other.metrics[metric];
      const verdict =
        c.step === 0 || test === undefined
          ? 'no test (Initial)'
          : test.significant && delta > 0
            ? 'significantly better'
            : test.significant && delta < 0
              ? 'significantly worse'
              : 'not significant';
      values.push({
        step: c.step,
        metric,
        value: c.metrics[metric],
        run: own,
        test: verdict,
      });
    }
  }
  const x = {
    field: 'step',
    type: 'quantitative',
    title: 'optimiser steps',
    axis: { tickMinStep: 1, format: 'd' },
  } as const;
  const y = { field: 'value', type: 'quantitative', title: null, scale: { zero: false } } as const;
  const color = {
    field: 'run',
    type: 'nominal',
    title: 'run',
    sort: [base, own],
    legend: { labelLimit: 400, orient: 'bottom', direction: 'vertical' },
  } as const;
  const verdicts = [
    'significantly better',
    'significantly worse',
    'not significant',
    'no test (Initial)',
  ];
  const s = series.significance;
  return {
    $schema: SCHEMA,
    title: {
      text: `${series.title}: against ${baseline.title}`,
      subtitle: `markers: ${s === undefined ? 'paired' : `${s.test} paired`} test against the baseline's checkpoint of the same step${s === undefined ? '' : `, p ≤ ${s.maxP}`}`,
    },
    data: { values },
    facet: { field: 'metric', type: 'nominal', sort: [...HEADLINE], title: null },
    columns: 2,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 240,
      height: 150,
      layer: [
        { mark: { type: 'line' }, encoding: { x, y, color } },
        {
          transform: [{ filter: `datum.run === ${JSON.stringify(base)}` }],
          mark: { type: 'point', filled: true, size: 30 },
          encoding: { x, y, color },
        },
        {
          transform: [{ filter: `datum.run === ${JSON.stringify(own)}` }],
          mark: { type: 'point', filled: true, size: 90 },
          encoding: {
            x,
            y,
            color,
            shape: {
              field: 'test',
              type: 'nominal',
              title: 'against the baseline',
              scale: {
                domain: verdicts,
                range: ['triangle-up', 'triangle-down', 'circle', 'square'],
              },
              legend: { orient: 'bottom', direction: 'vertical', labelLimit: 400 },
            },
            tooltip: [
              { field: 'run' },
              { field: 'metric' },
              { field: 'step' },
              { field: 'value', format: '.4f' },
              { field: 'test' },
            ],
          },
        },
      ],
    },
  };
}
