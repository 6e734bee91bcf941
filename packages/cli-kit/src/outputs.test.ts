import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputLockedError, OutputNotWritableError } from './errors.js';
import { checkOutputs, lockOutputFiles } from './outputs.js';

describe('checkOutputs', () => {
  it('creates a missing --out folder and the folder of a --run file, returning absolute paths', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cli-kit-out-'));
    const out = join(root, 'a', 'b');
    const run = join(root, 'runs', 'bm25.trec');
    expect(
      await checkOutputs([
        { flag: '--out', dir: out },
        { flag: '--run', file: run },
      ]),
    ).toEqual([out, run]);
    expect(await readdir(out)).toEqual([]);
    expect(await readdir(join(root, 'runs'))).toEqual([]);
  });

  // Each fails at once (well inside vitest's 5 s), naming the flag and the path.
  it.each([
    [
      'a file as --out',
      async (root: string) => {
        const file = join(root, 'plain');
        await writeFile(file, '');
        return { flag: '--out', dir: file, path: file };
      },
    ],
    [
      'a folder as --run',
      async (root: string) => {
        const dir = join(root, 'dir');
        await mkdir(dir);
        return { flag: '--run', file: dir, path: dir };
      },
    ],
    [
      'a --run file under a plain file',
      async (root: string) => {
        const file = join(root, 'plain');
        await writeFile(file, '');
        return { flag: '--run', file: join(file, 'run.trec'), path: join(file, 'run.trec') };
      },
    ],
    [
      '--out under /proc',
      () =>
        Promise.resolve({
          flag: '--out',
          dir: '/proc/rtk-cli-kit/out',
          path: '/proc/rtk-cli-kit/out',
        }),
    ],
  ])('rejects %s', async (_, make) => {
    const root = await mkdtemp(join(tmpdir(), 'cli-kit-out-'));
    const { path, ...target } = await make(root);
    const error: unknown = await checkOutputs([target], { timeoutMs: 2000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutputNotWritableError);
    expect(error).toMatchObject({
      code: 'ERR_CLI_KIT_OUTPUT_NOT_WRITABLE',
      flag: target.flag,
      path,
      exitStatus: 1,
    });
    expect((error as Error).message).toContain(target.flag);
    expect((error as Error).message).toContain(path);
  });
});

describe('lockOutputFiles', () => {
  it('locks each output file once; a second run is refused, naming flag, file, holder and lock', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cli-kit-lock-'));
    const results = join(root, 'results.json');
    const run = join(root, 'run.trec');
    const first = await lockOutputFiles([
      { flag: '--out', dir: root },
      { flag: '--out', file: results },
      { flag: '--out', file: run },
      { flag: '--run', file: run },
    ]);
    expect(first.lockFiles).toEqual([
      join(root, '.results.json.lock'),
      join(root, '.run.trec.lock'),
    ]);
    const holder = JSON.parse(await readFile(first.lockFiles[0]!, 'utf8')) as {
      pid: number;
      host: string;
    };
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    const error = await lockOutputFiles([{ flag: '--results', file: results }]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutputLockedError);
    expect(error).toMatchObject({
      code: 'ERR_CLI_KIT_OUTPUT_LOCKED',
      exitStatus: 1,
      flag: '--results',
      path: results,
      lockFile: join(root, '.results.json.lock'),
      pid: process.pid,
    });
    expect((error as Error).message).toContain(
      `--results: ${results} is being written by another run (process ${process.pid} on this host, since `,
    );
    expect((error as Error).message).toContain(`lock ${join(root, '.results.json.lock')}`);
    // A refused run leaves the locks it did take (none here beyond the first) and the holder's intact.
    const partly = await lockOutputFiles([
      { flag: '--run', file: join(root, 'other.trec') },
      { flag: '--out', file: run },
    ]).catch((e: unknown) => e);
    expect(partly).toMatchObject({ code: 'ERR_CLI_KIT_OUTPUT_LOCKED', path: run });
    expect((await readdir(root)).sort()).toEqual(['.results.json.lock', '.run.trec.lock']);
    await first.release();
    await first.release();
    expect(await readdir(root)).toEqual([]);
    const again = await lockOutputFiles([{ flag: '--results', file: results }]);
    await again.release();
  });

  it('takes over a lock left by a process of this host that has ended', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cli-kit-lock-'));
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    const lockFile = join(root, '.results.json.lock');
    await writeFile(lockFile, JSON.stringify({ pid: ended, host: hostname(), since: 'then' }));
    const lock = await lockOutputFiles([{ flag: '--out', file: join(root, 'results.json') }]);
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it.each([
    [{ pid: 1, host: 'elsewhere', since: 'then' }, 'process 1 on host elsewhere, since then'],
    ['not json', 'the lock file does not say which process'],
  ])('refuses a lock it cannot check (%j)', async (content, holder) => {
    const root = await mkdtemp(join(tmpdir(), 'cli-kit-lock-'));
    await writeFile(
      join(root, '.r.json.lock'),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
    const error = await lockOutputFiles([{ flag: '--results', file: join(root, 'r.json') }]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutputLockedError);
    expect((error as Error).message).toContain(`another run (${holder}; lock`);
    expect((error as Error).message).toContain('delete the lock file');
  });
});
