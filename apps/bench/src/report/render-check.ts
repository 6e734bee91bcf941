/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Opens a `report.html` in headless Chromium and checks what a reader would see: the page loads
 * without console errors, every chart the page announces is there as a non-empty SVG with drawn
 * marks, and the tables are present. Optionally writes a full-page screenshot.
 *
 * `pnpm --filter @rtk/bench bench:report-check <report.html> [--screenshot <file.png>]`; the browser
 * is `$CHROMIUM` or Debian's `/usr/bin/chromium` (`apt-get install -y chromium`).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from 'puppeteer-core';

/** What the page showed. */
export interface RenderCheck {
  /** Charts the page announces (`<body data-charts>`). */
  readonly announced: number;
  /** Per chart figure: file name, rendered width × height in CSS pixels, drawn mark elements. */
  readonly charts: readonly {
    readonly file: string;
    readonly width: number;
    readonly height: number;
    readonly marks: number;
  }[];
  readonly tables: number;
  /** Console errors and uncaught page errors, in order. */
  readonly errors: readonly string[];
  /** Problems found; empty when the page renders as it should. */
  readonly problems: readonly string[];
}

/** The Chromium to drive: `$CHROMIUM`, else `/usr/bin/chromium` when it exists. */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** Load `htmlFile` in headless Chromium and report what rendered (see {@link RenderCheck}). */
export async function checkReportRenders(
  htmlFile: string,
  options: { readonly executablePath: string; readonly screenshot?: string },
): Promise<RenderCheck> {
  const browser = await launch({
    executablePath: options.executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${String(e)}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(resolve(htmlFile)).href, { waitUntil: 'load' });
    const seen = await page.evaluate(() => {
      const figures = [...document.querySelectorAll('figure[data-chart]')];
      return {
        announced: Number(document.body.dataset.charts ?? 'NaN'),
        tables: document.querySelectorAll('table').length,
        charts: figures.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            file: f.getAttribute('data-chart') ?? '',
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            // Drawn marks: vega writes lines, bars and points as <path> inside mark groups.
            marks: svg?.querySelectorAll('g[class^="mark-"] path').length ?? 0,
          };
        }),
      };
    });
    if (options.screenshot !== undefined) {
      await page.screenshot({ path: options.screenshot, fullPage: true });
    }
    const problems: string[] = [...errors];
    if (!(seen.announced >= 0))
      problems.push('the page does not announce its charts (data-charts)');
    if (seen.charts.length !== seen.announced) {
      problems.push(`${seen.announced} charts announced, ${seen.charts.length} on the page`);
    }
    for (const c of seen.charts) {
      if (c.width < 50 || c.height < 50) {
        problems.push(`chart ${c.file} renders at ${c.width}×${c.height} px`);
      }
      if (c.marks === 0) problems.push(`chart ${c.file} draws no marks`);
    }
    if (seen.tables === 0) problems.push('no table on the page');
    return { ...seen, errors, problems };
  } finally {
    await browser.close();
  }
}

async function main(args: readonly string[]): Promise<number> {
  const [file, flag, shot] = args;
  if (
    file === undefined ||
    (flag !== undefined && (flag !== '--screenshot' || shot === undefined))
  ) {
    console.error('usage: bench:report-check <report.html> [--screenshot <file.png>]');
    return 2;
  }
  const executablePath = chromiumPath();
  if (executablePath === undefined) {
    console.error(
      'bench:report-check: no Chromium found; install it (apt-get install -y chromium) or set CHROMIUM',
    );
    return 2;
  }
  const result = await checkReportRenders(file, {
    executablePath,
    ...(shot === undefined ? {} : { screenshot: shot }),
  });
  for (const c of result.charts) {
    console.log(
      `chart ${c.file}: ${Math.round(c.width)}×${Math.round(c.height)} px, ${c.marks} marks`,
    );
  }
  console.log(`${result.tables} tables, ${result.errors.length} console errors`);
  for (const p of result.problems) console.error(`problem: ${p}`);
  if (shot !== undefined) console.log(`screenshot: ${shot}`);
  return result.problems.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
