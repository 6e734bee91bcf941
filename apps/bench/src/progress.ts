import cliProgress from 'cli-progress';

/** A progress callback plus the means to finish its bar. */
export interface ProgressBar {
  readonly update: (done: number, total: number | undefined) => void;
  readonly stop: () => void;
}

/**
 * A terminal progress bar for one phase (`label`), fed by the toolkit's
 * `onProgress(done, total)` callbacks. On a non-TTY stream (CI logs) it prints nothing until
 * `stop`, which prints one summary line with the rate.
 */
export function progressBar(
  label: string,
  unit: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressBar {
  const started = performance.now();
  let last = 0;
  let bar: cliProgress.SingleBar | undefined;
  const update = (done: number, total: number | undefined): void => {
    last = done;
    if (!stream.isTTY) return;
    if (bar === undefined) {
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(22)} {bar} {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | eta {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total ?? done, done, { rate: '0' });
    }
    if (total !== undefined) bar.setTotal(total);
    const seconds = (performance.now() - started) / 1000;
    bar.update(done, { rate: seconds > 0 ? (done / seconds).toFixed(1) : '0' });
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
): Promise<T> {
  const bar = progressBar(label, unit);
  try {
    return await work(bar.update);
  } finally {
    bar.stop();
  }
}
