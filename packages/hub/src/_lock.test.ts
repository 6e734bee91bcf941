import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { startHubServer } from '@rtk/test-utils';
import { describe, expect, it } from 'vitest';
import { downloadHubFile } from './download-hub-file.js';
import { STALE_LOCK_MS, lockPath, withFileLock } from './_lock.js';
import { bytes, repoFolder, tempCache } from './_test-hub.js';

const COMMIT = '0123456789abcdef0123456789abcdef01234567'; // startHubServer's default X-Repo-Commit

/** A lock file as another process would have left it. */
async function leaveLock(path: string, owner: { pid: number; host: string }): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(owner));
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

describe('withFileLock', { timeout: 30_000 }, () => {
  it('waits while a live process holds the lock, then runs and removes it', async () => {
    const dir = await tempCache();
    const path = join(dir, '.locks', 'repo', 'x.lock');
    await leaveLock(path, { pid: process.pid, host: hostname() }); // alive: this very process
    const events: string[] = [];
    const run = withFileLock(
      path,
      () => {
        events.push('work');
        return Promise.resolve(42);
      },
      () => events.push('wait'),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual(['wait']);
    await rm(path);
    expect(await run).toBe(42);
    expect(events).toEqual(['wait', 'work']);
    expect(await readdir(dir)).toEqual([]); // lock and its empty folders are gone
  });

  it('takes over a lock left by a dead process on this host', async () => {
    const dir = await tempCache();
    const path = join(dir, '.locks', 'repo', 'x.lock');
    await leaveLock(path, { pid: deadPid(), host: hostname() });
    let waited = false;
    expect(
      await withFileLock(
        path,
        () => Promise.resolve('ran'),
        () => (waited = true),
      ),
    ).toBe('ran');
    expect(waited).toBe(false);
  });

  it('takes over a lock nobody has touched for a minute (holder elsewhere or hung)', async () => {
    const dir = await tempCache();
    const path = join(dir, '.locks', 'repo', 'x.lock');
    await leaveLock(path, { pid: process.pid, host: 'another-host' });
    const old = new Date(Date.now() - STALE_LOCK_MS - 5_000);
    await utimes(path, old, old);
    expect(await withFileLock(path, () => Promise.resolve('ran'))).toBe('ran');
  });

  it('runs callers one at a time', async () => {
    const path = join(await tempCache(), '.locks', 'repo', 'x.lock');
    let inside = 0;
    let most = 0;
    const work = async (): Promise<void> => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 50));
      inside -= 1;
    };
    await Promise.all([1, 2, 3].map(() => withFileLock(path, work)));
    expect(most).toBe(1);
  });
});

describe(
  'downloadHubFile with another process downloading the same file',
  { timeout: 30_000 },
  () => {
    it('waits for its lock and returns the file that process completed, fetching nothing', async () => {
      const data = bytes(50_000);
      const hub = await startHubServer({
        repos: { 'org/model': await repoFolder({ 'w.bin': data }) },
      });
      const cacheDir = await tempCache();
      try {
        const lock = lockPath(
          cacheDir,
          'models--org--model',
          JSON.stringify(['main', 'w.bin', hub.url]),
        );
        await leaveLock(lock, { pid: process.pid, host: hostname() });
        const download = downloadHubFile(
          { repo: 'org/model', path: 'w.bin' },
          { endpoint: hub.url, cacheDir },
        );
        await new Promise((r) => setTimeout(r, 300));
        // The other process finishes: refs/main, the snapshot file, then releases its lock.
        const repoDir = join(cacheDir, 'models--org--model');
        await mkdir(join(repoDir, 'refs'), { recursive: true });
        await writeFile(join(repoDir, 'refs', 'main'), COMMIT);
        const target = join(repoDir, 'snapshots', COMMIT, 'w.bin');
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, data);
        await rm(lock);
        expect(await download).toBe(target);
        expect(hub.requests).toEqual([]);
      } finally {
        await hub.close();
      }
    });
  },
);
