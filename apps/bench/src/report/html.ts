/**
 * The self-contained `report.html`: tables and inline SVG charts, no scripts, no external files,
 * so it opens the same from a disk, a CI artifact or an e-mail.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@rtk/files';
import { escapeHtml, htmlTable, type Table } from './fine-tune-table.js';

/** A chart of the report: its file name under `charts/` and its SVG. */
export interface Chart {
  /** File name, `[a-z0-9-]+.svg`. */
  readonly file: string;
  readonly title: string;
  readonly svg: string;
}

/** One section: a heading, paragraphs of plain text, tables with legends, charts. */
export interface ReportSection {
  readonly heading: string;
  readonly paragraphs?: readonly string[];
  readonly tables?: readonly {
    readonly table: Table;
    readonly caption?: string;
    readonly legend?: string;
  }[];
  readonly charts?: readonly Chart[];
}

/** The page's content. */
export interface HtmlReport {
  readonly title: string;
  /** A line under the title: the command and when it ran. */
  readonly subtitle: string;
  readonly sections: readonly ReportSection[];
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.subtitle { color: #555; margin-top: 0; font-family: ui-monospace, monospace; font-size: 0.85rem; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.6rem; text-align: right; }
thead th { background: #f3f3f3; }
thead th:first-child { text-align: left; }
figure svg text { font-family: system-ui, sans-serif; }
tbody th { text-align: left; font-weight: 500; }
.legend { color: #555; font-size: 0.85rem; margin-top: -0.4rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
`;

/** The report as one HTML document. */
export function renderHtmlReport(report: HtmlReport): string {
  const charts = report.sections.reduce((n, s) => n + (s.charts?.length ?? 0), 0);
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    `<body data-charts="${charts}">`,
    `<h1>${escapeHtml(report.title)}</h1>`,
    `<p class="subtitle">${escapeHtml(report.subtitle)}</p>`,
  ];
  for (const section of report.sections) {
    parts.push(`<section>`, `<h2>${escapeHtml(section.heading)}</h2>`);
    for (const p of section.paragraphs ?? []) parts.push(`<p>${escapeHtml(p)}</p>`);
    for (const t of section.tables ?? []) {
      if (t.caption !== undefined) parts.push(`<h3>${escapeHtml(t.caption)}</h3>`);
      parts.push(htmlTable(t.table));
      if (t.legend !== undefined) parts.push(`<p class="legend">${escapeHtml(t.legend)}</p>`);
    }
    for (const c of section.charts ?? []) {
      parts.push(
        `<figure data-chart="${escapeHtml(c.file)}">`,
        c.svg,
        `<figcaption>${escapeHtml(c.title)} (<code>charts/${escapeHtml(c.file)}</code>)</figcaption>`,
        '</figure>',
      );
    }
    parts.push('</section>');
  }
  parts.push('</body>', '</html>', '');
  return parts.join('\n');
}

/**
 * Write `report.html` and every chart as `charts/<file>` under `outDir`, each atomically.
 * Returns the paths written.
 */
export async function writeHtmlReport(
  outDir: string,
  report: HtmlReport,
): Promise<{ html: string; charts: string[] }> {
  const dir = join(outDir, 'charts');
  await mkdir(dir, { recursive: true });
  const charts: string[] = [];
  for (const section of report.sections) {
    for (const chart of section.charts ?? []) {
      if (!/^[a-z0-9-]+\.svg$/.test(chart.file)) {
        throw new Error(`chart file name ${JSON.stringify(chart.file)} is not [a-z0-9-]+.svg`);
      }
      const path = join(dir, chart.file);
      await writeFileAtomic(path, chart.svg);
      charts.push(path);
    }
  }
  const html = join(outDir, 'report.html');
  await writeFileAtomic(html, renderHtmlReport(report));
  return { html, charts };
}
