import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { startDeadServer, startHubServer } from '@rtk/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { downloadHubFile } from './download-hub-file.js';
import {
  HubDownloadInterruptedError,
  HubNotFoundError,
  HubOfflineError,
  HubUnauthorizedError,
  HubUnreachableError,
} from './errors.js';
import { bytes, repoFolder, tempCache } from './_test-hub.js';

const COMMIT = '0123456789abcdef0123456789abcdef01234567'; // startHubServer's default X-Repo-Commit

/** What an interrupted earlier run leaves: refs/main and `{file}.incomplete`. Returns the final path. */
async function leavePartial(
  cacheDir: string,
  repoDir: string,
  path: string,
  head: Uint8Array,
): Promise<string> {
  await mkdir(join(cacheDir, repoDir, 'refs'), { recursive: true });
  await writeFile(join(cacheDir, repoDir, 'refs', 'main'), COMMIT);
  const target = join(cacheDir, repoDir, 'snapshots', COMMIT, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(`${target}.incomplete`, head);
  return target;
}

// Loopback HTTP (or a child process) on a shared 2-core CI machine can take seconds under load.
describe('downloadHubFile', { timeout: 30_000 }, () => {
  // The caller's environment (HF_HUB_OFFLINE=1 in an offline CI, a personal HF_TOKEN) must not leak in.
  beforeEach(() => {
    vi.stubEnv('HF_HUB_OFFLINE', '');
    vi.stubEnv('HF_TOKEN', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('downloads through the redirect into the huggingface_hub cache layout, with progress', async () => {
    const data = bytes(50_000);
    const hub = await startHubServer({
      repos: { 'datasets/org/data': await repoFolder({ 'pair/train.parquet': data }) },
    });
    const cacheDir = await tempCache();
    const progress: [number, number | undefined][] = [];
    try {
      const file = await downloadHubFile(
        { repo: 'org/data', type: 'dataset', path: 'pair/train.parquet' },
        { endpoint: hub.url, cacheDir, onProgress: (done, total) => progress.push([done, total]) },
      );
      expect(file).toBe(
        join(cacheDir, 'datasets--org--data', 'snapshots', COMMIT, 'pair', 'train.parquet'),
      );
      expect(new Uint8Array(await readFile(file))).toEqual(data);
      expect(await readFile(join(cacheDir, 'datasets--org--data', 'refs', 'main'), 'utf8')).toBe(
        COMMIT,
      );
      expect(progress.at(-1)).toEqual([50_000, 50_000]);
      expect(progress.every(([done], i) => i === 0 || done >= progress[i - 1]![0])).toBe(true);
      expect(
        await readdir(join(cacheDir, 'datasets--org--data', 'snapshots', COMMIT, 'pair')),
      ).toEqual(['train.parquet']);
      expect(hub.requests.map((r) => r.url)[0]).toBe(
        '/datasets/org/data/resolve/main/pair/train.parquet',
      );
    } finally {
      await hub.close();
    }
  });

  it('serves a cached file with the server gone, online or offline, without calling fetch', async () => {
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'config.json': '{"a":1}' }) },
    });
    const cacheDir = await tempCache();
    const first = await downloadHubFile(
      { repo: 'org/model', path: 'config.json' },
      { endpoint: hub.url, cacheDir },
    );
    await hub.close();
    const spy = vi.fn(globalThis.fetch);
    expect(
      await downloadHubFile(
        { repo: 'org/model', path: 'config.json' },
        { endpoint: hub.url, cacheDir, fetch: spy },
      ),
    ).toBe(first);
    expect(
      await downloadHubFile(
        { repo: 'org/model', path: 'config.json' },
        { endpoint: hub.url, cacheDir, offline: true, fetch: spy },
      ),
    ).toBe(first);
    expect(spy).not.toHaveBeenCalled();
  });

  it('resumes a partial file left by an earlier run with a Range request', async () => {
    const data = bytes(150_000);
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'w.bin': data }) },
    });
    const cacheDir = await tempCache();
    const target = await leavePartial(
      cacheDir,
      'models--org--model',
      'w.bin',
      data.subarray(0, 40_000),
    );
    const progress: [number, number | undefined][] = [];
    try {
      const file = await downloadHubFile(
        { repo: 'org/model', path: 'w.bin' },
        { endpoint: hub.url, cacheDir, onProgress: (d, t) => progress.push([d, t]) },
      );
      expect(file).toBe(target);
      expect(new Uint8Array(await readFile(file))).toEqual(data);
      const cdn = hub.requests.filter((r) => r.url.startsWith('/cdn/'));
      expect(cdn.map((r) => r.range)).toEqual(['bytes=40000-']);
      expect(progress[0]).toEqual([40_000, 150_000]);
      expect(progress.at(-1)).toEqual([150_000, 150_000]);
      await expect(stat(`${target}.incomplete`)).rejects.toThrow();
    } finally {
      await hub.close();
    }
  });

  it('restarts from byte 0 when the server ignores the Range header', async () => {
    const data = bytes(90_000);
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'w.bin': data }) },
      ignoreRange: true,
    });
    const cacheDir = await tempCache();
    await leavePartial(cacheDir, 'models--org--model', 'w.bin', data.subarray(0, 30_000));
    try {
      const file = await downloadHubFile(
        { repo: 'org/model', path: 'w.bin' },
        { endpoint: hub.url, cacheDir },
      );
      expect(hub.requests.filter((r) => r.url.startsWith('/cdn/')).map((r) => r.range)).toEqual([
        'bytes=30000-',
      ]);
      expect(new Uint8Array(await readFile(file))).toEqual(data);
    } finally {
      await hub.close();
    }
  });

  it('discards a partial file the server cannot continue (416) and downloads afresh', async () => {
    const data = bytes(10_000);
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'w.bin': data }) },
    });
    const cacheDir = await tempCache();
    await leavePartial(cacheDir, 'models--org--model', 'w.bin', bytes(12_000));
    try {
      const file = await downloadHubFile(
        { repo: 'org/model', path: 'w.bin' },
        { endpoint: hub.url, cacheDir, retries: 0 }, // a 416 restart is not a broken connection
      );
      expect(new Uint8Array(await readFile(file))).toEqual(data);
      expect(hub.requests.filter((r) => r.url.startsWith('/cdn/')).map((r) => r.range)).toEqual([
        'bytes=12000-',
        undefined,
      ]);
    } finally {
      await hub.close();
    }
  });

  it('retries within the call after the connection is cut mid-file', async () => {
    const data = bytes(200_000);
    const cut = { path: 'org/model/onnx/model.onnx', afterBytes: 70_000, times: 2 };
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'onnx/model.onnx': data }) },
      cut,
    });
    const cacheDir = await tempCache();
    try {
      const file = await downloadHubFile(
        { repo: 'org/model', path: 'onnx/model.onnx' },
        { endpoint: hub.url, cacheDir, retryDelayMs: 5 },
      );
      expect(new Uint8Array(await readFile(file))).toEqual(data);
      const cdn = hub.requests.filter((r) => r.url.startsWith('/cdn/'));
      expect(cdn).toHaveLength(3);
      expect(cdn[0]?.range).toBeUndefined();
      // How many of the cut bytes reached the file before the error depends on timing; the retry
      // asks for exactly what is missing (or everything, when nothing was kept).
      for (const r of cdn.slice(1)) expect(r.range ?? 'bytes=0-').toMatch(/^bytes=\d+-$/);
    } finally {
      await hub.close();
    }
  });

  it('gives up after `retries` breaks, keeping the .incomplete file for the next call', async () => {
    const data = bytes(120_000);
    const cut = { path: 'org/model/w.bin', afterBytes: 40_000, times: 1 };
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'w.bin': data }) },
      cut,
    });
    const cacheDir = await tempCache();
    const target = join(cacheDir, 'models--org--model', 'snapshots', COMMIT, 'w.bin');
    try {
      const error: unknown = await downloadHubFile(
        { repo: 'org/model', path: 'w.bin' },
        { endpoint: hub.url, cacheDir, retries: 0 },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubDownloadInterruptedError);
      expect((error as HubDownloadInterruptedError).code).toBe('ERR_HUB_DOWNLOAD_INTERRUPTED');
      expect((error as Error).message).toContain(`${target}.incomplete`);
      await expect(stat(target)).rejects.toThrow();
      expect((await stat(`${target}.incomplete`)).size).toBeLessThanOrEqual(40_000);

      const file = await downloadHubFile(
        { repo: 'org/model', path: 'w.bin' },
        { endpoint: hub.url, cacheDir, retries: 0 },
      );
      expect(file).toBe(target);
      expect(new Uint8Array(await readFile(file))).toEqual(data);
    } finally {
      await hub.close();
    }
  });

  it('downloads at an encoded revision', async () => {
    const hub = await startHubServer({
      repos: { 'datasets/org/data': await repoFolder({ 'pair/train/0000.parquet': 'x' }) },
      revisions: ['refs/convert/parquet'],
    });
    const cacheDir = await tempCache();
    try {
      const file = await downloadHubFile(
        {
          repo: 'org/data',
          type: 'dataset',
          revision: 'refs/convert/parquet',
          path: 'pair/train/0000.parquet',
        },
        { endpoint: hub.url, cacheDir },
      );
      expect(await readFile(file, 'utf8')).toBe('x');
      expect(hub.requests[0]?.url).toBe(
        '/datasets/org/data/resolve/refs%2Fconvert%2Fparquet/pair/train/0000.parquet',
      );
      expect(
        await readFile(
          join(cacheDir, 'datasets--org--data', 'refs', 'refs', 'convert', 'parquet'),
          'utf8',
        ),
      ).toBe(COMMIT);
    } finally {
      await hub.close();
    }
  });

  it('throws HubNotFoundError naming repo, revision and path for a missing file or repo', async () => {
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'a.json': '{}' }) },
    });
    const cacheDir = await tempCache();
    try {
      const error: unknown = await downloadHubFile(
        { repo: 'org/model', path: 'missing.bin' },
        { endpoint: hub.url, cacheDir },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubNotFoundError);
      expect((error as HubNotFoundError).code).toBe('ERR_HUB_NOT_FOUND');
      expect((error as HubNotFoundError).hubErrorCode).toBe('EntryNotFound');
      expect((error as Error).message).toContain('org/model@main');
      expect((error as Error).message).toContain('missing.bin');
      const repoError: unknown = await downloadHubFile(
        { repo: 'org/other', path: 'a.json' },
        { endpoint: hub.url, cacheDir },
      ).catch((e: unknown) => e);
      expect((repoError as HubNotFoundError).hubErrorCode).toBe('RepoNotFound');
      // Nothing half-written is left behind.
      expect(await readdir(cacheDir)).toEqual([]);
    } finally {
      await hub.close();
    }
  });

  it('throws HubUnauthorizedError suggesting HF_TOKEN, and sends HF_TOKEN as a bearer token', async () => {
    const hub = await startHubServer({
      repos: { 'org/gated': await repoFolder({ 'a.json': '{"ok":true}' }) },
      token: 'hf_secret',
    });
    const cacheDir = await tempCache();
    try {
      vi.stubEnv('HF_TOKEN', '');
      const error: unknown = await downloadHubFile(
        { repo: 'org/gated', path: 'a.json' },
        { endpoint: hub.url, cacheDir },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubUnauthorizedError);
      expect((error as HubUnauthorizedError).code).toBe('ERR_HUB_UNAUTHORIZED');
      expect((error as Error).message).toContain('HF_TOKEN');
      await expect(
        downloadHubFile(
          { repo: 'org/gated', path: 'a.json' },
          { endpoint: hub.url, cacheDir, token: 'wrong' },
        ),
      ).rejects.toThrow(/was refused/);
      vi.stubEnv('HF_TOKEN', 'hf_secret');
      const file = await downloadHubFile(
        { repo: 'org/gated', path: 'a.json' },
        { endpoint: hub.url, cacheDir },
      );
      expect(await readFile(file, 'utf8')).toBe('{"ok":true}');
      expect(hub.requests.at(-1)?.authorization).toBe('Bearer hf_secret');
    } finally {
      await hub.close();
    }
  });

  it('throws HubUnreachableError that says how to go on when nothing answers', async () => {
    const dead = await startDeadServer();
    try {
      const error: unknown = await downloadHubFile(
        { repo: 'org/model', path: 'a.json' },
        { endpoint: dead.url, cacheDir: await tempCache(), retryDelayMs: 5 },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubUnreachableError);
      expect((error as HubUnreachableError).code).toBe('ERR_HUB_UNREACHABLE');
      expect((error as Error).message).toContain(dead.url);
      expect((error as Error).message).toContain('HF_ENDPOINT');
      expect((error as Error).message).toContain('--data PATH');
      expect((error as Error).message).toContain('--offline');
    } finally {
      await dead.close();
    }
  });

  it('offline with the file not cached throws HubOfflineError without any network call', async () => {
    const spy = vi.fn(globalThis.fetch);
    vi.stubEnv('HF_HUB_OFFLINE', '1');
    const error: unknown = await downloadHubFile(
      { repo: 'org/model', path: 'a.json' },
      { endpoint: 'http://127.0.0.1:9', cacheDir: await tempCache(), fetch: spy },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubOfflineError);
    expect((error as HubOfflineError).code).toBe('ERR_HUB_NOT_CACHED');
    expect((error as Error).message).toContain('a.json');
    expect(spy).not.toHaveBeenCalled();
  });

  it.each(['1', 'true', 'YES', 'on'])('treats HF_HUB_OFFLINE=%s as offline', async (value) => {
    const spy = vi.fn(globalThis.fetch);
    vi.stubEnv('HF_HUB_OFFLINE', value);
    await expect(
      downloadHubFile(
        { repo: 'org/model', path: 'a.json' },
        { cacheDir: await tempCache(), fetch: spy },
      ),
    ).rejects.toThrow(HubOfflineError);
    expect(spy).not.toHaveBeenCalled();
  });

  it('reads HF_ENDPOINT and HF_HUB_CACHE from the environment at call time', async () => {
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'a.json': '1' }) },
    });
    const cacheDir = await tempCache();
    try {
      vi.stubEnv('HF_ENDPOINT', hub.url);
      vi.stubEnv('HF_HUB_CACHE', cacheDir);
      expect(await downloadHubFile({ repo: 'org/model', path: 'a.json' })).toBe(
        join(cacheDir, 'models--org--model', 'snapshots', COMMIT, 'a.json'),
      );
    } finally {
      await hub.close();
    }
  });

  it('shares one download between concurrent calls for the same file', async () => {
    const data = bytes(80_000);
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'w.bin': data }) },
    });
    const cacheDir = await tempCache();
    try {
      const ref = { repo: 'org/model', path: 'w.bin' };
      const [a, b] = await Promise.all([
        downloadHubFile(ref, { endpoint: hub.url, cacheDir }),
        downloadHubFile(ref, { endpoint: hub.url, cacheDir }),
      ]);
      expect(a).toBe(b);
      expect(new Uint8Array(await readFile(a))).toEqual(data);
      expect(hub.requests.filter((r) => r.url.startsWith('/cdn/'))).toHaveLength(1);
    } finally {
      await hub.close();
    }
  });

  it('sends the token to the hub but not to a CDN on another origin', async () => {
    const seen: { url: string; authorization: string | null; encoding: string | null }[] = [];
    const fakeFetch = (input: string, init?: RequestInit): Promise<Response> => {
      const url = input;
      const headers = new Headers(init?.headers);
      seen.push({
        url,
        authorization: headers.get('authorization'),
        encoding: headers.get('accept-encoding'),
      });
      if (url.startsWith('https://hub.example')) {
        return Promise.resolve(
          new Response(null, {
            status: 302,
            headers: { Location: 'https://cdn.example/blob/abc', 'X-Repo-Commit': COMMIT },
          }),
        );
      }
      return Promise.resolve(
        new Response('payload', { status: 200, headers: { 'Content-Length': '7' } }),
      );
    };
    const file = await downloadHubFile(
      { repo: 'org/private', path: 'a.bin' },
      {
        endpoint: 'https://hub.example',
        token: 'hf_secret',
        cacheDir: await tempCache(),
        fetch: fakeFetch as typeof fetch,
      },
    );
    expect(await readFile(file, 'utf8')).toBe('payload');
    expect(seen).toEqual([
      {
        url: 'https://hub.example/org/private/resolve/main/a.bin',
        authorization: 'Bearer hf_secret',
        encoding: 'identity',
      },
      { url: 'https://cdn.example/blob/abc', authorization: null, encoding: 'identity' },
    ]);
  });
});
