import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
import { backoff, hubGet, log, summary, unquoteEtag } from './_request.js';
import {
  HubDownloadInterruptedError,
  HubHttpError,
  HubIntegrityError,
  HubOfflineError,
  HubTimeoutError,
} from './errors.js';

/** Where a file landed and the snapshot (commit) it belongs to. */
export interface Downloaded {
  readonly path: string;
  readonly commit: string;
}

const MAX_RESTARTS = 3;
/** Progress is reported at most this often (plus the first and the final report). */
const PROGRESS_MS = 100;
/** A waiter says again which lock it waits for this often. */
const LOCK_REPORT_MS = 5_000;

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
  return withFileLock(
    lock,
    async () => {
      const again = await fromCache(ref, path, options);
      return again.file ?? download(ref, path, options, again.commit);
    },
    (owner, waitedMs) =>
      log(
        options,
        `Downloading ${describe(ref, path)}: waiting for ${lock}, held by ${
          owner === undefined ? 'another process' : `pid ${owner.pid} on ${owner.host}`
        }${waitedMs === 0 ? '' : ` (${Math.round(waitedMs / 1000)} s so far)`}`,
      ),
    LOCK_REPORT_MS,
  );
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

/** What the hub's metadata says the file must be. */
interface Expected {
  readonly size: number | undefined;
  readonly check: 'sha256' | 'git-sha1' | undefined;
  readonly digest: string | undefined;
}

/**
 * The size and checksum to verify against: `X-Linked-Size`/`X-Linked-Etag` of the hub's redirect
 * (LFS files: the sha256 of the content), else the final answer's length and `ETag` (a 40-hex ETag
 * is the git blob id: sha1 of `blob {size}\0{bytes}`). Other ETags (a CDN's own) are not checksums.
 */
function expectation(
  linkedEtag: string | undefined,
  linkedSize: number | undefined,
  etag: string | undefined,
  total: number | undefined,
): Expected {
  const digest = (linkedEtag ?? etag)?.toLowerCase();
  const check =
    digest === undefined
      ? undefined
      : /^[0-9a-f]{64}$/.test(digest)
        ? 'sha256'
        : /^[0-9a-f]{40}$/.test(digest)
          ? 'git-sha1'
          : undefined;
  return { size: linkedSize ?? total, check, digest: check === undefined ? undefined : digest };
}

/** sha256 of the file, or its git blob id (sha1 of `blob {size}\0` + bytes), streamed from disk. */
async function digestOf(path: string, check: 'sha256' | 'git-sha1', size: number): Promise<string> {
  const hash = createHash(check === 'sha256' ? 'sha256' : 'sha1');
  if (check === 'git-sha1') hash.update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `onProgress`, at most every {@link PROGRESS_MS} (the first and the final report always pass). */
function steadyProgress(
  onProgress: ResolvedHubOptions['onProgress'],
): (done: number, total: number | undefined, force?: boolean) => void {
  let last = -Infinity;
  let lastDone: number | undefined;
  return (done, total, force = false) => {
    if (onProgress === undefined || done === lastDone) return;
    const now = performance.now();
    if (!force && done !== total && now - last < PROGRESS_MS) return;
    last = now;
    lastDone = done;
    onProgress(done, total);
  };
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
  const report = steadyProgress(options.onProgress);

  const url = `${options.endpoint}/${repoUrlPart(ref)}/resolve/${encodeURIComponent(ref.revision)}/${path
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;
  let interruptions = 0; // broken connections: bounded by options.retries
  let restarts = 0; // server would not continue our partial file: bounded by MAX_RESTARTS
  let failedChecks = 0; // verification failures: one fresh download, then HubIntegrityError
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
    const {
      response,
      commit: served,
      url: servedUrl,
      linkedEtag,
      linkedSize,
    } = await hubGet(
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
      await rm(partial, { force: true });
      restarts += 1;
      if (restarts > MAX_RESTARTS) throw cannotContinue(what, url);
      log(options, `${what}: the partial file cannot be continued; starting again from byte 0`);
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
      // 200: the server ignored the Range header (or none was sent): restart from byte 0 and
      // truncate the partial file (appending the whole body to it would corrupt it).
      if (offset > 0)
        log(options, `${what}: the server ignored the Range request; starting again from byte 0`);
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
    const expected = expectation(
      linkedEtag,
      linkedSize,
      unquoteEtag(response.headers.get('etag')),
      total,
    );
    total = expected.size ?? total;

    if (expected.size !== undefined)
      await warnIfNoRoom(options, what, dirname(target), expected.size - offset);
    const file = await open(partial, offset > 0 ? 'a' : 'w');
    let done = offset;
    report(done, total, true);
    let broken: unknown;
    try {
      if (response.body !== null)
        await copyBody(response.body, options.idleTimeoutMs, async (chunk) => {
          await file.write(chunk);
          done += chunk.byteLength;
          report(done, total);
        });
    } catch (error) {
      broken =
        error instanceof BodyStalled
          ? new HubTimeoutError(what, servedUrl, 'body', options.idleTimeoutMs)
          : error;
    } finally {
      await file.close();
    }
    // A close-delimited body that ended early looks like a clean end: the expected size tells.
    if (broken === undefined && expected.size !== undefined && done < expected.size) {
      broken = new Error(`the body ended after ${done} of ${expected.size} bytes`);
    }
    if (broken === undefined) {
      const mismatch = await verify(partial, done, expected);
      if (mismatch === undefined) {
        report(done, total, true);
        await rename(partial, target);
        return { path: target, commit };
      }
      await rm(partial, { force: true });
      failedChecks += 1;
      const error = new HubIntegrityError(
        what,
        servedUrl,
        mismatch.check,
        mismatch.expected,
        mismatch.received,
        failedChecks,
      );
      if (failedChecks > 1) throw error;
      log(options, `${what}: ${summary(error, what)}; discarded, downloading again from byte 0`);
      continue;
    }
    interruptions += 1;
    if (interruptions > options.retries) {
      if (broken instanceof HubTimeoutError) throw broken;
      throw new HubDownloadInterruptedError(what, partial, done, total, { cause: broken });
    }
    const wait = backoff(options, interruptions);
    log(
      options,
      `${what}: ${summary(broken, what)} after ${done}${total === undefined ? '' : ` of ${total}`} bytes; resuming in ${wait} ms (retry ${interruptions} of ${options.retries})`,
    );
    await sleep(wait);
  }
}

/**
 * Say through `onLog` when the cache's file system has less free space than the bytes still to
 * come (the download goes on: free space can change, and some file systems report it loosely).
 */
async function warnIfNoRoom(
  options: ResolvedHubOptions,
  what: string,
  dir: string,
  needed: number,
): Promise<void> {
  if (options.onLog === undefined || needed <= 0) return;
  const fs = await statfs(dir).catch(() => undefined);
  if (fs === undefined) return;
  const free = fs.bavail * fs.bsize;
  if (free < needed) {
    log(
      options,
      `${what}: only ${free} bytes free in ${dir}, ${needed} more needed; free some space or point HF_HUB_CACHE elsewhere`,
    );
  }
}

/** The first difference between the complete partial file and the hub's metadata, if any. */
async function verify(
  partial: string,
  size: number,
  expected: Expected,
): Promise<
  { check: 'size' | 'sha256' | 'git-sha1'; expected: string; received: string } | undefined
> {
  if (expected.size !== undefined && size !== expected.size) {
    return { check: 'size', expected: `${expected.size} bytes`, received: `${size} bytes` };
  }
  if (expected.check === undefined || expected.digest === undefined) return undefined;
  const got = await digestOf(partial, expected.check, size);
  return got === expected.digest
    ? undefined
    : { check: expected.check, expected: expected.digest, received: got };
}

/** Thrown by {@link copyBody} when no byte arrived for the idle limit. */
class BodyStalled extends Error {}

/** Feed `body` to `write` chunk by chunk; {@link BodyStalled} when it goes silent for `idleMs`. */
async function copyBody(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  const reader = body.getReader();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      reader.cancel().catch(() => undefined);
    }, idleMs);
  };
  try {
    for (;;) {
      arm();
      const { done, value } = await reader.read().catch((error: unknown) => {
        if (stalled) throw new BodyStalled();
        throw error;
      });
      if (stalled) throw new BodyStalled();
      if (done) return;
      clearTimeout(timer);
      await write(value);
    }
  } finally {
    clearTimeout(timer);
    // A stalled reader was cancelled by the timer already; do not wait on the dead connection.
    if (!stalled) await reader.cancel().catch(() => undefined);
  }
}
