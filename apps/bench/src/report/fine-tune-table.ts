/**
 * The study's fine-tuning tables (`| Metric | Initial | 50 steps | … |`), computed from the
 * checkpoints a run evaluated, with a significance marker against Initial and the study's
 * published figures on their own rows.
 */
import type { HeadlineMetrics } from './markdown.js';
import type { PublishedCheckpoint } from './study.js';

/** The headline metrics, in the study's row order. */
export const HEADLINE: readonly (keyof HeadlineMetrics)[] = [
  'Recall@1',
  'Recall@3',
  'Recall@10',
  'MRR',
];

/** A paired test of one metric against Initial. */
export interface VersusInitial {
  readonly pValue: number;
  readonly significant: boolean;
}

/** One evaluated checkpoint of a run (step 0 is Initial, before any update). */
export interface CheckpointEvaluation {
  readonly step: number;
  readonly metrics: HeadlineMetrics;
  /** Per metric, the paired test against step 0 (absent at step 0). */
  readonly versusInitial?: Partial<Record<keyof HeadlineMetrics, VersusInitial>>;
  /** Per metric, the paired test against the baseline run's checkpoint of the same step. */
  readonly versusBaseline?: Partial<Record<keyof HeadlineMetrics, VersusInitial>>;
}

/** One fine-tuning run as the report shows it. */
export interface FineTuneSeries {
  /** Short stable id, used in file names: `triplet-random`. */
  readonly id: string;
  /** Table heading: `Triplet loss, random negatives`. */
  readonly title: string;
  /** Checkpoints in step order, Initial (step 0) first. */
  readonly checkpoints: readonly CheckpointEvaluation[];
  /** The study's figures for this run, when it published them. */
  readonly study?: readonly PublishedCheckpoint[];
  /**
   * The run each checkpoint is also tested against (`versusBaseline`), on the same grid: for the
   * contrastive run with hard negatives, the in-batch-only one.
   */
  readonly baseline?: {
    readonly id: string;
    readonly title: string;
    readonly checkpoints: readonly CheckpointEvaluation[];
  };
  /** A line printed under the table (what the run trained on). */
  readonly note?: string;
  /** Training loss per optimiser step. */
  readonly losses: readonly { readonly step: number; readonly loss: number }[];
  /** How `versusInitial` was computed: test name, level, number of paired queries. */
  readonly significance?: {
    readonly test: string;
    readonly maxP: number;
    readonly queries: number;
  };
}

/** A table as header + rows of cell text, rendered to Markdown or HTML. */
export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Marker after a value that differs significantly from Initial. */
export const BETTER = '▲';
export const WORSE = '▼';

function columnName(step: number): string {
  return step === 0 ? 'Initial' : step === 1 ? '1 step' : `${step} steps`;
}

/**
 * The study-form table of a run: one row per headline metric (our value, with ▲/▼ when a paired
 * test against Initial is significant), then, when the study published figures for this run, a
 * `(study)` row per metric it reported.
 */
export function fineTuneTable(series: FineTuneSeries): Table {
  const initial = series.checkpoints.find((c) => c.step === 0);
  const header = ['Metric', ...series.checkpoints.map((c) => columnName(c.step))];
  const rows: string[][] = [];
  for (const metric of HEADLINE) {
    rows.push([
      metric,
      ...series.checkpoints.map((c) => {
        const text = c.metrics[metric].toFixed(4);
        const test = c.versusInitial?.[metric];
        if (initial === undefined || test === undefined || !test.significant) return text;
        return `${text}${c.metrics[metric] > initial.metrics[metric] ? BETTER : WORSE}`;
      }),
    ]);
  }
  const baseline = series.baseline;
  if (baseline !== undefined) {
    // Δ against the baseline's checkpoint of the same step, ▲/▼ when its paired test says so.
    for (const metric of HEADLINE) {
      rows.push([
        `Δ ${metric} vs ${baseline.id}`,
        ...series.checkpoints.map((c) => {
          const other = baseline.checkpoints.find((b) => b.step === c.step);
          if (other === undefined || c.step === 0) return '–';
          const d = c.metrics[metric] - other.metrics[metric];
          const text = `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(4)}`;
          const test = c.versusBaseline?.[metric];
          if (test === undefined || !test.significant || d === 0) return text;
          return `${text}${d > 0 ? BETTER : WORSE}`;
        }),
      ]);
    }
  }
  const study = series.study;
  if (study !== undefined) {
    for (const metric of HEADLINE) {
      const published = series.checkpoints.map(
        (c) => study.find((s) => s.step === c.step)?.metrics[metric],
      );
      if (published.every((v) => v === undefined)) continue;
      rows.push([
        `${metric} (study)`,
        ...published.map((v) => (v === undefined ? '–' : v.toFixed(4))),
      ]);
    }
  }
  return { header, rows };
}

/** The legend printed under a table with markers. */
export function significanceLegend(series: FineTuneSeries): string | undefined {
  const s = series.significance;
  if (s === undefined) return undefined;
  const own = `${BETTER}/${WORSE}: better/worse than Initial, ${s.test} paired test over ${s.queries} test queries, p ≤ ${s.maxP}.`;
  if (series.baseline === undefined) return own;
  return `${own} Δ rows: the difference from ${series.baseline.title} at the same step, ${BETTER}/${WORSE} when the same test against that checkpoint is significant.`;
}

/** GitHub-flavoured Markdown. */
export function markdownTable(table: Table): string {
  return [
    `| ${table.header.join(' | ')} |`,
    `|${table.header.map(() => '---').join('|')}|`,
    ...table.rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** An HTML `<table>`, the first column as row headers. */
export function htmlTable(table: Table): string {
  const head = table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = table.rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i === 0 ? `<th>${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export { escapeHtml };
