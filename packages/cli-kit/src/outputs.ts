import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ensureWritableDir, NotWritableError } from '@rtk/files';
import { OutputNotWritableError } from './errors.js';

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
