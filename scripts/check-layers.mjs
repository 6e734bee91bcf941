#!/usr/bin/env node
// `pnpm check:layers`: every workspace package.json's `@rtk/*` dependencies against its row in
// the layer table of docs/architecture.md (scripts/layers.mjs). Exits 1 listing each problem.
// Usage: node scripts/check-layers.mjs [repository root, default: this repository]
import { resolve } from 'node:path';
import { LayerTableError, loadLayers, manifestProblems } from './layers.mjs';

const root = resolve(process.argv[2] ?? resolve(import.meta.dirname, '..'));
let layers;
try {
  layers = loadLayers(root);
} catch (error) {
  if (!(error instanceof LayerTableError)) throw error;
  console.error(`check:layers: ${error.message}`);
  process.exit(1);
}
const problems = layers.packages.flatMap((p) =>
  manifestProblems(layers, p.manifest, `${p.dir}/package.json`),
);
for (const problem of problems) console.error(`check:layers: ${problem}`);
if (problems.length > 0) process.exit(1);
console.log(
  `check:layers: ${layers.packages.length} package.json files follow docs/architecture.md`,
);
