import cliProgress from 'cli-progress';
import { palette, type Environment } from './colour.js';

/** A progress callback plus the means to finish its bar. */
export interface ProgressBar {
  /** `detail`: a short text shown after the ETA (e.g. the current loss); optional. */
  readonly update: (done: number, total: number | undefined, detail?: string) => void;
  readonly stop: () => void;
}

/** Where {@link progressBar} draws. */
export interface ProgressBarOptions {
  /** Default `process.stderr`. */
  readonly stream?: NodeJS.WriteStream;
  /** Default `process.env` (read for `NO_COLOR`). */
  readonly env?: Environment;
  /**
   * Off a terminal, one plain progress line this often (milliseconds), also while no progress
   * is reported (a stalled download says so). Default 10 000.
   */
  readonly lineEveryMs?: number;
}

/** Off a terminal: a progress line every 10 s, which a CI log or a `tail -f` can follow. */
const LINE_EVERY_MS = 10_000;

/** `n` with thousands separators (`12,345,678`), so byte counts can be read at a glance. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Seconds left, as a person reads them: `45 s`, `12 min`, `2 h 05 min`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * A terminal progress bar for one phase (`label`), fed by the toolkit's
 * `onProgress(done, total)` callbacks. On a terminal it draws a bar (the bar coloured unless
 * `NO_COLOR` is set). On anything else (CI logs, pipes) nothing is redrawn: a plain line
 * (`label: done/total unit (p%), rate unit/s, s elapsed, eta …, detail`) every `lineEveryMs`
 * (10 s) while the phase runs, also when no progress came in since the last line (`no progress
 * for N s`, and no ETA), so a stall shows. `stop` prints one summary line with the rate either way.
 *
 * Related: {@link withProgress} opens and always closes one around a piece of work.
 */
export function progressBar(
  label: string,
  unit: string,
  options: ProgressBarOptions = {},
): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const colours = palette(stream, options.env);
  const started = performance.now();
  let last = 0;
  let lastTotal: number | undefined;
  let lastDetail = '';
  let bar: cliProgress.SingleBar | undefined;
  let lines: ReturnType<typeof setInterval> | undefined;
  if (stream.isTTY !== true) {
    const every = options.lineEveryMs ?? LINE_EVERY_MS;
    let changedAt = started;
    let reported = 0;
    lines = setInterval(() => {
      const now = performance.now();
      if (last !== reported) changedAt = now;
      reported = last;
      const seconds = (now - started) / 1000;
      const of =
        lastTotal === undefined
          ? `${count(last)} ${unit}`
          : `${count(last)}/${count(lastTotal)} ${unit} (${lastTotal > 0 ? Math.floor((100 * last) / lastTotal) : 100}%)`;
      const rate = seconds > 0 ? last / seconds : 0;
      const stalled =
        now - changedAt >= every
          ? `, no progress for ${Math.round((now - changedAt) / 1000)} s`
          : '';
      const eta =
        stalled === '' && lastTotal !== undefined && rate > 0 && last < lastTotal
          ? `, eta ${formatEta((lastTotal - last) / rate)}`
          : '';
      const detail = lastDetail === '' ? '' : `, ${lastDetail}`;
      stream.write(
        `${label}: ${of}, ${rate.toFixed(1)} ${unit}/s, ${seconds.toFixed(0)} s elapsed${stalled}${eta}${detail}\n`,
      );
    }, every);
    // A progress line never keeps the process alive.
    lines.unref();
  }
  const update = (done: number, total: number | undefined, detail?: string): void => {
    last = done;
    if (total !== undefined) lastTotal = total;
    lastDetail = detail ?? '';
    if (stream.isTTY !== true) return;
    if (bar === undefined) {
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(22)} ${colours.cyan('{bar}')} {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | eta {eta_formatted} {detail}`,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total ?? done, done, { rate: '0', detail: '' });
    }
    if (total !== undefined) bar.setTotal(total);
    const seconds = (performance.now() - started) / 1000;
    bar.update(done, {
      rate: seconds > 0 ? (done / seconds).toFixed(1) : '0',
      detail: detail ?? '',
    });
  };
  const stop = (): void => {
    bar?.stop();
    if (lines !== undefined) clearInterval(lines);
    const seconds = (performance.now() - started) / 1000;
    stream.write(
      `${label}: ${last} ${unit} in ${seconds.toFixed(1)} s (${seconds > 0 ? (last / seconds).toFixed(1) : '–'} ${unit}/s)\n`,
    );
  };
  return { update, stop };
}

/** Run `work` with a progress bar, always closing the bar. */
export async function withProgress<T>(
  label: string,
  unit: string,
  work: (onProgress: (done: number, total: number | undefined) => void) => Promise<T>,
  options: ProgressBarOptions = {},
): Promise<T> {
  const bar = progressBar(label, unit, options);
  try {
    return await work(bar.update);
  } finally {
    bar.stop();
  }
}
