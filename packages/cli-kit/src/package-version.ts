import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `version` of the package a module belongs to: read from the first `package.json` found
 * walking up from the module's folder (so `src/cli.ts` under test and `dist/cli.js` once built
 * give the same answer). For `--version`.
 *
 * @param moduleUrl - `import.meta.url` of the calling module.
 * @throws `Error` when no `package.json` with a string `version` is found.
 */
export function packageVersion(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, 'package.json'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      const version = (JSON.parse(text) as { version?: unknown }).version;
      if (typeof version === 'string') return version;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json with a version above ${moduleUrl}`);
    dir = up;
  }
}
