import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubNotFoundError, HubOfflineError, HubUnreachableError } from '@rtk/hub';
import { startDeadServer, startHubServer } from '@rtk/test-utils';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { datasetFromPairs } from './dataset-from-pairs.js';
import { DatasetCachedFileError } from './errors.js';
import { loadNaturalQuestions, NATURAL_QUESTIONS } from './load-natural-questions.js';
import { splitPairs } from './split-pairs.js';
import { tempFiles } from './_test-files.js';

// A tiny NQ lookalike: same repo layout and columns (query, answer), with one passage shared by two questions.
const QUERIES = [
  'when did the eagles release hotel california',
  'who sings hotel california',
  'capital city of peru',
  'highest mountain on earth',
];
const ANSWERS = [
  'Hotel California Hotel California is the title track from the Eagles album of the same name, released in 1977.',
  'Hotel California Hotel California is the title track from the Eagles album of the same name, released in 1977.',
  'Lima Lima is the capital and the largest city of Peru.',
  "Mount Everest Mount Everest is Earth's highest mountain above sea level.",
];

async function nqRepo(columns: { query: string }): Promise<string> {
  return tempFiles({
    'pair/train-00000-of-00001.parquet': parquetWriteBuffer({
      columnData: [
        { name: columns.query, data: QUERIES, type: 'STRING' },
        { name: 'answer', data: ANSWERS, type: 'STRING' },
      ],
    }),
    'README.md': '---\nconfigs:\n- config_name: pair\n---\n',
  });
}

// Loopback HTTP (or a child process) on a shared 2-core CI machine can take seconds under load.
describe('loadNaturalQuestions', { timeout: 30_000 }, () => {
  // The caller's environment (HF_HUB_OFFLINE=1 in an offline CI, a personal HF_TOKEN) must not leak in.
  beforeEach(() => {
    vi.stubEnv('HF_HUB_OFFLINE', '');
    vi.stubEnv('HF_TOKEN', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('downloads the parquet from HF_ENDPOINT in the hub layout, reads it, then works offline from the cache', async () => {
    const hub = await startHubServer({
      repos: {
        'datasets/sentence-transformers/natural-questions': await nqRepo({ query: 'query' }),
      },
    });
    const cacheDir = await mkdtemp(join(tmpdir(), 'rtk-nq-cache-'));
    vi.stubEnv('HF_ENDPOINT', hub.url);
    vi.stubEnv('HF_HUB_CACHE', cacheDir);
    const progress: number[] = [];
    try {
      const pairs = await loadNaturalQuestions({ onProgress: (done) => progress.push(done) });
      expect(pairs).toEqual(QUERIES.map((query, i) => ({ query, passage: ANSWERS[i] })));
      expect(hub.requests[0]?.url).toBe(
        `/datasets/sentence-transformers/natural-questions/resolve/main/${NATURAL_QUESTIONS.path}`,
      );
      expect(progress.at(-1)).toBeGreaterThan(0);
      const ds = datasetFromPairs(pairs, { name: 'nq' });
      expect(ds.corpus).toHaveLength(3);
      expect(ds.qrels.get('q1')?.get('p0')).toBe(1);
      expect(splitPairs(pairs, { testFraction: 0.5 }).settings.groups).toBe(3);
    } finally {
      await hub.close();
    }
    vi.stubEnv('HF_HUB_OFFLINE', '1');
    expect(await loadNaturalQuestions({ limit: 2 })).toHaveLength(2);
  });

  it('names a damaged cached copy and the command that refetches it; after it, the file is fetched again', async () => {
    const hub = await startHubServer({
      repos: {
        'datasets/sentence-transformers/natural-questions': await nqRepo({ query: 'query' }),
      },
    });
    const cacheDir = await mkdtemp(join(tmpdir(), 'rtk-nq-cache-'));
    try {
      const options = { endpoint: hub.url, cacheDir };
      await loadNaturalQuestions(options);
      const cached = join(
        cacheDir,
        'datasets--sentence-transformers--natural-questions',
        'snapshots',
        // The loopback hub's commit for main (X-Repo-Commit).
        (
          await readFile(
            join(cacheDir, 'datasets--sentence-transformers--natural-questions', 'refs', 'main'),
            'utf8',
          )
        ).trim(),
        ...NATURAL_QUESTIONS.path.split('/'),
      );
      const bytes = await readFile(cached);
      for (let i = 4; i < 30; i++) bytes[i] = (i * 37) & 255;
      await writeFile(cached, bytes);
      const requestsBefore = hub.requests.length;
      const error = await loadNaturalQuestions(options).catch((e: unknown) => e);
      expect(hub.requests.length).toBe(requestsBefore);
      expect(error).toBeInstanceOf(DatasetCachedFileError);
      expect(error).toMatchObject({
        code: 'ERR_DATASETS_CACHED_FILE_UNREADABLE',
        file: cached,
        refetch: `rm '${cached}'`,
      });
      expect((error as Error).message).toContain(
        `${cached}: the cached download of datasets/sentence-transformers/natural-questions@main:${NATURAL_QUESTIONS.path} cannot be read (not readable Parquet: thrift`,
      );
      expect((error as Error).message).toContain(
        `Delete it and run again to download it afresh: rm '${cached}'`,
      );
      await rm(cached);
      expect(await loadNaturalQuestions(options)).toHaveLength(QUERIES.length);
      expect(hub.requests.length).toBeGreaterThan(requestsBefore);
    } finally {
      await hub.close();
    }
  });

  it('accepts the first upload\'s "question" column', async () => {
    const hub = await startHubServer({
      repos: {
        'datasets/sentence-transformers/natural-questions': await nqRepo({ query: 'question' }),
      },
    });
    try {
      const pairs = await loadNaturalQuestions({
        endpoint: hub.url,
        cacheDir: await mkdtemp(join(tmpdir(), 'rtk-nq-cache-')),
      });
      expect(pairs.map((p) => p.query)).toEqual(QUERIES);
    } finally {
      await hub.close();
    }
  });

  it('when the hub is unreachable, says how to go on (mirror, --data PATH, --offline)', async () => {
    const dead = await startDeadServer();
    try {
      const error: unknown = await loadNaturalQuestions({
        endpoint: dead.url,
        cacheDir: await mkdtemp(join(tmpdir(), 'rtk-nq-cache-')),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubUnreachableError);
      expect(error).toMatchObject({ code: 'ERR_HUB_UNREACHABLE' });
      for (const hint of ['HF_ENDPOINT', '--data PATH', '--offline']) {
        expect((error as Error).message).toContain(hint);
      }
    } finally {
      await dead.close();
    }
  });

  it('passes through not-found and offline-not-cached errors', async () => {
    const hub = await startHubServer({
      repos: {
        'datasets/sentence-transformers/natural-questions': await tempFiles({ 'README.md': '#' }),
      },
    });
    const cacheDir = await mkdtemp(join(tmpdir(), 'rtk-nq-cache-'));
    try {
      const missing: unknown = await loadNaturalQuestions({ endpoint: hub.url, cacheDir }).catch(
        (e: unknown) => e,
      );
      expect(missing).toBeInstanceOf(HubNotFoundError);
      expect(missing).toMatchObject({ code: 'ERR_HUB_NOT_FOUND' });
      expect((missing as Error).message).toContain('train-00000-of-00001.parquet');
      const offline: unknown = await loadNaturalQuestions({
        endpoint: hub.url,
        cacheDir,
        offline: true,
      }).catch((e: unknown) => e);
      expect(offline).toBeInstanceOf(HubOfflineError);
      expect(offline).toMatchObject({ code: 'ERR_HUB_NOT_CACHED' });
      expect((offline as Error).message).toContain(cacheDir);
    } finally {
      await hub.close();
    }
  });
});
