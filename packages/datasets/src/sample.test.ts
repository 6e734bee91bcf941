import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSampleDataset, loadSamplePairs, samplePairsPath } from './sample.js';

// Loopback HTTP (or a child process) on a shared 2-core CI machine can take seconds under load.
describe('shipped sample', { timeout: 30_000 }, () => {
  it('loads as NQ-style pairs: lowercase questions without "?", passages starting with a capitalised title', async () => {
    const pairs = await loadSamplePairs();
    expect(pairs.length).toBeGreaterThanOrEqual(1000);
    expect(pairs.length).toBeLessThanOrEqual(3000);
    for (const { query, passage } of pairs) {
      expect(query).toBe(query.toLowerCase());
      expect(query).not.toContain('?');
      expect(passage).toMatch(/^[A-Z]/);
    }
  });

  it('has shared passages, so the corpus is smaller than the pair count', async () => {
    const ds = await loadSampleDataset();
    expect(ds.name).toBe('nq-sample');
    expect(ds.corpus.length).toBeLessThan((await loadSamplePairs()).length);
    expect(ds.corpus.length).toBeGreaterThan(500);
  });

  it('is exactly what scripts/make-sample.mjs generates', async () => {
    const script = fileURLToPath(new URL('../scripts/make-sample.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(stdout === (await readFile(samplePairsPath(), 'utf8'))).toBe(true);
  });
});
