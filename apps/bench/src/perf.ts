#!/usr/bin/env node
// `pnpm bench:perf <name> [options]`: speed benchmarks against the Python references.
// Each benchmark is a module `perf/<name>.ts` exporting `run(argv)`; the list of names is read
// from that folder so it cannot drift.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RtkError } from '@rtk/errors';

interface PerfModule {
  run(argv: readonly string[]): Promise<void>;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'perf');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.js') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();
const [name, ...rest] = process.argv.slice(2);
if (name === undefined || !names.includes(name)) {
  console.error(`usage: pnpm bench:perf <${names.join('|')}> [options]   (--help for each)`);
  process.exit(name === undefined ? 0 : 1);
}
const mod = (await import(`./perf/${name}.js`)) as PerfModule;
try {
  await mod.run(rest);
} catch (error) {
  // Known failures (a reference that does not run, …) print their message and code; others their stack.
  if (!(error instanceof RtkError)) throw error;
  console.error(`error ${error.code}: ${error.message}`);
  process.exitCode = 1;
}
