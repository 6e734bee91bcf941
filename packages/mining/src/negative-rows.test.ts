import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNegativesJsonl } from './negative-rows.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mining-rows-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeNegativesJsonl', () => {
  it('writes one JSON object a line, each ended by a newline, over any previous file', async () => {
    const path = join(root, 'negatives.jsonl');
    await writeFile(path, 'old contents\n', 'utf8');
    await writeNegativesJsonl(path, [
      { query: 'q1', positive: 'p1', negative: 'n1' },
      { query: 'q1', positive: 'p1', negative_1: 'n1', negative_2: 'n "2"' },
      { query: 'q2', positive: 'p2' },
    ]);
    expect(await readFile(path, 'utf8')).toBe(
      '{"query":"q1","positive":"p1","negative":"n1"}\n' +
        '{"query":"q1","positive":"p1","negative_1":"n1","negative_2":"n \\"2\\""}\n' +
        '{"query":"q2","positive":"p2"}\n',
    );
  });

  it('writes an empty file for no rows', async () => {
    const path = join(root, 'none.jsonl');
    await writeNegativesJsonl(path, []);
    expect(await readFile(path, 'utf8')).toBe('');
  });
});
