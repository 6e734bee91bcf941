import { describe, expect, it } from 'vitest';
import { evaluationProgress } from './evaluation-progress.js';

describe('evaluationProgress', () => {
  it('closes each phase when the next starts and the last on stop: one line per phase off a terminal', () => {
    let text = '';
    const stream = {
      write: (t: string) => ((text += t), true),
      isTTY: false,
    } as unknown as NodeJS.WriteStream;
    const bars = evaluationProgress('bm25', { stream });
    bars.onProgress({ phase: 'index', done: 3, total: undefined });
    bars.onProgress({ phase: 'index', done: 6, total: 6 });
    bars.onProgress({ phase: 'search', done: 2, total: 2 });
    bars.onProgress({ phase: 'fullRanks', done: 2, total: 2 });
    expect(text.split('\n').filter((l) => l !== '')).toHaveLength(2);
    bars.stop();
    bars.stop();
    const lines = text.trimEnd().split('\n');
    expect(lines.map((l) => l.replace(/ in .*/, ''))).toEqual([
      'bm25: index: 6 docs',
      'bm25: search: 2 queries',
      'bm25: full ranks: 2 queries',
    ]);
  });
});
