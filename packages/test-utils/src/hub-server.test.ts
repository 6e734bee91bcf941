import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeadServer, startHubServer, type HubServer } from './hub-server.js';

describe('startHubServer', () => {
  let hub: HubServer;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hub-'));
    await mkdir(join(dir, 'onnx'));
    await writeFile(join(dir, 'config.json'), '{"model_type":"bert"}');
    await writeFile(join(dir, 'onnx', 'model.onnx'), Buffer.alloc(100, 7));
    hub = await startHubServer({
      repos: { 'org/model': dir, 'datasets/org/data': dir },
      revisions: ['refs/convert/parquet'],
    });
  });
  afterAll(() => hub.close());

  it('serves a model file through a redirect', async () => {
    const res = await fetch(`${hub.url}/org/model/resolve/main/config.json`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"model_type":"bert"}');
  });

  it('serves dataset files at encoded revisions, with ranges', async () => {
    const res = await fetch(
      `${hub.url}/datasets/org/data/resolve/refs%2Fconvert%2Fparquet/onnx/model.onnx`,
      {
        headers: { Range: 'bytes=90-' },
      },
    );
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 90-99/100');
    expect((await res.arrayBuffer()).byteLength).toBe(10);
  });

  it('answers 404 EntryNotFound for a missing file', async () => {
    const res = await fetch(`${hub.url}/org/model/resolve/main/missing.bin`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-error-code')).toBe('EntryNotFound');
  });

  it('lists a repo tree', async () => {
    const res = await fetch(`${hub.url}/api/models/org/model/tree/main?recursive=true`);
    const list = (await res.json()) as { path: string; size: number }[];
    expect(list.map((e) => e.path)).toEqual(['config.json', 'onnx/model.onnx']);
    expect(list[1]!.size).toBe(100);
  });

  it('accepts the commit it reports as a revision, and sends it on the redirect', async () => {
    const redirect = await fetch(`${hub.url}/org/model/resolve/main/config.json`, {
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const commit = redirect.headers.get('x-repo-commit');
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    const res = await fetch(`${hub.url}/org/model/resolve/${commit}/config.json`);
    expect(await res.text()).toBe('{"model_type":"bert"}');
  });
});

describe('startHubServer options', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-'));
    for (const name of ['a.txt', 'b.txt', 'c.txt'])
      await writeFile(join(dir, name), `file ${name}`);
  });

  it('paginates listings with a Link header', async () => {
    const hub = await startHubServer({ repos: { 'org/model': dir }, pageSize: 2 });
    try {
      const first = await fetch(`${hub.url}/api/models/org/model/tree/main?recursive=true`);
      expect(((await first.json()) as { path: string }[]).map((e) => e.path)).toEqual([
        'a.txt',
        'b.txt',
      ]);
      const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
      expect(next).toBeDefined();
      const second = await fetch(next!);
      expect(((await second.json()) as { path: string }[]).map((e) => e.path)).toEqual(['c.txt']);
      expect(second.headers.get('link')).toBeNull();
    } finally {
      await hub.close();
    }
  });

  it('ignores Range when asked to', async () => {
    const hub = await startHubServer({ repos: { 'org/model': dir }, ignoreRange: true });
    try {
      const res = await fetch(`${hub.url}/org/model/resolve/main/a.txt`, {
        headers: { Range: 'bytes=2-' },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('file a.txt');
    } finally {
      await hub.close();
    }
  });
});

describe('startDeadServer', () => {
  it('fails every request before any HTTP answer', async () => {
    const dead = await startDeadServer();
    try {
      await expect(fetch(`${dead.url}/org/model/resolve/main/config.json`)).rejects.toThrow(
        TypeError,
      );
    } finally {
      await dead.close();
    }
  });
});
