import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { NotWritableError } from './errors.js';

/** Options of {@link ensureWritableDir}. */
export interface EnsureWritableDirOptions {
  /** Give up after this many milliseconds (default 10 000): a hung mount never hangs the caller. */
  readonly timeoutMs?: number;
}

async function isDir(path: string): Promise<boolean | undefined> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function probe(dir: string): Promise<void> {
  // Walk up to the nearest existing ancestor, then create each missing folder one level at a
  // time (a recursive mkdir can loop forever on pseudo file systems such as /proc).
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    const kind = await isDir(at);
    if (kind === true) break;
    if (kind === false) throw new Error(`${at} exists and is not a folder`);
    missing.push(at);
    const up = dirname(at);
    if (up === at) throw new Error('no existing ancestor folder');
    at = up;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || (await isDir(folder)) !== true) {
        throw error;
      }
    }
  }
  const file = join(dir, `.rtk-write-probe-${process.pid}-${randomUUID()}`);
  await writeFile(file, '');
  await rm(file, { force: true });
}

/**
 * Makes sure `dir` exists (creating missing folders) and that a file can be written in it,
 * before any long work starts. Throws {@link NotWritableError} naming the folder and why (not a
 * folder, permission denied, read-only file system, or no answer within `timeoutMs`).
 *
 * @returns The absolute path of the folder.
 * @example
 * ```ts
 * import { ensureWritableDir } from '@rtk/files';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * console.log(await ensureWritableDir(join(tmpdir(), 'rtk-results'))); // /tmp/rtk-results
 * ```
 */
export async function ensureWritableDir(
  dir: string,
  options: EnsureWritableDirOptions = {},
): Promise<string> {
  const absolute = resolve(dir);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new NotWritableError(absolute, `no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    await Promise.race([probe(absolute), timeout]);
  } catch (error) {
    if (error instanceof NotWritableError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'read-only file system'
          : code === 'ENOTDIR'
            ? 'a parent is not a folder'
            : error instanceof Error
              ? error.message
              : String(error);
    throw new NotWritableError(absolute, reason, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  return absolute;
}
