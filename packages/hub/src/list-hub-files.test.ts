import { startHubServer } from '@rtk/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HubNotFoundError, HubOfflineError, HubUnauthorizedError } from './errors.js';
import { listHubFiles } from './list-hub-files.js';
import { repoFolder } from './_test-hub.js';

// Loopback HTTP (or a child process) on a shared 2-core CI machine can take seconds under load.
describe('listHubFiles', { timeout: 30_000 }, () => {
  // The caller's environment (HF_HUB_OFFLINE=1 in an offline CI, a personal HF_TOKEN) must not leak in.
  beforeEach(() => {
    vi.stubEnv('HF_HUB_OFFLINE', '');
    vi.stubEnv('HF_TOKEN', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('lists recursively across paginated answers, optionally under a folder', async () => {
    const dir = await repoFolder({
      'README.md': '#',
      'pair/train-00000-of-00001.parquet': 'PAR1',
      'triplet/train.parquet': 'PAR1x',
      'a/b/c.txt': 'c',
    });
    const hub = await startHubServer({ repos: { 'datasets/org/data': dir }, pageSize: 2 });
    try {
      const all = await listHubFiles({ repo: 'org/data', type: 'dataset' }, { endpoint: hub.url });
      expect(all.map((f) => f.path)).toEqual([
        'README.md',
        'a/b/c.txt',
        'pair/train-00000-of-00001.parquet',
        'triplet/train.parquet',
      ]);
      expect(all[2]).toMatchObject({ type: 'file', size: 4 });
      expect(
        hub.requests.filter((r) => r.url.startsWith('/api/datasets/org/data/tree/main')),
      ).toHaveLength(2);
      const pair = await listHubFiles(
        { repo: 'org/data', type: 'dataset', path: 'pair' },
        { endpoint: hub.url },
      );
      expect(pair.map((f) => f.path)).toEqual(['pair/train-00000-of-00001.parquet']);
    } finally {
      await hub.close();
    }
  });

  it('maps 404 and 401 to typed errors', async () => {
    const hub = await startHubServer({
      repos: { 'org/model': await repoFolder({ 'a.json': '{}' }) },
      token: 't',
    });
    try {
      await expect(
        listHubFiles(
          { repo: 'org/model' },
          { endpoint: hub.url, token: 't', fetch: globalThis.fetch },
        ),
      ).resolves.toHaveLength(1);
      const refused: unknown = await listHubFiles(
        { repo: 'org/model' },
        { endpoint: hub.url, token: 'bad' },
      ).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(HubUnauthorizedError);
      expect(refused).toMatchObject({ code: 'ERR_HUB_UNAUTHORIZED' });
      expect((refused as Error).message).toContain('was refused');
      const missing: unknown = await listHubFiles(
        { repo: 'org/missing' },
        { endpoint: hub.url, token: 't' },
      ).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(HubNotFoundError);
      expect(missing).toMatchObject({ code: 'ERR_HUB_NOT_FOUND' });
      expect((missing as Error).message).toContain('org/missing');
    } finally {
      await hub.close();
    }
  });

  it('refuses in offline mode without a network call', async () => {
    const spy = vi.fn(globalThis.fetch);
    await expect(
      listHubFiles({ repo: 'org/model' }, { offline: true, fetch: spy }),
    ).rejects.toThrow(HubOfflineError);
    expect(spy).not.toHaveBeenCalled();
  });
});
