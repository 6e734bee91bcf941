import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHubServer } from '@rtk/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { downloadHubFiles } from './download-hub-files.js';
import { HubArgumentError, HubNotFoundError } from './errors.js';
import { repoFolder, tempCache } from './_test-hub.js';

const COMMIT = 'fedcba9876543210fedcba9876543210fedcba98';

// Loopback HTTP (or a child process) on a shared 2-core CI machine can take seconds under load.
describe('downloadHubFiles', { timeout: 30_000 }, () => {
  // The caller's environment (HF_HUB_OFFLINE=1 in an offline CI, a personal HF_TOKEN) must not leak in.
  beforeEach(() => {
    vi.stubEnv('HF_HUB_OFFLINE', '');
    vi.stubEnv('HF_TOKEN', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('puts every file in one snapshot folder, pinning the commit after the first file', async () => {
    const files = {
      'config.json': '{"hidden_size":384}',
      'tokenizer.json': '{}',
      'onnx/model.onnx': 'onnx-bytes',
    };
    const hub = await startHubServer({
      repos: { 'Xenova/e5-small-v2': await repoFolder(files) },
      commit: COMMIT,
    });
    const cacheDir = await tempCache();
    try {
      const dir = await downloadHubFiles({ repo: 'Xenova/e5-small-v2' }, Object.keys(files), {
        endpoint: hub.url,
        cacheDir,
      });
      expect(dir).toBe(join(cacheDir, 'models--Xenova--e5-small-v2', 'snapshots', COMMIT));
      for (const [path, content] of Object.entries(files))
        expect(await readFile(join(dir, path), 'utf8')).toBe(content);
      const resolves = hub.requests.filter((r) => r.url.includes('/resolve/')).map((r) => r.url);
      expect(resolves).toEqual([
        '/Xenova/e5-small-v2/resolve/main/config.json',
        `/Xenova/e5-small-v2/resolve/${COMMIT}/tokenizer.json`,
        `/Xenova/e5-small-v2/resolve/${COMMIT}/onnx/model.onnx`,
      ]);
      await hub.close();
      // Everything cached: offline gives the same folder.
      expect(
        await downloadHubFiles({ repo: 'Xenova/e5-small-v2' }, Object.keys(files), {
          endpoint: hub.url,
          cacheDir,
          offline: true,
        }),
      ).toBe(dir);
    } finally {
      await hub.close().catch(() => undefined);
    }
  });

  it('fails on the first missing file, naming it', async () => {
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'config.json': '{}' }) },
    });
    try {
      await expect(
        downloadHubFiles({ repo: 'org/model' }, ['config.json', 'onnx/model.onnx'], {
          endpoint: hub.url,
          cacheDir: await tempCache(),
        }),
      ).rejects.toThrow(HubNotFoundError);
      await expect(
        downloadHubFiles({ repo: 'org/model' }, ['config.json', 'onnx/model.onnx'], {
          endpoint: hub.url,
          cacheDir: await tempCache(),
        }),
      ).rejects.toThrow(/onnx\/model\.onnx/);
    } finally {
      await hub.close();
    }
  });

  it('rejects an empty path list', async () => {
    const error: unknown = await downloadHubFiles({ repo: 'org/model' }, [], {
      offline: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubArgumentError);
    expect(error).toMatchObject({ code: 'ERR_HUB_BAD_ARGUMENT' });
    expect((error as Error).message).toContain('paths must be a non-empty array');
  });
});
