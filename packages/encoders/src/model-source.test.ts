import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubServer, type HubServer } from '@rtk/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, maxAbsDiff, TINY_BERT_DIR } from './_test-fixture.js';
import { resolveModelFolder } from './model-source.js';
import { loadSentenceEncoder } from './sentence-encoder.js';

const REPO = 'test-org/tiny-bert';

describe('resolveModelFolder', () => {
  let hub: HubServer;
  let cacheDir: string;
  beforeAll(async () => {
    hub = await startHubServer({ repos: { [REPO]: TINY_BERT_DIR } });
    cacheDir = await mkdtemp(join(tmpdir(), 'rtk-hub-cache-'));
  });
  afterAll(async () => {
    await hub.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('resolves a local folder in place, with no revision', async () => {
    const m = await resolveModelFolder(TINY_BERT_DIR);
    expect(m).toEqual({
      dir: TINY_BERT_DIR,
      format: 'onnx',
      weightsPath: join(TINY_BERT_DIR, 'onnx/model.onnx'),
      model: TINY_BERT_DIR,
      source: 'local',
      revision: undefined,
      dtype: 'fp32',
    });
  });

  it('downloads a hub model through the loopback hub and encodes like the fixture', async () => {
    const encoder = await loadSentenceEncoder({
      model: REPO,
      prefixes: false,
      threads: 1,
      hub: { endpoint: hub.url, cacheDir },
    });
    try {
      expect(encoder.settings).toMatchObject({
        model: REPO,
        source: 'hub',
        revision: '0123456789abcdef0123456789abcdef01234567',
      });
      expect(encoder.dir.startsWith(cacheDir)).toBe(true);
      const e = await encoder.encode(
        EXPECTED.map((s) => s.text),
        { role: 'passage' },
      );
      EXPECTED.forEach((s, i) => {
        expect(maxAbsDiff(e[i]!, s.mean_normalized)).toBeLessThan(1e-5);
      });
    } finally {
      await encoder.dispose();
    }
    const fetched = hub.requests.filter((r) => r.method === 'GET').map((r) => r.url);
    expect(fetched.some((u) => u.endsWith('/onnx/model.onnx'))).toBe(true);
  });

  it('works offline from the cache with no request at all', async () => {
    await resolveModelFolder(REPO, { hub: { endpoint: hub.url, cacheDir } });
    const before = hub.requests.length;
    const m = await resolveModelFolder(REPO, {
      hub: { endpoint: hub.url, cacheDir, offline: true },
    });
    const encoder = await loadSentenceEncoder({
      model: REPO,
      threads: 1,
      hub: { endpoint: hub.url, cacheDir, offline: true },
    });
    await encoder.dispose();
    expect(m.source).toBe('hub');
    expect(hub.requests.length).toBe(before);
  });

  it('honours HF_ENDPOINT when no endpoint option is given', async () => {
    const saved = process.env['HF_ENDPOINT'];
    process.env['HF_ENDPOINT'] = hub.url;
    try {
      const before = hub.requests.length;
      const fresh = await mkdtemp(join(tmpdir(), 'rtk-hub-env-'));
      const m = await resolveModelFolder(REPO, { hub: { cacheDir: fresh } });
      expect(m.dir.startsWith(fresh)).toBe(true);
      expect(hub.requests.length).toBeGreaterThan(before);
      await rm(fresh, { recursive: true, force: true });
    } finally {
      if (saved === undefined) delete process.env['HF_ENDPOINT'];
      else process.env['HF_ENDPOINT'] = saved;
    }
  });

  it('reports a model missing from the hub with the hub error', async () => {
    await expect(
      resolveModelFolder('test-org/absent', { hub: { endpoint: hub.url, cacheDir } }),
    ).rejects.toMatchObject({
      code: 'ERR_HUB_NOT_FOUND',
    });
  });

  it('reports a missing quantized graph with the first path tried', async () => {
    await expect(
      resolveModelFolder(REPO, { dtype: 'q8', hub: { endpoint: hub.url, cacheDir } }),
    ).rejects.toMatchObject({
      code: 'ERR_HUB_NOT_FOUND',
      message: expect.stringContaining('onnx/model_quantized.onnx') as string,
    });
  });

  it('offline without a cached copy names the cache', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'rtk-hub-empty-'));
    await expect(
      resolveModelFolder(REPO, { hub: { endpoint: hub.url, cacheDir: empty, offline: true } }),
    ).rejects.toMatchObject({
      code: 'ERR_HUB_NOT_CACHED',
    });
    await rm(empty, { recursive: true, force: true });
  });

  it('rejects an empty model reference', async () => {
    await expect(resolveModelFolder('')).rejects.toMatchObject({
      code: 'ERR_ENCODERS_INVALID_OPTION',
      option: 'model',
    });
  });
});
