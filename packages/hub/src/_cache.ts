import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckedRepo } from './_options.js';

/**
 * The cache layout of Python `huggingface_hub`, so both read each other's downloads:
 * `{cacheDir}/{models|datasets}--{owner}--{name}/refs/{revision}` holds the commit hash a branch
 * or tag pointed to, and `…/snapshots/{commit}/{path}` holds the file. (Python stores the bytes in
 * `blobs/` and symlinks them; we store plain files, which Python reads too.) A download in progress
 * is `…/snapshots/{commit}/{path}.incomplete`, renamed into place when complete.
 */
export function repoCacheDir(cacheDir: string, ref: CheckedRepo): string {
  return join(cacheDir, `${ref.type}s--${ref.repo.split('/').join('--')}`);
}

const COMMIT = /^[0-9a-f]{40}$/;

export function isCommitHash(revision: string): boolean {
  return COMMIT.test(revision);
}

/** Folder name used under `snapshots/` when the server sends no `X-Repo-Commit`. */
export function snapshotNameWithoutCommit(revision: string): string {
  return encodeURIComponent(revision);
}

export function refPath(cacheDir: string, ref: CheckedRepo): string {
  return join(repoCacheDir(cacheDir, ref), 'refs', ...ref.revision.split('/'));
}

export function snapshotDir(cacheDir: string, ref: CheckedRepo, commit: string): string {
  return join(repoCacheDir(cacheDir, ref), 'snapshots', commit);
}

export function snapshotFile(
  cacheDir: string,
  ref: CheckedRepo,
  commit: string,
  path: string,
): string {
  return join(snapshotDir(cacheDir, ref, commit), ...path.split('/'));
}

/** The commit a revision resolves to in the cache (itself for a commit hash), if known. */
export async function cachedCommit(
  cacheDir: string,
  ref: CheckedRepo,
): Promise<string | undefined> {
  if (isCommitHash(ref.revision)) return ref.revision;
  try {
    const commit = (await readFile(refPath(cacheDir, ref), 'utf8')).trim();
    return commit === '' || commit.includes('/') || commit.includes('\\') || commit === '..'
      ? undefined
      : commit;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
