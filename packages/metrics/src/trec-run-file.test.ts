import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileWriteError } from '@rtk/files';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrecParseError, TrecWriteError } from './errors.js';
import { readTrecQrels } from './trec-qrels-file.js';
import { readTrecRun, writeTrecRun } from './trec-run-file.js';
import type { Run } from './types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rtk-metrics-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run: Run = new Map([
  [
    'q1',
    [
      { id: 'd3', score: 2.5 },
      { id: 'd1', score: 2.5 }, // tie, kept in ranking order on the way back
      { id: 'd2', score: -1 },
    ],
  ],
  ['q2', [{ id: 'd9', score: 0.125 }]],
]);

describe('writeTrecRun / readTrecRun', () => {
  it('round-trips a run through a file and leaves no temporary file', async () => {
    const path = join(dir, 'run.trec');
    await writeTrecRun(path, run, { tag: 'test' });
    expect(await readFile(path, 'utf8')).toBe(
      'q1 Q0 d3 1 2.5 test\nq1 Q0 d1 2 2.5 test\nq1 Q0 d2 3 -1 test\nq2 Q0 d9 1 0.125 test\n',
    );
    expect(await readTrecRun(path)).toEqual(run);
    expect(await readdir(dir)).toEqual(['run.trec']);
  });

  it('reads ties in trec_eval order on request', async () => {
    // The file lists the tied documents in ascending id order, so file order and trec_eval
    // order differ: 'd9' > 'd10' > 'd1' in code-point order.
    const path = join(dir, 'run.trec');
    await writeFile(
      path,
      'q1 Q0 d1 1 2.5 t\nq1 Q0 d10 2 2.5 t\nq1 Q0 d9 3 2.5 t\nq1 Q0 d2 4 -1 t\n',
    );
    const fileOrder = await readTrecRun(path);
    expect(fileOrder.get('q1')?.map((d) => d.id)).toEqual(['d1', 'd10', 'd9', 'd2']);
    const back = await readTrecRun(path, { ties: 'docid-descending' });
    expect(back.get('q1')?.map((d) => d.id)).toEqual(['d9', 'd10', 'd1', 'd2']);
    expect(back.get('q1')?.map((d) => d.score)).toEqual([2.5, 2.5, 2.5, -1]);
  });

  it('names the file and line of a malformed line', async () => {
    const path = join(dir, 'bad.trec');
    await writeFile(path, 'q1 Q0 d1 1 0.5 t\nq1 Q0 d2 2 t\n');
    await expect(readTrecRun(path)).rejects.toThrow(TrecParseError);
    await expect(readTrecRun(path)).rejects.toMatchObject({ source: path, line: 2 });
  });

  it('replaces an existing file whole, and leaves it alone when formatting fails', async () => {
    const path = join(dir, 'run.trec');
    await writeFile(path, 'old\n');
    await expect(writeTrecRun(path, new Map([['bad id', []]]))).rejects.toThrow(TrecWriteError);
    expect(await readFile(path, 'utf8')).toBe('old\n');
    await writeTrecRun(path, run);
    expect(await readTrecRun(path)).toEqual(run);
  });

  it('removes its temporary file when the rename fails', async () => {
    // The target is a non-empty directory: rename() fails after the temp file was written.
    const target = join(dir, 'taken');
    await writeFile(join(dir, 'placeholder'), '');
    await mkdir(join(target, 'x'), { recursive: true });
    await expect(writeTrecRun(target, run)).rejects.toMatchObject({
      code: 'ERR_FILES_WRITE',
      path: target,
      systemCode: 'EISDIR',
    });
    expect((await readdir(dir)).sort()).toEqual(['placeholder', 'taken']);
  });

  it('into a folder that does not exist: an error naming that folder, not a temporary file', async () => {
    const target = join(dir, 'runs', 'bm25.trec');
    const error = await writeTrecRun(target, run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileWriteError);
    expect(error).toMatchObject({ code: 'ERR_FILES_WRITE', path: target, systemCode: 'ENOENT' });
    expect((error as Error).message).toBe(
      `${target}: cannot write: the folder ${join(dir, 'runs')} does not exist (ENOENT); create it first`,
    );
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('readTrecRun and readTrecQrels decode strictly', () => {
  it('a document id with a Latin-1 byte is an error naming file, line and byte offset', async () => {
    // Leniently decoded, "d\xe9" and "d\xe8" would both become "d\uFFFD": a hit credited for a
    // document never judged.
    const path = join(dir, 'latin1.trec');
    const first = 'q1 Q0 d1 1 2.5 run\n';
    await writeFile(
      path,
      Buffer.concat([
        Buffer.from(first),
        Buffer.from([
          0x71, 0x31, 0x20, 0x51, 0x30, 0x20, 0x64, 0xe9, 0x20, 0x32, 0x20, 0x31, 0x20, 0x72, 0x0a,
        ]),
      ]),
    );
    await expect(readTrecRun(path)).rejects.toMatchObject({
      code: 'ERR_FILES_INVALID_UTF8',
      path,
      line: 2,
      byteOffset: first.length + 'q1 Q0 d'.length,
    });
    await expect(readTrecQrels(path)).rejects.toMatchObject({ code: 'ERR_FILES_INVALID_UTF8' });
  });

  it('a folder or a missing file is an error naming the path', async () => {
    await expect(readTrecRun(dir)).rejects.toMatchObject({
      code: 'ERR_FILES_READ',
      systemCode: 'EISDIR',
      message: `${dir}: is a directory, expected a file`,
    });
    await expect(readTrecQrels(join(dir, 'none.qrels'))).rejects.toMatchObject({
      code: 'ERR_FILES_READ',
      systemCode: 'ENOENT',
    });
  });
});
