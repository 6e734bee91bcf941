/**
 * Tasks 4–5 in the report: the study-form tables (printed as each run ends and written to
 * `report.md`), charts as SVG files and in `report.html`, and the `results.json` entry with every
 * setting, the checkpoints, the TREC runs and the timings.
 */
import type { FineTuneTasksResult } from '../tasks/fine-tune-tasks.js';
import {
  lossChartSpec,
  metricsChartSpec,
  renderSvg,
  scoreHistogramSpec,
  versusBaselineChartSpec,
} from './charts.js';
import type { MiningStats } from '@rtk/mining';
import {
  fineTuneTable,
  markdownTable,
  significanceLegend,
  type FineTuneSeries,
  type Table,
} from './fine-tune-table.js';
import { writeHtmlReport, type Chart, type ReportSection } from './html.js';

/** What the bench knows about the invocation. */
export interface FineTuneReportContext {
  readonly outDir: string;
  readonly command: string;
  readonly startedAt: string;
  /** The starting model is the repository's random test fixture, not E5. */
  readonly fixture: boolean;
  /** The caveat printed above the tables in place of the fixture's. */
  readonly caveat?: string;
  readonly model: string;
  readonly data: unknown;
  /** The TF.js backend that trained. */
  readonly backend: string;
}

const TASK_TITLES: Record<number, string> = {
  4: 'Task 4: fine-tuning with triplet (random negatives) and contrastive loss',
  5: 'Task 5: triplet loss with hard negatives (and, beyond the study, contrastive loss with them)',
};

/** The notes printed under the task 5 table: does it fix what random negatives broke? */
function hardVersusRandom(result: FineTuneTasksResult): string | undefined {
  const hard = result.runs.find((r) => r.series.id === 'triplet-hard')?.series;
  const random = result.runs.find((r) => r.series.id === 'triplet-random')?.series;
  if (hard === undefined || random === undefined) return undefined;
  const last = (s: FineTuneSeries) => s.checkpoints.at(-1)!;
  const initial = hard.checkpoints[0]!.metrics.MRR;
  const h = last(hard);
  const r = last(random);
  const verdict =
    h.metrics.MRR > r.metrics.MRR
      ? 'hard negatives end above random ones'
      : h.metrics.MRR < r.metrics.MRR
        ? 'hard negatives end below random ones'
        : 'hard and random negatives end level';
  const versus = h.metrics.MRR >= initial ? 'at or above Initial' : 'still below Initial';
  return `After ${h.step} steps, MRR ${h.metrics.MRR.toFixed(4)} with hard negatives against ${r.metrics.MRR.toFixed(4)} with random ones (Initial ${initial.toFixed(4)}): ${verdict}, ${versus}.`;
}

/** The mining statistics of every round of a re-mined run (round 0: the first mining). */
function remineTable(run: FineTuneTasksResult['runs'][number]): Table {
  const first = run.firstMining;
  const rows: {
    round: number;
    step: number;
    stats: MiningStats;
    with: number;
    of: number;
    fresh: number;
  }[] = [
    ...(first === undefined ? [] : [{ round: 0, step: 0, ...first, fresh: first.with }]),
    ...run.remined.map((r) => ({
      round: r.round,
      step: r.step,
      stats: r.stats,
      with: r.withNegatives,
      of: r.examples,
      fresh: r.fresh,
    })),
  ];
  const removed = (s: MiningStats) =>
    s.removed.absoluteMargin + s.removed.relativeMargin + s.removed.maxScore + s.removed.minScore;
  // A round that chose no negative has no score summary (its mean, NaN, reads back as null).
  const fmt = (x: number | null | undefined) =>
    typeof x === 'number' && Number.isFinite(x) ? x.toFixed(4) : '–';
  return {
    header: [
      'Round',
      'After step',
      'With a negative',
      'Fresh this round',
      'Queries short',
      'Removed by guards',
      'Positive score (mean)',
      'Negative score (mean)',
    ],
    rows: rows.map((r) => [
      String(r.round),
      String(r.step),
      `${r.with} of ${r.of}`,
      String(r.fresh),
      `${r.stats.queriesShort} of ${r.stats.queries}`,
      `${removed(r.stats)} of ${r.stats.candidatesSeen}`,
      fmt(r.stats.positiveScores?.mean),
      fmt(r.stats.negativeScores?.mean),
    ]),
  };
}

/**
 * Print the tables, write the charts and `report.html`; return the Markdown for `report.md` and
 * the JSON for `results.json`.
 */
export async function fineTuneReport(
  result: FineTuneTasksResult,
  context: FineTuneReportContext,
): Promise<{ markdown: string; json: unknown; html: string }> {
  const md: string[] = [];
  const sections: ReportSection[] = [];
  const caveat =
    context.caveat ??
    (context.fixture
      ? `The starting model is the repository's tiny random test fixture (${context.model}), NOT E5, trained on the shipped sample: the tables show the machinery working, not the study's numbers. Run without --offline for E5 on Natural Questions.`
      : undefined);
  for (const task of [4, 5]) {
    const runs = result.runs.filter((r) => r.task === task);
    if (runs.length === 0) continue;
    const heading = TASK_TITLES[task]!;
    md.push(`## ${heading}`, '');
    if (caveat !== undefined) md.push(`> ${caveat}`, '');
    const tables: { table: ReturnType<typeof fineTuneTable>; caption: string; legend?: string }[] =
      [];
    const charts: Chart[] = [];
    const paragraphs: string[] = caveat === undefined ? [] : [caveat];
    for (const run of runs) {
      const table = fineTuneTable(run.series);
      const legend = [significanceLegend(run.series), run.series.note]
        .filter((l) => l !== undefined)
        .join(' ');
      const text = `### ${run.series.title}\n\n${markdownTable(table)}\n${legend === '' ? '' : `\n${legend}\n`}`;
      console.log(`\n${text}`);
      md.push(text);
      tables.push({
        table,
        caption: run.series.title,
        ...(legend === '' ? {} : { legend }),
      });
      if (run.series.baseline !== undefined) {
        charts.push({
          file: `task${task}-${run.series.id}-vs-${run.series.baseline.id}.svg`,
          title: `${run.series.title} against ${run.series.baseline.title}, paired test at each checkpoint`,
          svg: await renderSvg(versusBaselineChartSpec(run.series)),
        });
      }
      charts.push({
        file: `task${task}-${run.series.id}-metrics.svg`,
        title: `${run.series.title}: R@1, R@3, R@10 and MRR against steps`,
        svg: await renderSvg(metricsChartSpec(run.series)),
      });
      // One loss chart per run: triplet (euclidean, margin 5) and InfoNCE losses differ in scale.
      charts.push({
        file: `task${task}-${run.series.id}-loss.svg`,
        title: `${run.series.title}: training loss per step`,
        svg: await renderSvg(lossChartSpec([run.series], `${run.series.title}: training loss`)),
      });
    }
    if (task === 5) {
      const note = hardVersusRandom(result);
      if (note !== undefined) {
        md.push(note, '');
        paragraphs.push(note);
      }
    }
    for (const m of result.mining.filter((x) => x.title.startsWith(`Task ${task}`))) {
      md.push(`#### ${m.title}`, '', '```text', m.table, '```', '');
      paragraphs.push(
        `${m.title}: ${m.stats.negativesChosen} negatives for ${m.stats.queries} queries.`,
      );
      if (m.negativeScores.length > 0) {
        charts.push({
          file: `task${task}-mining-scores.svg`,
          title: `${m.title}: scores of the chosen negatives`,
          svg: await renderSvg(
            scoreHistogramSpec(
              [{ label: 'chosen negatives', scores: m.negativeScores }],
              `${m.title}: scores of the chosen negatives`,
            ),
          ),
        });
      }
    }
    for (const run of runs.filter((r) => r.remined.length > 0)) {
      const table = remineTable(run);
      const title = `Re-mining during ${run.series.title}`;
      const legend = `Round 0: the mining before training; round k: mined again after step k × ${result.settings.remineEvery ?? '?'} with the weights being trained (ONNX export, dense retrieval, the same window, guards and seed). "With a negative": the run's training examples that have one; "fresh this round": those whose negative this round chose (a query the guards left without one keeps its previous negative).`;
      const text = `#### ${title}\n\n${markdownTable(table)}\n\n${legend}\n`;
      console.log(`\n${text}`);
      md.push(text);
      tables.push({ table, caption: title, legend });
    }
    sections.push({ heading, paragraphs, tables, charts });
  }
  const { html } = await writeHtmlReport(context.outDir, {
    title: 'Retrieval benchmark report: fine-tuning (tasks 4–5)',
    subtitle: `${context.command} · ${context.startedAt} · TF.js backend ${context.backend}`,
    sections,
  });
  const json = {
    model: context.model,
    fixture: context.fixture,
    backend: context.backend,
    steps: result.steps,
    settings: result.settings,
    data: context.data,
    initialSeconds: result.initialSeconds,
    mining: result.mining.map((m) => ({ title: m.title, stats: m.stats, seconds: m.seconds })),
    runs: result.runs.map((r) => ({
      task: r.task,
      id: r.series.id,
      title: r.series.title,
      checkpoints: r.series.checkpoints,
      checkpointFolders: r.checkpoints,
      trecRuns: r.runs,
      resumedFrom: r.resumedFrom,
      seconds: r.seconds,
      secondsPerStep: r.secondsPerStep ?? null,
      losses: r.series.losses,
      significance: r.series.significance,
      ...(r.remined.length === 0 ? {} : { remined: r.remined }),
    })),
  };
  return { markdown: md.join('\n'), json, html };
}
