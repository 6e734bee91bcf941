import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, relative, sep } from 'node:path';
import { startDeadServer, startHubServer, type HubFault } from '@rtk/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { downloadHubFile } from './download-hub-file.js';
import { lockPath } from './_lock.js';
import { bytes, repoFolder, tempCache } from './_test-hub.js';
import type { HubOptions } from './types.js';

const COMMIT = '0123456789abcdef0123456789abcdef01234567'; // startHubServer's default X-Repo-Commit
const TOKEN = 'hf_LoopbackSecret0123456789';
/** Short waits between retries; limits that a loaded 2-core machine never hits on loopback. */
const FAST = {
  retries: 1,
  retryDelayMs: 5,
  headersTimeoutMs: 5_000,
  idleTimeoutMs: 5_000,
} as const;
/** Limits for the stall tests: a stalled attempt costs 150 ms. */
const STALL = { headersTimeoutMs: 150, idleTimeoutMs: 150 } as const;

/** Every file under `dir`, relative, `/`-separated. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Files that a reader of the cache would take for downloaded ones (no `.incomplete`). */
async function cachedFiles(cacheDir: string): Promise<string[]> {
  return (await filesUnder(cacheDir)).filter(
    (f) => /\/(snapshots|blobs)\//.test(f) && !f.endsWith('.incomplete'),
  );
}

/** Resolves once `path` holds at least `size` bytes (or after 10 s, so a broken client still ends). */
async function grown(path: string, size: number): Promise<void> {
  for (const end = Date.now() + 10_000; Date.now() < end;) {
    const now = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    if (now >= size) return;
    await sleep(10);
  }
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & { code?: string };
}

/** Every text a user could see: message, String(), stack and causes, and the log lines. */
function visibleText(error: unknown, logs: readonly string[]): string {
  const parts: string[] = [...logs];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push(current.message, String(current), current.stack ?? '');
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

interface Setup {
  readonly faults?: readonly HubFault[];
  readonly lfs?: boolean;
  readonly token?: string;
  readonly size?: number;
}

/** A loopback hub serving `org/model` with `w.bin`, a fresh cache, and a log collector. */
async function setup(s: Setup = {}) {
  const data = bytes(s.size ?? 60_000);
  const hub = await startHubServer({
    repos: { 'org/model': await repoFolder({ 'w.bin': data }) },
    ...(s.faults === undefined ? {} : { faults: s.faults }),
    ...(s.lfs === undefined ? {} : { lfs: s.lfs }),
    ...(s.token === undefined ? {} : { token: s.token }),
  });
  const cacheDir = await tempCache();
  const logs: string[] = [];
  const target = join(cacheDir, 'models--org--model', 'snapshots', COMMIT, 'w.bin');
  const get = (options: HubOptions = {}) =>
    downloadHubFile(
      { repo: 'org/model', path: 'w.bin' },
      { endpoint: hub.url, cacheDir, ...FAST, onLog: (m) => logs.push(m), ...options },
    );
  const fileRequests = () =>
    hub.requests.filter((r) => r.url.startsWith('/cdn/') || r.url.includes('/resolve/'));
  return { data, hub, cacheDir, logs, target, get, fileRequests };
}

describe('downloads against a faulty hub', { timeout: 20_000 }, () => {
  beforeEach(() => {
    vi.stubEnv('HF_HUB_OFFLINE', '');
    vi.stubEnv('HF_TOKEN', '');
    vi.stubEnv('HF_ENDPOINT', '');
    vi.stubEnv('HF_HUB_ETAG_TIMEOUT', '');
    vi.stubEnv('HF_HUB_DOWNLOAD_TIMEOUT', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('short body (Content-Length larger than what is sent): resumes, verifies, caches', async () => {
    let partial = '';
    const t = await setup({
      faults: [
        {
          path: 'org/model/w.bin',
          mode: 'short-length',
          afterBytes: 20_000,
          times: 1,
          // Close once the client has stored what was sent, so the retry must ask for the rest.
          closeWhen: () => grown(partial, 20_000),
        },
      ],
    });
    partial = `${t.target}.incomplete`;
    try {
      expect(new Uint8Array(await readFile(await t.get()))).toEqual(t.data);
      const ranges = t.hub.requests.filter((r) => r.url.startsWith('/cdn/')).map((r) => r.range);
      expect(ranges).toHaveLength(2);
      expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    } finally {
      await t.hub.close();
    }
  });

  it('short body every time: ERR_HUB_DOWNLOAD_INTERRUPTED, nothing cached, a later call finishes', async () => {
    const t = await setup({
      faults: [{ path: 'org/model/w.bin', mode: 'short-length', afterBytes: 20_000, times: 2 }],
    });
    try {
      const error = await failure(t.get({ retries: 1 }));
      expect(error.code).toBe('ERR_HUB_DOWNLOAD_INTERRUPTED');
      expect(error.message).toContain('the connection broke after');
      expect(error.message).toContain('of 60000 bytes');
      expect(await cachedFiles(t.cacheDir)).toEqual([]); // only the resumable .incomplete
      expect(new Uint8Array(await readFile(await t.get()))).toEqual(t.data);
    } finally {
      await t.hub.close();
    }
  });

  it('close-delimited body cut half-way (looks like a clean end): X-Linked-Size catches it', async () => {
    const t = await setup({
      faults: [{ path: 'org/model/w.bin', mode: 'close-delimited-cut', times: 2 }],
    });
    try {
      const error = await failure(t.get({ retries: 1 }));
      expect(error.code).toBe('ERR_HUB_DOWNLOAD_INTERRUPTED');
      expect(String((error.cause as Error | undefined)?.message)).toMatch(
        /the body ended after \d+ of 60000 bytes/,
      );
      expect(await cachedFiles(t.cacheDir)).toEqual([]);
      expect(t.logs.some((l) => l.includes('resuming in 5 ms'))).toBe(true);
      expect(new Uint8Array(await readFile(await t.get()))).toEqual(t.data);
    } finally {
      await t.hub.close();
    }
  });

  it('close-delimited cut of a non-LFS file (no size known): the git blob id catches it', async () => {
    const t = await setup({
      lfs: false,
      faults: [{ path: 'org/model/w.bin', mode: 'close-delimited-cut', times: 2 }],
    });
    try {
      const error = await failure(t.get());
      expect(error.code).toBe('ERR_HUB_INTEGRITY');
      expect(error.message).toContain('file w.bin');
      expect(error.message).toMatch(/expected git-sha1 [0-9a-f]{40}, got [0-9a-f]{40}/);
      expect(await filesUnder(join(t.cacheDir, 'models--org--model', 'snapshots'))).toEqual([]);
      expect(new Uint8Array(await readFile(await t.get()))).toEqual(t.data);
    } finally {
      await t.hub.close();
    }
  });

  it('flipped bytes once: discarded, downloaded again from byte 0, cached intact', async () => {
    const t = await setup({ faults: [{ path: 'org/model/w.bin', mode: 'flip-bytes', times: 1 }] });
    try {
      expect(new Uint8Array(await readFile(await t.get({ retries: 0 })))).toEqual(t.data);
      const ranges = t.hub.requests.filter((r) => r.url.startsWith('/cdn/')).map((r) => r.range);
      expect(ranges).toEqual([undefined, undefined]);
      expect(t.logs.some((l) => l.includes('discarded, downloading again from byte 0'))).toBe(true);
    } finally {
      await t.hub.close();
    }
  });

  it('flipped bytes twice: ERR_HUB_INTEGRITY naming file, sha256 expected and got; cache clean', async () => {
    const t = await setup({ faults: [{ path: 'org/model/w.bin', mode: 'flip-bytes', times: 2 }] });
    try {
      const error = await failure(t.get());
      expect(error.name).toBe('HubIntegrityError');
      expect(error.code).toBe('ERR_HUB_INTEGRITY');
      expect(error.message).toContain('model org/model@main file w.bin');
      const { sha256Hex } = await import('@rtk/test-utils');
      expect(error.message).toContain(`expected sha256 ${sha256Hex(t.data)}, got `);
      expect(error.message).toContain('2 attempts');
      expect(await filesUnder(join(t.cacheDir, 'models--org--model', 'snapshots'))).toEqual([]);
      expect(new Uint8Array(await readFile(await t.get()))).toEqual(t.data);
    } finally {
      await t.hub.close();
    }
  });

  it('flipped bytes in a non-LFS file: the git blob id (sha1 of "blob <size>\\0<bytes>") catches it', async () => {
    const t = await setup({
      lfs: false,
      faults: [{ path: 'org/model/w.bin', mode: 'flip-bytes', times: 2 }],
    });
    try {
      const error = await failure(t.get());
      expect(error.code).toBe('ERR_HUB_INTEGRITY');
      const { gitBlobId } = await import('@rtk/test-utils');
      expect(error.message).toContain(`expected git-sha1 ${gitBlobId(t.data)}`);
      expect(await cachedFiles(t.cacheDir)).toEqual([]);
    } finally {
      await t.hub.close();
    }
  });

  it('a corrupted .incomplete is resumed, fails verification, and is replaced by a fresh download', async () => {
    const t = await setup();
    try {
      const head = Uint8Array.from(t.data.subarray(0, 25_000));
      head[100] = head[100]! ^ 0xff;
      await mkdir(join(t.cacheDir, 'models--org--model', 'refs'), { recursive: true });
      await writeFile(join(t.cacheDir, 'models--org--model', 'refs', 'main'), COMMIT);
      await mkdir(dirname(t.target), { recursive: true });
      await writeFile(`${t.target}.incomplete`, head);
      expect(new Uint8Array(await readFile(await t.get({ retries: 0 })))).toEqual(t.data);
      const ranges = t.hub.requests.filter((r) => r.url.startsWith('/cdn/')).map((r) => r.range);
      expect(ranges).toEqual(['bytes=25000-', undefined]);
    } finally {
      await t.hub.close();
    }
  });

  it('a server ignoring Range (200 with the whole body) on a resume: starts over, never appends', async () => {
    const t = await setup({ faults: [{ path: 'org/model/w.bin', mode: 'ignore-range' }] });
    try {
      await mkdir(join(t.cacheDir, 'models--org--model', 'refs'), { recursive: true });
      await writeFile(join(t.cacheDir, 'models--org--model', 'refs', 'main'), COMMIT);
      await mkdir(dirname(t.target), { recursive: true });
      await writeFile(`${t.target}.incomplete`, t.data.subarray(0, 30_000));
      const file = await t.get({ retries: 0 });
      expect(new Uint8Array(await readFile(file))).toEqual(t.data);
      expect(t.hub.requests.filter((r) => r.url.startsWith('/cdn/')).map((r) => r.range)).toEqual([
        'bytes=30000-',
      ]);
      expect(t.logs.some((l) => l.includes('ignored the Range request'))).toBe(true);
    } finally {
      await t.hub.close();
    }
  });

  it('416 every time: ERR_HUB_HTTP saying the partial cannot be continued, nothing cached', async () => {
    const t = await setup({ faults: [{ path: 'org/model/w.bin', mode: 'status', status: 416 }] });
    try {
      const error = await failure(t.get());
      expect(error.code).toBe('ERR_HUB_HTTP');
      expect(error.message).toContain('HTTP 416');
      expect(error.message).toContain('would not continue or restart');
      expect(await filesUnder(join(t.cacheDir, 'models--org--model', 'snapshots'))).toEqual([]);
    } finally {
      await t.hub.close();
    }
  });

  it('stalled headers: retried, then ERR_HUB_TIMEOUT naming HF_HUB_ETAG_TIMEOUT', async () => {
    const t = await setup({
      faults: [{ path: 'org/model/w.bin', mode: 'stall-headers', times: 3 }],
    });
    try {
      const started = performance.now();
      const error = await failure(t.get({ ...STALL, retries: 1 }));
      expect(performance.now() - started).toBeLessThan(4_000);
      expect(error.code).toBe('ERR_HUB_TIMEOUT');
      expect(error.message).toContain('no response headers');
      expect(error.message).toContain('within 150 ms');
      expect(error.message).toContain('HF_HUB_ETAG_TIMEOUT');
      expect(t.logs.filter((l) => l.includes('retry 1 of 1'))).toHaveLength(1);
      expect(await filesUnder(t.cacheDir)).toEqual(
        ['models--org--model/refs/main'].filter(() => false),
      );
      // The third answer is stalled too; the fourth is served.
      const file = await t.get({ headersTimeoutMs: 150, retries: 2 });
      expect(new Uint8Array(await readFile(file))).toEqual(t.data);
    } finally {
      await t.hub.close();
    }
  });

  it('HF_HUB_ETAG_TIMEOUT and HF_HUB_DOWNLOAD_TIMEOUT (seconds) set the limits', async () => {
    const t = await setup({
      faults: [
        { path: 'org/model/w.bin', mode: 'stall-headers', times: 1 },
        { path: 'org/model/w.bin', mode: 'stall-body', afterBytes: 1_000, times: 1 },
      ],
    });
    try {
      vi.stubEnv('HF_HUB_ETAG_TIMEOUT', '0.1');
      vi.stubEnv('HF_HUB_DOWNLOAD_TIMEOUT', '0.12');
      const options = { headersTimeoutMs: undefined, idleTimeoutMs: undefined, retries: 0 };
      const headers = await failure(t.get(options));
      expect(headers.message).toContain('no response headers');
      expect(headers.message).toContain('within 100 ms');
      const body = await failure(t.get(options));
      expect(body.code).toBe('ERR_HUB_TIMEOUT');
      expect(body.message).toContain('no body bytes');
      expect(body.message).toContain('within 120 ms');
      expect(body.message).toContain('HF_HUB_DOWNLOAD_TIMEOUT');
      expect(await cachedFiles(t.cacheDir)).toEqual([]);
      vi.stubEnv('HF_HUB_DOWNLOAD_TIMEOUT', 'soon');
      expect((await failure(t.get(options))).message).toContain(
        'HF_HUB_DOWNLOAD_TIMEOUT must be a number of seconds',
      );
    } finally {
      await t.hub.close();
    }
  });

  it('stalled body: the idle limit ends the attempt and the retry resumes where it stopped', async () => {
    const t = await setup({
      faults: [{ path: 'org/model/w.bin', mode: 'stall-body', afterBytes: 15_000, times: 1 }],
    });
    const progress: [number, number | undefined][] = [];
    try {
      const file = await t.get({
        idleTimeoutMs: 150,
        onProgress: (d, total) => progress.push([d, total]),
      });
      expect(new Uint8Array(await readFile(file))).toEqual(t.data);
      const ranges = t.hub.requests.filter((r) => r.url.startsWith('/cdn/')).map((r) => r.range);
      expect(ranges).toEqual([undefined, 'bytes=15000-']);
      expect(t.logs.some((l) => l.includes('no body bytes') && l.includes('resuming'))).toBe(true);
      expect(progress.at(-1)).toEqual([60_000, 60_000]);
    } finally {
      await t.hub.close();
    }
  });

  it('5xx echoing the request headers: retried with backoff; the token never shows', async () => {
    const t = await setup({
      token: TOKEN,
      faults: [{ path: 'org/model/w.bin', mode: 'status', status: 503 }],
    });
    try {
      const error = await failure(t.get({ token: TOKEN, retries: 2 }));
      expect(error.code).toBe('ERR_HUB_HTTP');
      expect(error.message).toContain('HTTP 503');
      expect(error.message).toContain('upstream failed'); // the body is quoted, redacted
      expect(error.message).toContain('"authorization":"***"');
      expect(t.logs.filter((l) => /retry \d of 2 in (5|10) ms/.test(l))).toHaveLength(2);
      const seen = visibleText(error, t.logs);
      expect(seen).not.toContain(TOKEN);
      expect(seen).not.toContain('LoopbackSecret');
      expect(t.hub.faultsServed).toEqual([3]);
      expect(await cachedFiles(t.cacheDir)).toEqual([]);
    } finally {
      await t.hub.close();
    }
  });

  it('5xx once: the retry succeeds', async () => {
    const t = await setup({ faults: [{ path: 'org/model/w.bin', mode: 'status', times: 1 }] });
    try {
      expect(new Uint8Array(await readFile(await t.get()))).toEqual(t.data);
    } finally {
      await t.hub.close();
    }
  });

  it('401 (a refused token, echoed back by the server): ERR_HUB_UNAUTHORIZED without the token', async () => {
    const t = await setup({ token: TOKEN });
    const wrong = 'hf_WrongWrongWrong42';
    try {
      const refused = await failure(t.get({ token: wrong }));
      expect(refused.code).toBe('ERR_HUB_UNAUTHORIZED');
      expect(refused.message).toContain('HTTP 401');
      expect(refused.message).toContain('was refused');
      expect(visibleText(refused, t.logs)).not.toContain(wrong);
      const echoed = await setup({
        faults: [{ path: 'org/model/w.bin', mode: 'status', status: 401 }],
      });
      try {
        const error = await failure(echoed.get({ token: wrong }));
        expect(error.code).toBe('ERR_HUB_UNAUTHORIZED');
        expect(visibleText(error, echoed.logs)).not.toContain(wrong);
        expect(await cachedFiles(echoed.cacheDir)).toEqual([]);
      } finally {
        await echoed.hub.close();
      }
    } finally {
      await t.hub.close();
    }
  });

  it('a token in the endpoint URL: ERR_HUB_BAD_ENDPOINT naming the variable, never the token', async () => {
    const spy = vi.fn(globalThis.fetch);
    const cacheDir = await tempCache();
    const ref = { repo: 'org/model', path: 'w.bin' };
    vi.stubEnv('HF_ENDPOINT', `http://me:${TOKEN}@127.0.0.1:9`);
    const fromEnv = await failure(downloadHubFile(ref, { cacheDir, fetch: spy }));
    expect(fromEnv.code).toBe('ERR_HUB_BAD_ENDPOINT');
    expect(fromEnv.message).toContain('HF_ENDPOINT "http://me:***@127.0.0.1:9"');
    expect(fromEnv.message).toContain('credentials');
    expect(visibleText(fromEnv, [])).not.toContain(TOKEN);
    const fromOption = await failure(
      downloadHubFile(ref, { cacheDir, fetch: spy, endpoint: `https://x:${TOKEN}@hub.example` }),
    );
    expect(fromOption.message).toContain('options.endpoint');
    expect(visibleText(fromOption, [])).not.toContain(TOKEN);
    vi.stubEnv('HF_ENDPOINT', 'hub.example.com');
    const notUrl = await failure(downloadHubFile(ref, { cacheDir, fetch: spy }));
    expect(notUrl.name).toBe('HubBadEndpointError');
    expect(notUrl.message).toContain('HF_ENDPOINT "hub.example.com" is not a usable hub endpoint');
    expect(notUrl.message).not.toContain('ERR_INVALID_URL');
    expect(spy).not.toHaveBeenCalled();
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('refused connections are retried with doubling waits, each reported', async () => {
    const dead = await startDeadServer();
    const logs: string[] = [];
    try {
      const error = await failure(
        downloadHubFile(
          { repo: 'org/model', path: 'w.bin' },
          {
            endpoint: dead.url,
            cacheDir: await tempCache(),
            retries: 2,
            retryDelayMs: 20,
            onLog: (m) => logs.push(m),
          },
        ),
      );
      expect(error.code).toBe('ERR_HUB_UNREACHABLE');
      expect(logs).toHaveLength(2);
      expect(logs[0]).toContain('retry 1 of 2 in 20 ms');
      expect(logs[1]).toContain('retry 2 of 2 in 40 ms');
    } finally {
      await dead.close();
    }
  });

  it('waiting for another process’s lock is reported with the lock file and its pid', async () => {
    const t = await setup();
    try {
      const lock = lockPath(
        t.cacheDir,
        'models--org--model',
        JSON.stringify(['main', 'w.bin', t.hub.url]),
      );
      await mkdir(dirname(lock), { recursive: true });
      await writeFile(
        lock,
        JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname() }),
      );
      const running = t.get();
      await new Promise((r) => setTimeout(r, 300));
      expect(t.logs).toHaveLength(1);
      expect(t.logs[0]).toContain(`waiting for ${lock}, held by pid ${process.pid}`);
      await rm(lock);
      expect(new Uint8Array(await readFile(await running))).toEqual(t.data);
    } finally {
      await t.hub.close();
    }
  });

  it('reports progress at a steady rate: at most one report per 100 ms besides the first and last', async () => {
    const t = await setup({
      size: 400_000,
      faults: [{ path: 'org/model/w.bin', mode: 'stall-body', afterBytes: 100_000, times: 1 }],
    });
    const at: number[] = [];
    const progress: number[] = [];
    try {
      await t.get({
        idleTimeoutMs: 400,
        onProgress: (done) => {
          at.push(performance.now());
          progress.push(done);
        },
      });
      expect(progress.at(-1)).toBe(400_000);
      // Byte 0, byte 100 000 when the resumed attempt starts (after the 400 ms stall), the end;
      // every report but the final one at least 100 ms after the one before.
      const gaps = at.slice(1, -1).map((time, i) => time - at[i]!);
      expect(gaps.length).toBeGreaterThan(0);
      expect(gaps.every((g) => g >= 95)).toBe(true);
      expect(progress[0]).toBe(0);
      expect(progress).toContain(100_000);
      expect(progress.length).toBeLessThan(8);
    } finally {
      await t.hub.close();
    }
  });

  it('warns through onLog when the cache has less free space than the file needs', async () => {
    const logs: string[] = [];
    const huge = String(2 ** 60); // more than any disk
    const fakeFetch = (): Promise<Response> =>
      Promise.resolve(
        new Response('tiny', {
          status: 200,
          headers: { 'Content-Length': '4', 'X-Linked-Size': huge, 'X-Repo-Commit': COMMIT },
        }),
      );
    const cacheDir = await tempCache();
    const error = await failure(
      downloadHubFile(
        { repo: 'org/model', path: 'w.bin' },
        {
          endpoint: 'https://hub.example',
          cacheDir,
          fetch: fakeFetch,
          retries: 0,
          onLog: (m) => logs.push(m),
        },
      ),
    );
    expect(logs[0]).toMatch(new RegExp(`only \\d+ bytes free in .+, ${huge} more needed`));
    expect(logs[0]).toContain('HF_HUB_CACHE');
    // The body ended 4 bytes in: a broken download, kept for a resume, never cached.
    expect(error.code).toBe('ERR_HUB_DOWNLOAD_INTERRUPTED');
    expect(await cachedFiles(cacheDir)).toEqual([]);
  });
});
