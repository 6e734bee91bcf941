import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gitBlobId,
  sha256Hex,
  startDeadServer,
  startHubServer,
  type HubServer,
} from './hub-server.js';

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

describe('startHubServer metadata and faults', () => {
  it('sends X-Linked-Etag/X-Linked-Size on an LFS redirect and the git blob id for other files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hub-'));
    await writeFile(join(dir, 'hello.txt'), 'hello\n');
    await writeFile(join(dir, 'w.bin'), Buffer.alloc(100, 7));
    const hub = await startHubServer({ repos: { 'org/m': dir }, lfs: (p) => p.endsWith('.bin') });
    try {
      const lfs = await fetch(`${hub.url}/org/m/resolve/main/w.bin`, { redirect: 'manual' });
      expect(lfs.status).toBe(302);
      expect(lfs.headers.get('x-linked-etag')).toBe(`"${sha256Hex(Buffer.alloc(100, 7))}"`);
      expect(lfs.headers.get('x-linked-size')).toBe('100');
      const plain = await fetch(`${hub.url}/org/m/resolve/main/hello.txt`, { redirect: 'manual' });
      expect(plain.status).toBe(200);
      // `git hash-object` of "hello\n".
      expect(plain.headers.get('etag')).toBe('"ce013625030ba8dba906f756967f9e9ca394464a"');
      expect(gitBlobId(new TextEncoder().encode('hello\n'))).toBe(
        'ce013625030ba8dba906f756967f9e9ca394464a',
      );
      expect(await plain.text()).toBe('hello\n');
    } finally {
      await hub.close();
    }
  });

  it('applies each fault to its first `times` answers, then serves normally', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hub-'));
    await writeFile(join(dir, 'w.bin'), Buffer.alloc(100, 7));
    const hub = await startHubServer({
      repos: { 'org/m': dir },
      faults: [
        { path: 'org/m/w.bin', mode: 'flip-bytes', afterBytes: 3, times: 1 },
        { path: 'org/m/w.bin', mode: 'status', status: 502, times: 1 },
        { path: 'org/m/w.bin', mode: 'ignore-range', times: 1 },
      ],
    });
    try {
      const url = `${hub.url}/org/m/resolve/main/w.bin`;
      const flipped = new Uint8Array(await (await fetch(url)).arrayBuffer());
      expect(flipped[3]).toBe(7 ^ 0xff);
      expect(flipped.filter((b) => b === 7)).toHaveLength(99);
      const failed = await fetch(url, { headers: { Authorization: 'Bearer x' } });
      expect(failed.status).toBe(502);
      expect(await failed.text()).toContain('"authorization":"Bearer x"');
      const whole = await fetch(url, { headers: { Range: 'bytes=90-' } });
      expect(whole.status).toBe(200);
      expect((await whole.arrayBuffer()).byteLength).toBe(100);
      expect((await fetch(url, { headers: { Range: 'bytes=90-' } })).status).toBe(206);
      expect(hub.faultsServed).toEqual([1, 1, 1]);
    } finally {
      await hub.close();
    }
  });
});
