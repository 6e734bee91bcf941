import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder (dist/perf/_tools.js → four levels up). */
export const REPO_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * Folder of the Python reference scripts (not part of this repository; see docs/benchmarks.md):
 * `$RTK_SHARED_TOOLS`, else `shared/tools` beside the repository's folder.
 */
export function defaultToolsDir(): string {
  const env = process.env.RTK_SHARED_TOOLS;
  if (env !== undefined && env !== '') return env;
  return resolve(REPO_ROOT, '../shared/tools');
}

/** The 1, 5 and 15 minute load averages, e.g. `"0.52 0.61 0.70"`: printed beside every timing. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
