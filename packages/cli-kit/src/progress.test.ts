import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatEta, progressBar, withProgress } from './progress.js';

describe('withProgress', () => {
  it('off a terminal prints only one summary line, also when the work fails', async () => {
    let text = '';
    const stream = {
      write: (t: string) => ((text += t), true),
      isTTY: false,
    } as unknown as NodeJS.WriteStream;
    const result = await withProgress(
      'index',
      'docs',
      (onProgress) => {
        onProgress(5, 10);
        onProgress(10, 10);
        return Promise.resolve('done');
      },
      { stream },
    );
    expect(result).toBe('done');
    expect(text).toMatch(/^index: 10 docs in \d+\.\d s \((?:\d+\.\d|–) docs\/s\)\n$/);
    text = '';
    await expect(
      withProgress('search', 'queries', () => Promise.reject(new Error('boom')), { stream }),
    ).rejects.toThrow('boom');
    expect(text).toMatch(/^search: 0 queries in /);
  });
});

/** A stream that is not a terminal, recording what is written; fake timers on. */
function plainStream(): { lines: string[]; stream: NodeJS.WriteStream } {
  vi.useFakeTimers();
  const lines: string[] = [];
  const stream = {
    write: (t: string) => (lines.push(t), true),
    isTTY: undefined,
  } as unknown as NodeJS.WriteStream;
  return { lines, stream };
}

describe('progressBar off a terminal', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('prints a plain line every lineEveryMs, saying when nothing moved, and stops with the summary', () => {
    const { lines, stream } = plainStream();
    const bar = progressBar('download NQ', 'bytes', { stream, lineEveryMs: 10_000 });
    vi.advanceTimersByTime(9_999);
    expect(lines).toEqual([]);
    // Nothing arrived in the first 10 s (headers not yet in): the line says so.
    vi.advanceTimersByTime(1);
    bar.update(1_250_000, 5_000_000);
    vi.advanceTimersByTime(10_000);
    bar.update(2_500_000, 5_000_000);
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(10_000);
    bar.stop();
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual([
      'download NQ: 0 bytes, 0.0 bytes/s, 10 s elapsed, no progress for 10 s\n',
      'download NQ: 1,250,000/5,000,000 bytes (25%), 62500.0 bytes/s, 20 s elapsed, eta 60 s\n',
      'download NQ: 2,500,000/5,000,000 bytes (50%), 83333.3 bytes/s, 30 s elapsed, eta 30 s\n',
      'download NQ: 2,500,000/5,000,000 bytes (50%), 62500.0 bytes/s, 40 s elapsed, no progress for 10 s\n',
      'download NQ: 2,500,000/5,000,000 bytes (50%), 50000.0 bytes/s, 50 s elapsed, no progress for 20 s\n',
      'download NQ: 2500000 bytes in 50.0 s (50000.0 bytes/s)\n',
    ]);
  });

  it('adds the latest detail (the loss, say) to each line', () => {
    const { lines, stream } = plainStream();
    const bar = progressBar('contrastive: train', 'steps', { stream, lineEveryMs: 10_000 });
    bar.update(20, 600, 'loss 2.3026');
    vi.advanceTimersByTime(10_000);
    bar.update(40, 600, 'loss 1.9000');
    vi.advanceTimersByTime(10_000);
    bar.stop();
    expect(lines.slice(0, 2)).toEqual([
      // 20 steps in 10 s: 580 left at 2 steps/s.
      'contrastive: train: 20/600 steps (3%), 2.0 steps/s, 10 s elapsed, eta 5 min, loss 2.3026\n',
      'contrastive: train: 40/600 steps (6%), 2.0 steps/s, 20 s elapsed, eta 5 min, loss 1.9000\n',
    ]);
  });

  it.each([
    [0, '0 s'],
    [44.6, '45 s'],
    [89, '89 s'],
    [90, '2 min'],
    [725, '12 min'],
    [5369, '89 min'],
    [5399, '1 h 30 min'],
    [5400, '1 h 30 min'],
    [7500, '2 h 05 min'],
  ])('formatEta(%s) is %s', (seconds, text) => {
    expect(formatEta(seconds)).toBe(text);
  });

  it('draws no plain lines on a terminal', () => {
    vi.useFakeTimers();
    let text = '';
    const stream = {
      write: (t: string) => ((text += t), true),
      isTTY: true,
      columns: 120,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => stream,
      removeListener: () => stream,
    } as unknown as NodeJS.WriteStream;
    const bar = progressBar('index', 'docs', {
      stream,
      lineEveryMs: 1_000,
      env: { NO_COLOR: '1' },
    });
    vi.advanceTimersByTime(5_000);
    expect(text).toBe('');
    bar.stop();
  });
});
