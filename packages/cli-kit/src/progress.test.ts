import { describe, expect, it } from 'vitest';
import { withProgress } from './progress.js';

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
