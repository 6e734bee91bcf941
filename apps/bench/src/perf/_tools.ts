import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Folder of the Python reference scripts: `$RTK_SHARED_TOOLS`, else `shared/tools` beside the
 * repository's folder (where the study's reference material lives).
 */
export function defaultToolsDir(): string {
  const env = process.env.RTK_SHARED_TOOLS;
  if (env !== undefined && env !== '') return env;
  // dist/perf/_tools.js → apps/bench/dist/perf → repository root is four levels up.
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  return resolve(repoRoot, '../shared/tools');
}
