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
}

/**
 * A terminal progress bar for one phase (`label`), fed by the toolkit's
 * `onProgress(done, total)` callbacks. On a terminal it draws a bar (the bar coloured unless
 * `NO_COLOR` is set); on anything else (CI logs, pipes) it prints nothing until `stop`, which
 * prints one summary line with the rate either way.
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
  let bar: cliProgress.SingleBar | undefined;
  const update = (done: number, total: number | undefined, detail?: string): void => {
    last = done;
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
