import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@rtk/files';
import { metricTable } from '@rtk/cli-kit';

/** The study's headline metrics, in the order its tables print them. */
export interface HeadlineMetrics {
  readonly 'Recall@1': number;
  readonly 'Recall@3': number;
  readonly 'Recall@10': number;
  readonly MRR: number;
}

/** One task's outcome, as written to results JSON and the Markdown report. */
export interface TaskResult {
  readonly task: number;
  readonly title: string;
  /** Rows of the study-style table, name → value. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Everything needed to reproduce the numbers: dataset, split, sizes, model, settings. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Seconds per phase. */
  readonly timings: Readonly<Record<string, number>>;
  /** Plain-language caveats printed under the table (e.g. "fixture model, not E5"). */
  readonly notes: readonly string[];
}

/** Side-by-side table of several systems on the same metrics (e.g. TF-IDF vs E5). */
export function comparisonTable(
  columns: readonly { readonly name: string; readonly metrics: Readonly<Record<string, number>> }[],
): string {
  const first = columns[0];
  if (first === undefined) return '';
  const names = Object.keys(first.metrics);
  const header = `| Metric | ${columns.map((c) => c.name).join(' | ')} |`;
  const rule = `|---|${columns.map(() => '---').join('|')}|`;
  const rows = names.map(
    (m) => `| ${m} | ${columns.map((c) => (c.metrics[m] ?? Number.NaN).toFixed(4)).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}

/** Markdown section for one task: heading, table, notes, settings and timings. */
export function taskMarkdown(result: TaskResult): string {
  const lines = [`## Task ${result.task}: ${result.title}`, '', metricTable(result.metrics), ''];
  for (const note of result.notes) lines.push(`> ${note}`, '');
  lines.push('Settings:', '', '```json', JSON.stringify(result.settings, null, 2), '```', '');
  const t = Object.entries(result.timings).map(([k, v]) => `${k} ${v.toFixed(2)} s`);
  if (t.length > 0) lines.push(`Timings: ${t.join(', ')}`, '');
  return lines.join('\n');
}

/**
 * Write `results.json` and `report.md` under `outDir` (created if missing), atomically.
 * Returns the two paths.
 */
export async function writeReport(
  outDir: string,
  run: {
    readonly startedAt: string;
    readonly command: string;
    readonly results: readonly TaskResult[];
    readonly extra?: string;
    /** Tasks 4–5: settings, checkpoints, TREC runs, timings (see `fineTuneReport`). */
    readonly fineTune?: unknown;
  },
): Promise<{ json: string; markdown: string }> {
  await mkdir(outDir, { recursive: true });
  const json = join(outDir, 'results.json');
  const markdown = join(outDir, 'report.md');
  await writeFileAtomic(json, `${JSON.stringify(run, null, 2)}\n`);
  const md = [
    '# Retrieval benchmark report',
    '',
    `Run ${run.startedAt}: \`${run.command}\``,
    '',
    ...run.results.map(taskMarkdown),
    run.extra ?? '',
  ].join('\n');
  await writeFileAtomic(markdown, md);
  return { json, markdown };
}
