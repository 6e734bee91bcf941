import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Which third-party modules an entry point loads, read from the workspace's sources: for tests
// that keep a light entry (flags, --help) off a heavy stack (transformers.js, TF.js).

const PACKAGES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The source file behind an `@rtk/*` specifier, through its package.json `exports`. */
export function workspaceSource(specifier: string): string {
  const [scope, name, ...rest] = specifier.split('/');
  const dir = join(PACKAGES, name!);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports: Record<string, { default: string }>;
  };
  const entry = manifest.exports[rest.length === 0 ? '.' : `./${rest.join('/')}`];
  if (scope !== '@rtk' || entry === undefined) throw new Error(`cannot resolve ${specifier}`);
  return join(dir, entry.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
}

/**
 * Every third-party module that importing `entry` loads, following relative and `@rtk/*` imports
 * through the sources (static `import`/`export … from`; `import type` loads nothing).
 */
export function thirdPartyImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const follow = (spec: string): void => {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (spec.startsWith('@rtk/')) visit(workspaceSource(spec));
      else if (!spec.startsWith('node:')) external.add(spec);
    };
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gms)) {
      if (m[1] === undefined) follow(m[2]!);
    }
    // Imports for their side effects only (`import 'x';`).
    for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) follow(m[1]!);
  };
  visit(entry);
  return external;
}

