// A lock file per cached file, so that two processes sharing a cache never write the same
// `.incomplete` file at once (internal). Python huggingface_hub keeps its own (flock) locks in
// the same `.locks` folder; flock is not available to Node, so the two tools do not see each
// other's locks — each still renames only complete files into place.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, rmdir, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMissing } from './_cache.js';

/** A lock whose holder has not touched it for this long is taken over (holder on another host, or hung). */
export const STALE_LOCK_MS = 60_000;
/** How often a holder touches its lock. */
const HEARTBEAT_MS = 10_000;
/** How often a waiter looks again. */
const POLL_MS = 100;

/** Who holds a lock, as its file says. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

/** `{cacheDir}/.locks/{repoFolder}/{sha256(key)}.lock`. */
export function lockPath(cacheDir: string, repoFolder: string, key: string): string {
  const name = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return join(cacheDir, '.locks', repoFolder, `${name}.lock`);
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

/** The holder named in a lock file, if it names one. */
async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner> | null;
    return owner !== null && typeof owner.pid === 'number' && typeof owner.host === 'string'
      ? { pid: owner.pid, host: owner.host }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the lock at `path` may be taken over: its holder died (same host) or went quiet. */
async function isStale(path: string): Promise<boolean> {
  let owner: LockOwner | undefined;
  let modified: number;
  try {
    modified = (await stat(path)).mtimeMs;
    owner = JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch (error) {
    if (isMissing(error)) return false; // gone: retry at once
    owner = undefined; // half-written or foreign content: judge by age alone
    modified = (await stat(path).catch(() => undefined))?.mtimeMs ?? 0;
  }
  if (owner !== undefined && owner.host === hostname() && typeof owner.pid === 'number') {
    if (!alive(owner.pid)) return true;
  }
  return Date.now() - modified > STALE_LOCK_MS;
}

/**
 * Run `work` holding the lock at `path`: created exclusively (`wx`) with the holder's pid and
 * host, touched every 10 s while held, removed afterwards. A lock held by a live process is
 * waited for; one left by a dead process on this host, or untouched for {@link STALE_LOCK_MS},
 * is taken over. `onWait` is called when the lock is first found busy (with its holder, when the
 * lock file names one, and 0), then every `reportEveryMs` while the wait goes on.
 */
export async function withFileLock<T>(
  path: string,
  work: () => Promise<T>,
  onWait?: (owner: LockOwner | undefined, waitedMs: number) => void,
  reportEveryMs: number = Infinity,
): Promise<T> {
  let waitStart: number | undefined;
  let lastReport = 0;
  for (;;) {
    await mkdir(dirname(path), { recursive: true });
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if (isMissing(error)) continue; // another process removed the empty folder meanwhile
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(path)) {
      await rm(path, { force: true });
      continue;
    }
    const now = Date.now();
    if (waitStart === undefined || now - lastReport >= reportEveryMs) {
      waitStart ??= now;
      lastReport = now;
      onWait?.(await readOwner(path), now - waitStart);
    }
    await sleep(POLL_MS);
  }
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    await rm(path, { force: true });
    // Leave no empty folders behind (`.locks/{repo}` then `.locks`); a folder in use stays.
    await rmdir(dirname(path))
      .then(() => rmdir(dirname(dirname(path))))
      .catch(() => undefined);
  }
}
