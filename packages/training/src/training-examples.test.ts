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

  it('skips lines holding only whitespace', async () => {
    const path = file('whitespace.jsonl', ['  \t', { query: 'a', positive: 'b' }, ' ']);
    expect(await loadTrainingExamples(path)).toEqual([
      { query: 'a', positive: 'b', negatives: [] },
    ]);
  });

  it('reads negative_1 … negative_10 in numeric order and ignores other negative-like fields', async () => {
    const tuple: Record<string, string> = { query: 'q', positive: 'p' };
    // Written in reverse so that file order differs from numeric order.
    for (let n = 10; n >= 1; n -= 1) tuple[`negative_${n}`] = `n${n}`;
    const path = file('ten-negatives.jsonl', [
      tuple,
      { query: 'a', positive: 'b', hard_negative_1: 'x', negative_1_score: 0.5 },
      { query: 'c', positive: 'd', negative_1: 'e', negative_1_score: 0.5, negative_x: 'f' },
    ]);
    expect(await loadTrainingExamples(path)).toEqual([
      {
        query: 'q',
        positive: 'p',
        negatives: ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10'],
      },
      { query: 'a', positive: 'b', negatives: [] },
      { query: 'c', positive: 'd', negatives: ['e'] },
    ]);
  });

  // Each message is written out in full: which field, what was expected, what was received.
  it.each([
    [
      'a null field',
      [{ query: 'a', positive: null }],
      'field "positive" must be a string, received null',
    ],
    [
      'a number field',
      [{ query: 'a', positive: 7 }],
      'field "positive" must be a string, received number',
    ],
    [
      'a non-string negative',
      [{ query: 'a', positive: 'b', negative: 3 }],
      'field "negative" must be a string, received number',
    ],
    [
      'an empty numbered negative',
      [{ query: 'a', positive: 'b', negative_1: 'c', negative_2: ' ' }],
      'field "negative_2" is empty',
    ],
    [
      'a null line',
      ['null'],
      'expected a JSON object such as {"query": "…", "positive": "…", "negative": "…"}, received null',
    ],
    [
      'a number line',
      ['3'],
      'expected a JSON object such as {"query": "…", "positive": "…", "negative": "…"}, received 3',
    ],
    [
      'a string line',
      ['"query"'],
      'expected a JSON object such as {"query": "…", "positive": "…", "negative": "…"}, received "query"',
    ],
    [
      'a long array line',
      // 102 characters; the message keeps the first 80: `["` and 78 x.
      [`["${'x'.repeat(98)}"]`],
      `expected a JSON object such as {"query": "…", "positive": "…", "negative": "…"}, received ["${'x'.repeat(78)}`,
    ],
    [
      'no query field',
      [{ passage: 'b', id: 7 }],
      'no query field: expected one of query, question, anchor, found passage, id',
    ],
    [
      'no positive field among others',
      [{ query: 'a', text: 'b' }],
      'no positive field: expected one of positive, passage, answer, found query, text',
    ],
    [
      'an object without fields',
      [{}],
      'no query field: expected one of query, question, anchor, found no fields',
    ],
    [
      'both negative layouts',
      [{ query: 'a', positive: 'b', negative: 'c', negative_1: 'd' }],
      'has both "negative" and "negative_1"…; use one layout',
    ],
    [
      'a numbering gap',
      [{ query: 'a', positive: 'b', negative_3: 'd', negative_1: 'c' }],
      'negatives are numbered 1, 3: expected negative_1 … negative_2 without gaps',
    ],
  ] as const)('rejects %s with the whole message', async (name, lines, message) => {
    const path = file(`whole ${name}.jsonl`, lines);
    const error = await loadTrainingExamples(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDataError);
    expect(error).toMatchObject({ code: 'ERR_TRAINING_DATA', file: path, line: 1 });
    expect((error as Error).message).toBe(`${path}:1: ${message}`);
  });

  it('rejects a long line of invalid JSON, quoting its first 80 characters', async () => {
    // 10 + 1 + 89 = 100 characters, an unterminated string.
    const line = `{"query": "${'x'.repeat(89)}`;
    const path = file('long bad JSON.jsonl', [line]);
    let parseMessage = '';
    try {
      JSON.parse(line);
    } catch (e) {
      parseMessage = (e as Error).message;
    }
    expect(parseMessage).not.toBe('');
    const error = await loadTrainingExamples(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDataError);
    expect(error).toMatchObject({ code: 'ERR_TRAINING_DATA', file: path, line: 1 });
    // The first 80 characters: `{"query": "` (11) and 69 x.
    expect((error as Error).message).toBe(
      `${path}:1: not valid JSON (${parseMessage}): {"query": "${'x'.repeat(69)}`,
    );
  });

  it('names the file when it holds no example', async () => {
    const path = file('only blanks.jsonl', ['', ' ', '']);
    const error = await loadTrainingExamples(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDataError);
    expect(error).toMatchObject({ code: 'ERR_TRAINING_DATA', file: path, line: undefined });
    expect((error as Error).message).toBe(
      `${path}: holds no example (expected one JSON object a line)`,
    );
  });

  it('examplesFromPairs', () => {
    expect(examplesFromPairs([{ query: 'q', passage: 'p' }])).toEqual([
      { query: 'q', positive: 'p', negatives: [] },
    ]);
  });
});
