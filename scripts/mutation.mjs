#!/usr/bin/env node
// `pnpm mutation <package> [stryker options]`: Stryker mutation testing of one package
// (stryker.config.mjs), run from the package's folder; the reports go to its reports/mutation/
// (not committed). Outside CI only: a run takes minutes to hours.
// Examples: pnpm mutation metrics
//           pnpm mutation @rtk/losses --concurrency 1
//           pnpm mutation metrics --mutate src/ndcg.ts
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const [name, ...rest] = process.argv.slice(2);
if (name === undefined || name.startsWith('-')) {
  console.error('usage: pnpm mutation <package> [stryker options]   e.g. pnpm mutation metrics');
  process.exit(2);
}
if (process.env.CI === 'true') {
  console.error(
    'mutation: not run in CI (it takes minutes to hours); run it on a development machine',
  );
  process.exit(2);
}
const short = name.replace(/^@rtk\//, '');
const dir = ['packages', 'apps']
  .map((folder) => join(root, folder, short))
  .find((d) => existsSync(join(d, 'package.json')));
if (dir === undefined) {
  console.error(`mutation: no package ${JSON.stringify(name)} under packages/ or apps/`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
console.error(`mutation: ${manifest.name} (${dir})`);
const result = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'),
    'run',
    join(root, 'stryker.config.mjs'),
    ...rest,
  ],
  { cwd: dir, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
