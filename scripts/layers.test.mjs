// The layer rules fire: ESLint's rtk/layers rule (eslint.config.js) and `pnpm check:layers`
// (scripts/check-layers.mjs), both built from the table in docs/architecture.md.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayerTableError, loadLayers, parseLayerTable } from './layers.mjs';

const root = resolve(import.meta.dirname, '..');
const run = promisify(execFile);

describe('rtk/layers (eslint.config.js)', () => {
  // The repository's own config. The sources linted here exist only in memory, so the type-aware
  // rules (which need each file in a tsconfig) are switched off; rtk/layers needs no types.
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: [
      tseslint.configs.disableTypeChecked,
      { languageOptions: { parserOptions: { projectService: false } } },
    ],
  });
  const lint = async (filePath, code) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
  };

  it.each([
    [
      'packages/tfidf/src/x.ts',
      "import { loadSentenceEncoder } from '@rtk/encoders';\nexport const f = loadSentenceEncoder;\n",
      'rtk/layers: Layer rule (docs/architecture.md): @rtk/tfidf may not import "@rtk/encoders"; its row allows @rtk/errors, @rtk/metrics, @rtk/retrieval.',
    ],
    [
      'packages/tfidf/src/x.ts',
      "export { loadTrainableEncoder } from '@rtk/encoders/trainable';\n",
      'rtk/layers: Layer rule (docs/architecture.md): @rtk/tfidf may not import "@rtk/encoders/trainable"; its row allows @rtk/errors, @rtk/metrics, @rtk/retrieval.',
    ],
    [
      'packages/tfidf/src/x.ts',
      "export const load = (): Promise<unknown> => import('@rtk/encoders');\n",
      'rtk/layers: Layer rule (docs/architecture.md): @rtk/tfidf may not import "@rtk/encoders"; its row allows @rtk/errors, @rtk/metrics, @rtk/retrieval.',
    ],
    [
      'packages/metrics/src/x.ts',
      "export type { Qrels } from '@rtk/unknown';\n",
      'rtk/layers: Layer rule (docs/architecture.md): @rtk/metrics may not import "@rtk/unknown"; its row allows @rtk/errors, @rtk/files.',
    ],
    [
      'packages/training/src/x.ts',
      "import { main } from '@rtk/bench';\nexport const m = main;\n",
      'rtk/layers: Layer rule (docs/architecture.md): nothing may import an app, and @rtk/bench is one; @rtk/training may not import "@rtk/bench".',
    ],
    [
      'apps/bench/src/x.ts',
      "import '@rtk/cli';\n",
      'rtk/layers: Layer rule (docs/architecture.md): nothing may import an app, and @rtk/cli is one; @rtk/bench may not import "@rtk/cli".',
    ],
    [
      'packages/tfidf/src/x.ts',
      "import { startHubServer } from '@rtk/test-utils';\nexport const s = startHubServer;\n",
      'rtk/layers: Layer rule (docs/architecture.md): @rtk/test-utils is for test files only (*.test.ts, _test-*.ts, devDependencies); @rtk/tfidf may not use "@rtk/test-utils" here.',
    ],
    [
      'packages/losses/src/x.ts',
      "import { BACKENDS } from '@rtk/test-utils/tfjs';\nexport const b = BACKENDS;\n",
      'rtk/layers: Layer rule (docs/architecture.md): @rtk/test-utils is for test files only (*.test.ts, _test-*.ts, devDependencies); @rtk/losses may not use "@rtk/test-utils/tfjs" here.',
    ],
    [
      'packages/tfidf/src/x.ts',
      "import { ndcg } from '../../metrics/src/index.js';\nexport const n = ndcg;\n",
      'rtk/layers: Layer rule (docs/architecture.md): "../../metrics/src/index.js" leaves packages/tfidf; import other packages by name, never by relative path.',
    ],
    ...[
      "export type E = import('@rtk/encoders').SentenceEncoder;\n",
      "import encoders = require('@rtk/encoders');\nexport const e = encoders;\n",
      "declare const require: (id: string) => unknown;\nexport const e = require('@rtk/encoders');\n",
    ].map((code) => [
      'packages/tfidf/src/x.ts',
      code,
      'rtk/layers: Layer rule (docs/architecture.md): @rtk/tfidf may not import "@rtk/encoders"; its row allows @rtk/errors, @rtk/metrics, @rtk/retrieval.',
    ]),
  ])('%s: %s is an error', async (file, code, message) => {
    // Other rules may object too (a require() import, say); exactly one layer error is wanted.
    const messages = await lint(file, code);
    expect(messages.filter((m) => m.startsWith('rtk/layers:'))).toEqual([message]);
  });

  it.each([
    [
      'packages/tfidf/src/x.ts',
      "import { selectTopK } from '@rtk/retrieval';\nexport const s = selectTopK;\n",
    ],
    [
      'packages/tfidf/src/x.ts',
      "import { ndcg } from '../../tfidf/src/y.js';\nexport const n = ndcg;\n",
    ],
    [
      'packages/tfidf/src/x.ts',
      "import { rankOf } from './rank-of.js';\nexport const r = rankOf;\n",
    ],
    [
      'packages/tfidf/src/x.test.ts',
      "import { startHubServer } from '@rtk/test-utils';\nexport const s = startHubServer;\n",
    ],
    [
      'packages/losses/src/_test-cases.ts',
      "import { BACKENDS } from '@rtk/test-utils/tfjs';\nexport const b = BACKENDS;\n",
    ],
    [
      'apps/bench/src/x.ts',
      "import { loadTrainableEncoder } from '@rtk/encoders/trainable';\nexport const l = loadTrainableEncoder;\n",
    ],
    [
      'packages/encoders/src/x.ts',
      "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n",
    ],
  ])('%s: %s passes', async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});

describe('the layer table', () => {
  it('expands "every package of layers 0–N" to the rows of those layers', () => {
    const layers = loadLayers(root);
    const cliKit = layers.allowed.get('@rtk/cli-kit');
    expect(cliKit).toContain('@rtk/training');
    expect(cliKit).toContain('@rtk/errors');
    expect(cliKit).not.toContain('@rtk/cli-kit');
    expect(cliKit).not.toContain('@rtk/test-utils');
    expect(layers.allowed.get('@rtk/bench')).toContain('@rtk/cli-kit');
    expect(layers.allowed.get('@rtk/bench')).not.toContain('@rtk/cli');
  });

  it.each([
    ['| 2 | `@rtk/metrics` | x | `@rtk/bench`, bench |', 'cannot read "bench"'],
    ['| 2 | `@rtk/metrics` | x | `@rtk/nowhere` |', 'may import @rtk/nowhere, which has no row'],
    ['| 2 | `@rtk/metrics` | x | `@rtk/bench` |', 'may import @rtk/bench, an app'],
    ['| 2 | `@rtk/metrics` | x | `@rtk/test-utils` |', 'allowed in test files only'],
    ['| 2 | `@rtk/metrics` | x | every package of layers 0–2 |', 'must name layers below'],
    ['| 2 | metrics | x | – |', 'column 2 must be one package name in backticks'],
    [
      '| 2 | `@rtk/metrics` | x | `@rtk/hub` |\n| 2 | `@rtk/hub` | x | – |',
      'but dependencies point down',
    ],
  ])('a malformed row fails: %s', (row, message) => {
    const table = `| Layer | Package | Job | May import |\n| - | - | - | - |\n${row}\n| 8 | \`@rtk/bench\` | \`apps/bench\` | – |\n| – | \`@rtk/test-utils\` | x | – |\n`;
    expect(() => loadLayers(root, { table })).toThrow(LayerTableError);
    expect(() => loadLayers(root, { table })).toThrow(message);
  });

  it('is read from docs/architecture.md with one row per package on disk', () => {
    const layers = loadLayers(root);
    for (const p of layers.packages) expect(layers.allowed.has(p.name)).toBe(true);
    expect(() => parseLayerTable('# no table\n')).toThrow('no layer table');
  });
});

describe('pnpm check:layers (scripts/check-layers.mjs)', () => {
  let workspace;
  const manifest = (dir, json) => {
    mkdirSync(join(workspace, dir), { recursive: true });
    writeFileSync(join(workspace, dir, 'package.json'), JSON.stringify(json));
  };
  const check = async () => {
    try {
      const { stdout } = await run(process.execPath, [
        join(root, 'scripts/check-layers.mjs'),
        workspace,
      ]);
      return { code: 0, output: stdout };
    } catch (error) {
      return { code: error.code, output: error.stderr };
    }
  };

  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'rtk-layers-'));
    mkdirSync(join(workspace, 'docs'));
    copyFileSync(join(root, 'docs/architecture.md'), join(workspace, 'docs/architecture.md'));
    copyFileSync(join(root, 'pnpm-workspace.yaml'), join(workspace, 'pnpm-workspace.yaml'));
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('passes this repository', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'scripts/check-layers.mjs')]);
    expect(stdout).toMatch(/^check:layers: \d+ package\.json files follow docs\/architecture\.md/);
  });

  it('passes allowed dependencies, and test-utils as a devDependency', async () => {
    manifest('packages/tfidf', {
      name: '@rtk/tfidf',
      dependencies: { '@rtk/metrics': 'workspace:^', 'wink-nlp': '^2' },
      peerDependencies: { '@rtk/retrieval': 'workspace:^' },
      devDependencies: { '@rtk/test-utils': 'workspace:^', vitest: '^4' },
    });
    expect(await check()).toEqual({
      code: 0,
      output: 'check:layers: 1 package.json files follow docs/architecture.md\n',
    });
  });

  it('fails each forbidden entry, naming file, field, package and rule', async () => {
    manifest('packages/tfidf', {
      name: '@rtk/tfidf',
      dependencies: { '@rtk/encoders': 'workspace:^', '@rtk/test-utils': 'workspace:^' },
      optionalDependencies: { '@rtk/hub': 'workspace:^' },
    });
    manifest('packages/metrics', {
      name: '@rtk/metrics',
      devDependencies: { '@rtk/bench': 'workspace:^' },
    });
    const { code, output } = await check();
    expect(code).toBe(1);
    expect(output.split('\n').filter(Boolean)).toEqual([
      'check:layers: packages/metrics/package.json: devDependencies "@rtk/bench": Layer rule (docs/architecture.md): nothing may import an app, and @rtk/bench is one; @rtk/metrics may not import "@rtk/bench".',
      'check:layers: packages/tfidf/package.json: dependencies "@rtk/encoders": Layer rule (docs/architecture.md): @rtk/tfidf may not import "@rtk/encoders"; its row allows @rtk/errors, @rtk/metrics, @rtk/retrieval.',
      'check:layers: packages/tfidf/package.json: dependencies "@rtk/test-utils": Layer rule (docs/architecture.md): @rtk/test-utils is for test files only (*.test.ts, _test-*.ts, devDependencies); @rtk/tfidf may not use "@rtk/test-utils" here.',
      'check:layers: packages/tfidf/package.json: optionalDependencies "@rtk/hub": Layer rule (docs/architecture.md): @rtk/tfidf may not import "@rtk/hub"; its row allows @rtk/errors, @rtk/metrics, @rtk/retrieval.',
    ]);
    rmSync(join(workspace, 'packages/metrics'), { recursive: true });
  });

  it('fails a package on disk without a row', async () => {
    manifest('packages/tfidf', { name: '@rtk/tfidf' });
    manifest('packages/unlisted', { name: '@rtk/unlisted' });
    expect(await check()).toEqual({
      code: 1,
      output:
        'check:layers: packages/unlisted/package.json: package @rtk/unlisted has no row in the layer table of docs/architecture.md; add one (layer, package, job, may import) before adding the package\n',
    });
    rmSync(join(workspace, 'packages/unlisted'), { recursive: true });
  });
});
