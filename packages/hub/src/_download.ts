import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import {
  cachedCommit,
  fileSize,
  isCommitHash,
  isFile,
  refPath,
  repoCacheDir,
  snapshotFile,
  snapshotNameWithoutCommit,
} from './_cache.js';
import { lockPath, withFileLock } from './_lock.js';
import { describe, repoUrlPart, type CheckedRepo, type ResolvedHubOptions } from './_options.js';
import { hubGet } from './_request.js';
import { HubDownloadInterruptedError, HubHttpError, HubOfflineError } from './errors.js';

/** Where a file landed and the snapshot (commit) it belongs to. */
export interface Downloaded {
  readonly path: string;
  readonly commit: string;
}

const MAX_RESTARTS = 3;

function cannotContinue(what: string, url: string): HubHttpError {
  return new HubHttpError(
    what,
    url,
    416,
    'the server would not continue or restart the partial download; delete the .incomplete file and retry',
  );
}

// Downloads in flight in this process, by cache file identity: a second call for the same file
// waits for the first instead of writing the same `.incomplete` file concurrently.
const inFlight = new Map<string, Promise<Downloaded>>();

/** {@link fetchIntoCache}, shared between concurrent calls for the same file. */
export function downloadOne(
  ref: CheckedRepo,
  path: string,
  options: ResolvedHubOptions,
): Promise<Downloaded> {
  const key = JSON.stringify([
    options.cacheDir,
    ref.type,
    ref.repo,
    ref.revision,
    path,
    options.endpoint,
  ]);
  const running = inFlight.get(key);
  if (running !== undefined) return running;
  const started = fetchIntoCache(ref, path, options).finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}

/**
 * Cache lookup, then (unless offline), holding the file's lock (`{cacheDir}/.locks/…`, so processes
 * sharing the cache take turns), a download to `<file>.incomplete` that resumes with a `Range`
 * request when a partial file exists, restarts when the server ignores the range, and renames into
 * place when complete.
 */
async function fetchIntoCache(
  ref: CheckedRepo,
  path: string,
  options: ResolvedHubOptions,
): Promise<Downloaded> {
  const hit = await fromCache(ref, path, options);
  if (hit.file !== undefined) return hit.file;
  if (options.offline) throw new HubOfflineError(`${describe(ref, path)}`, options.cacheDir);
  // One writer per file across processes sharing the cache; the others wait, then find it cached.
  const lock = lockPath(
    options.cacheDir,
    basename(repoCacheDir(options.cacheDir, ref)),
    JSON.stringify([ref.revision, path, options.endpoint]),
  );
  return withFileLock(lock, async () => {
    const again = await fromCache(ref, path, options);
    return again.file ?? download(ref, path, options, again.commit);
  });
}

/** The cached file for `path` if there is one, and the commit the revision resolves to if known. */
async function fromCache(
  ref: CheckedRepo,
  path: string,
  options: ResolvedHubOptions,
): Promise<{ file?: Downloaded; commit?: string }> {
  const commit = await cachedCommit(options.cacheDir, ref);
  if (commit === undefined) return {};
  const cached = snapshotFile(options.cacheDir, ref, commit, path);
  return (await isFile(cached)) ? { file: { path: cached, commit }, commit } : { commit };
}

/** The download loop of {@link fetchIntoCache}, run holding the file's lock. */
async function download(
  ref: CheckedRepo,
  path: string,
  options: ResolvedHubOptions,
  cached: string | undefined,
): Promise<Downloaded> {
  const what = `Downloading ${describe(ref, path)}`;
  let commit = cached;

  const url = `${options.endpoint}/${repoUrlPart(ref)}/resolve/${encodeURIComponent(ref.revision)}/${path
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;
  let interruptions = 0; // broken connections: bounded by options.retries
  let restarts = 0; // server would not continue our partial file: bounded by MAX_RESTARTS
  for (;;) {
    // A partial file from an earlier attempt (this call or a previous run) is only trusted for the
    // commit it was started on; `refs/{revision}` is written as soon as that commit is known.
    const expectedCommit = commit;
    let offset =
      expectedCommit === undefined
        ? 0
        : ((await fileSize(
            `${snapshotFile(options.cacheDir, ref, expectedCommit, path)}.incomplete`,
          )) ?? 0);
    const { response, commit: served } = await hubGet(
      url,
      options,
      what,
      // identity: byte offsets and Content-Length must describe the file itself, not a gzip of it.
      offset > 0
        ? { Range: `bytes=${offset}-`, 'Accept-Encoding': 'identity' }
        : { 'Accept-Encoding': 'identity' },
    );
    commit =
      served ??
      (isCommitHash(ref.revision) ? ref.revision : snapshotNameWithoutCommit(ref.revision));
    const target = snapshotFile(options.cacheDir, ref, commit, path);
    const partial = `${target}.incomplete`;
    if (!isCommitHash(ref.revision)) {
      await mkdir(dirname(refPath(options.cacheDir, ref)), { recursive: true });
      await writeFile(refPath(options.cacheDir, ref), commit);
    }
    if (await isFile(target)) {
      // Another process (or Python huggingface_hub) already completed this snapshot file.
      await response.body?.cancel().catch(() => undefined);
      return { path: target, commit };
    }
    await mkdir(dirname(target), { recursive: true });

    let total: number | undefined;
    if (response.status === 416 || (commit !== expectedCommit && offset > 0)) {
      // 416: our partial file is not a prefix the server can continue (e.g. it is too long).
      // A different commit: the partial file belongs to older content. Start over either way.
      await response.body?.cancel().catch(() => undefined);
      if (response.status === 416) await rm(partial, { force: true });
      restarts += 1;
      if (restarts > MAX_RESTARTS) throw cannotContinue(what, url);
      continue;
    }
    if (response.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(
        response.headers.get('content-range') ?? '',
      );
      if (range === null || Number(range[1]) !== offset) {
        await response.body?.cancel().catch(() => undefined);
        await rm(partial, { force: true });
        restarts += 1;
        if (restarts > MAX_RESTARTS) throw cannotContinue(what, url);
        continue;
      }
      total = range[3] === '*' ? undefined : Number(range[3]);
    } else {
      // 200: the server ignored the Range header (or none was sent): restart from byte 0.
      offset = 0;
      const length = response.headers.get('content-length');
      const encoding = response.headers.get('content-encoding');
      // A compressed answer (despite Accept-Encoding: identity) is decoded by fetch, so its
      // Content-Length is not the file size: leave the total unknown rather than mis-check it.
      total =
        length === null || (encoding !== null && encoding !== 'identity')
          ? undefined
          : Number(length);
    }

    const file = await open(partial, offset > 0 ? 'a' : 'w');
    let done = offset;
    options.onProgress?.(done, total);
    let broken: unknown;
    try {
      if (response.body !== null) {
        for await (const received of response.body) {
          const chunk = received as Uint8Array;
          await file.write(chunk);
          done += chunk.byteLength;
          options.onProgress?.(done, total);
        }
      }
    } catch (error) {
      broken = error;
    } finally {
      await file.close();
    }
    if (broken === undefined && (total === undefined || done === total)) {
      await rename(partial, target);
      return { path: target, commit };
    }
    interruptions += 1;
    if (interruptions > options.retries) {
      throw new HubDownloadInterruptedError(what, partial, done, total, { cause: broken });
    }
  }
}
