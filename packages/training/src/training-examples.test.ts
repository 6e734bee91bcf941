import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainingDataError } from './errors.js';
import { examplesFromPairs, loadTrainingExamples } from './training-examples.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, lines: readonly unknown[]): string => {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  return path;
};

describe('loadTrainingExamples', () => {
  it('reads pairs, triplets and n-tuples (the miner’s layout)', async () => {
    const path = file('mixed.jsonl', [
      { query: 'a', passage: 'b' },
      { anchor: 'c', positive: 'd', negative: 'e' },
      '',
      { question: 'f', answer: 'g', negative_2: 'i', negative_1: 'h', score: 3 },
    ]);
    expect(await loadTrainingExamples(path)).toEqual([
      { query: 'a', positive: 'b', negatives: [] },
      { query: 'c', positive: 'd', negatives: ['e'] },
      { query: 'f', positive: 'g', negatives: ['h', 'i'] },
    ]);
  });

  it.each([
    ['bad JSON', ['{"query": "a", "positive": "b"}', '{"query": '], 2, /not valid JSON/],
    ['no positive', [{ query: 'a' }], 1, /no positive field/],
    ['empty text', [{ query: 'a', positive: ' ' }], 1, /"positive" is empty/],
    ['a gap', [{ query: 'a', positive: 'b', negative_1: 'c', negative_3: 'd' }], 1, /without gaps/],
    ['both layouts', [{ query: 'a', positive: 'b', negative: 'c', negative_1: 'd' }], 1, /both/],
    ['a non-string', [{ query: 'a', positive: 'b', negative: 3 }], 1, /must be a string/],
  ] as const)('rejects %s, naming file and line', async (name, lines, line, message) => {
    const path = file(`${name}.jsonl`, lines);
    const error = await loadTrainingExamples(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDataError);
    expect(error).toMatchObject({ code: 'ERR_TRAINING_DATA', file: path, line });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(`${path}:${line}:`);
  });

  it('rejects an empty file', async () => {
    await expect(loadTrainingExamples(file('empty.jsonl', ['', '']))).rejects.toThrow(
      /holds no example/,
    );
  });

  it('examplesFromPairs', () => {
    expect(examplesFromPairs([{ query: 'q', passage: 'p' }])).toEqual([
      { query: 'q', positive: 'p', negatives: [] },
    ]);
  });
});
