import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrecParseError } from './errors.js';
import { readTrecQrels, writeTrecQrels } from './trec-qrels-file.js';
import type { Qrels } from './types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rtk-metrics-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeTrecQrels / readTrecQrels', () => {
  it('round-trips graded qrels through a file, atomically', async () => {
    const qrels: Qrels = new Map([
      [
        'q1',
        new Map([
          ['d1', 2],
          ['d2', 0],
        ]),
      ],
      ['q2', new Map([['d5', 1]])],
    ]);
    const path = join(dir, 'qrels.txt');
    await writeTrecQrels(path, qrels);
    expect(await readTrecQrels(path)).toEqual(qrels);
    expect(await readdir(dir)).toEqual(['qrels.txt']);
  });

  it('names the file and line of a malformed line', async () => {
    const path = join(dir, 'bad.txt');
    await writeFile(path, 'q1 0 d1 1\n\nq1 0 d2\n');
    await expect(readTrecQrels(path)).rejects.toThrow(TrecParseError);
    await expect(readTrecQrels(path)).rejects.toMatchObject({ source: path, line: 3 });
  });
});
