import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputNotWritableError } from './errors.js';
import { checkOutputs } from './outputs.js';

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
