import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startHubServer } from '@rtk/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

describe('downloadHubFile', () => {
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

  it('resumes with a Range request after the connection is cut mid-file', async () => {
    const data = bytes(200_000);
    const cut = { path: 'org/model/onnx/model.onnx', afterBytes: 70_000, times: 1 };
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'onnx/model.onnx': data }) },
      cut,
    });
    const cacheDir = await tempCache();
    try {
      const file = await downloadHubFile(
        { repo: 'org/model', path: 'onnx/model.onnx' },
        { endpoint: hub.url, cacheDir },
      );
      expect(new Uint8Array(await readFile(file))).toEqual(data);
      const ranges = hub.requests
        .filter((r) => r.url.startsWith('/cdn/'))
        .map((r) => r.range)
        .filter((r) => r !== undefined);
      expect(ranges).toHaveLength(1);
      const start = Number(/^bytes=(\d+)-$/.exec(ranges[0]!)?.[1]);
      expect(start).toBeGreaterThan(0);
      expect(start).toBeLessThanOrEqual(70_000);
    } finally {
      await hub.close();
    }
  });

  it('keeps the .incomplete file when it gives up, and a later call resumes it', async () => {
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
      expect((error as HubDownloadInterruptedError).code).toBe('HUB_DOWNLOAD_INTERRUPTED');
      expect((error as Error).message).toContain(`${target}.incomplete`);
      await expect(stat(target)).rejects.toThrow();
      const partial = (await stat(`${target}.incomplete`)).size;
      expect(partial).toBeGreaterThan(0);

      const file = await downloadHubFile(
        { repo: 'org/model', path: 'w.bin' },
        { endpoint: hub.url, cacheDir, retries: 0 },
      );
      expect(file).toBe(target);
      expect(new Uint8Array(await readFile(file))).toEqual(data);
      expect(hub.requests.at(-1)?.range).toBe(`bytes=${partial}-`);
      await expect(stat(`${target}.incomplete`)).rejects.toThrow();
    } finally {
      await hub.close();
    }
  });

  it('restarts from byte 0 when the server ignores the Range header', async () => {
    const data = bytes(90_000);
    const cut = { path: 'org/model/w.bin', afterBytes: 30_000, times: 1 };
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'w.bin': data }) },
      cut,
      ignoreRange: true,
    });
    const cacheDir = await tempCache();
    try {
      await expect(
        downloadHubFile(
          { repo: 'org/model', path: 'w.bin' },
          { endpoint: hub.url, cacheDir, retries: 0 },
        ),
      ).rejects.toThrow(HubDownloadInterruptedError);
      const file = await downloadHubFile(
        { repo: 'org/model', path: 'w.bin' },
        { endpoint: hub.url, cacheDir, retries: 0 },
      );
      expect(hub.requests.at(-1)?.range).toMatch(/^bytes=\d+-$/);
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
      expect((error as HubNotFoundError).code).toBe('HUB_NOT_FOUND');
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
      expect((error as HubUnauthorizedError).code).toBe('HUB_UNAUTHORIZED');
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
    const hub = await startHubServer({ repos: {} });
    await hub.close(); // its port is now closed: connections are refused
    const error: unknown = await downloadHubFile(
      { repo: 'org/model', path: 'a.json' },
      { endpoint: hub.url, cacheDir: await tempCache() },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubUnreachableError);
    expect((error as HubUnreachableError).code).toBe('HUB_UNREACHABLE');
    expect((error as Error).message).toContain(hub.url);
    expect((error as Error).message).toContain('HF_ENDPOINT');
    expect((error as Error).message).toContain('--data PATH');
    expect((error as Error).message).toContain('--offline');
  });

  it('offline with the file not cached throws HubOfflineError without any network call', async () => {
    const spy = vi.fn(globalThis.fetch);
    vi.stubEnv('HF_HUB_OFFLINE', '1');
    const error: unknown = await downloadHubFile(
      { repo: 'org/model', path: 'a.json' },
      { endpoint: 'http://127.0.0.1:9', cacheDir: await tempCache(), fetch: spy },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubOfflineError);
    expect((error as HubOfflineError).code).toBe('HUB_NOT_CACHED');
    expect((error as Error).message).toContain('a.json');
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
    const seen: { url: string; authorization: string | null }[] = [];
    const fakeFetch = (input: string, init?: RequestInit): Promise<Response> => {
      const url = input;
      seen.push({ url, authorization: new Headers(init?.headers).get('authorization') });
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
      },
      { url: 'https://cdn.example/blob/abc', authorization: null },
    ]);
  });

  it('reports progress from the resumed offset, with the full size as total', async () => {
    const data = bytes(100_000);
    const cut = { path: 'org/model/w.bin', afterBytes: 60_000, times: 1 };
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'w.bin': data }) },
      cut,
    });
    const cacheDir = await tempCache();
    const progress: [number, number | undefined][] = [];
    try {
      await expect(
        downloadHubFile(
          { repo: 'org/model', path: 'w.bin' },
          { endpoint: hub.url, cacheDir, retries: 0 },
        ),
      ).rejects.toThrow(HubDownloadInterruptedError);
      await downloadHubFile(
        { repo: 'org/model', path: 'w.bin' },
        { endpoint: hub.url, cacheDir, onProgress: (d, t) => progress.push([d, t]) },
      );
      const start = Number(/^bytes=(\d+)-$/.exec(hub.requests.at(-1)?.range ?? '')?.[1]);
      expect(start).toBeGreaterThan(0);
      expect(progress[0]).toEqual([start, 100_000]);
      expect(progress.at(-1)).toEqual([100_000, 100_000]);
    } finally {
      await hub.close();
    }
  });
});
