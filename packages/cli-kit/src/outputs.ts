import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ensureWritableDir, NotWritableError } from '@rtk/files';
import { OutputLockedError, OutputNotWritableError } from './errors.js';

/** One output a flag names: a folder (`--out DIR`) or a file (`--run FILE`). */
export type OutputTarget =
  | { readonly flag: string; readonly dir: string }
  | { readonly flag: string; readonly file: string };

/** Options of {@link checkOutputs}. */
export interface CheckOutputsOptions {
  /** Per folder probe, default 10 000 ms: a hung mount fails instead of hanging. */
  readonly timeoutMs?: number;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Checks, before any work starts, that every output can be written: a folder target is created
 * if missing and probed with a test file ({@link ensureWritableDir}, with a time limit); a file
 * target must not be an existing folder, and its folder is probed the same way. Targets are
 * checked in order and the first failure is thrown.
 *
 * @returns The absolute paths, in the order given.
 * @throws {@link OutputNotWritableError} naming the flag, the path and why.
 * @example
 * ```ts
 * await checkOutputs([{ flag: '--out', dir: 'results' }, { flag: '--run', file: 'runs/bm25.trec' }]);
 * ```
 */
export async function checkOutputs(
  targets: readonly OutputTarget[],
  options: CheckOutputsOptions = {},
): Promise<string[]> {
  const out: string[] = [];
  for (const target of targets) {
    const path = resolve('dir' in target ? target.dir : target.file);
    if ('file' in target && (await isDirectory(path))) {
      throw new OutputNotWritableError(target.flag, path, 'it is a folder; name a file');
    }
    const folder = 'dir' in target ? path : dirname(path);
    try {
      await ensureWritableDir(folder, { timeoutMs: options.timeoutMs ?? 10_000 });
    } catch (error) {
      if (error instanceof NotWritableError) {
        throw new OutputNotWritableError(
          target.flag,
          path,
          folder === path ? error.reason : `folder ${folder}: ${error.reason}`,
          { cause: error },
        );
      }
      throw error;
    }
    out.push(path);
  }
  return out;
}

/** The output files a run holds, from {@link lockOutputFiles}. */
export interface OutputLock {
  /** The lock files, one per output file. */
  readonly lockFiles: readonly string[];
  /** Remove the lock files (once; later calls do nothing). */
  release(): Promise<void>;
}

/** What a lock file holds. */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** `.{name}.lock` beside the output file. */
function lockFileOf(file: string): string {
  return join(dirname(file), `.${basename(file)}.lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(lockFile: string): Promise<LockHolder | undefined> {
  try {
    const value = JSON.parse(await readFile(lockFile, 'utf8')) as Partial<LockHolder> | null;
    return value !== null && typeof value.pid === 'number' && typeof value.host === 'string'
      ? { pid: value.pid, host: value.host, since: String(value.since) }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Create `lockFile` exclusively; false when it exists. */
async function tryCreate(lockFile: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockFile, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
    };
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Takes a lock on each output file of `targets` (folder targets are not locked), so two runs
 * sharing an output (`--out DIR`, `--results FILE`) cannot both write it and both report
 * success: the lock is `.{name}.lock` beside the file, created exclusively with the holder's pid,
 * host and start time. A lock left by a process of this host that is no longer running (killed,
 * crashed) is taken over; one held by a live process, or by a process on another host (which
 * cannot be checked), fails at once. Call after {@link checkOutputs}, before any work; release
 * when the outputs are written (a run killed before that leaves its lock files, which the next
 * run takes over once the process is gone).
 *
 * @throws {@link OutputLockedError} naming the flag, the output, the holder and the lock file.
 * @example
 * ```ts
 * const lock = await lockOutputFiles([{ flag: '--out', file: 'results/results.json' }]);
 * try {
 *   // … the work, then write results/results.json
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export async function lockOutputFiles(targets: readonly OutputTarget[]): Promise<OutputLock> {
  const held: string[] = [];
  const release = async (): Promise<void> => {
    const files = held.splice(0);
    await Promise.all(files.map((lockFile) => rm(lockFile, { force: true })));
  };
  try {
    const files = new Map<string, string>();
    for (const target of targets) {
      if ('file' in target && !files.has(resolve(target.file)))
        files.set(resolve(target.file), target.flag);
    }
    for (const [file, flag] of files) {
      const lockFile = lockFileOf(file);
      // Two tries: the second after removing a lock whose holder is gone.
      for (let attempt = 0; ; attempt++) {
        if (await tryCreate(lockFile)) {
          held.push(lockFile);
          break;
        }
        const holder = await readHolder(lockFile);
        const here = holder !== undefined && holder.host === hostname();
        if (attempt === 0 && here && !alive(holder.pid)) {
          await rm(lockFile, { force: true });
          continue;
        }
        const who =
          holder === undefined
            ? 'the lock file does not say which process'
            : `process ${holder.pid} on ${here ? 'this host' : `host ${holder.host}`}, since ${holder.since}`;
        throw new OutputLockedError(flag, file, lockFile, who, holder?.pid);
      }
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { lockFiles: [...held], release };
}
