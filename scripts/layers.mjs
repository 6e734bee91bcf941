// The layer rules of docs/architecture.md, read from its table: which `@rtk/*` package may
// import which. eslint.config.js builds its `rtk/layers` rule from this module and
// scripts/check-layers.mjs checks every package.json with it, so the table is the only list.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';

export const DOC = 'docs/architecture.md';
/** The one package allowed only in test files (`*.test.ts`, `_test-*.ts`), in any package. */
export const TEST_UTILS = '@rtk/test-utils';
const SCOPE = '@rtk/';
const EVERY = /^every package of layers 0[–-](\d+)$/;
const NAME = /^`(@rtk\/[a-z0-9-]+)`$/;

/** A problem with the table itself, or with the workspace against it. */
export class LayerTableError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'LayerTableError';
  }
}

/** @param {string} line */
function cells(line) {
  const parts = line.trim().split('|');
  // A row is `| a | b | c | d |`: drop the empty strings outside the first and last bar.
  return parts.slice(1, -1).map((cell) => cell.trim());
}

/**
 * Parse the layer table of `docs/architecture.md`: the first markdown table whose header has
 * the columns Layer, Package, Job, May import.
 * @param {string} text the markdown
 * @param {string} [source] file name for messages
 * @returns {{ layer: number | null, name: string, job: string, mayImport: string, line: number }[]}
 */
export function parseLayerTable(text, source = DOC) {
  const lines = text.split('\n');
  const header = lines.findIndex((line) => {
    const c = cells(line);
    return c.length === 4 && c[0] === 'Layer' && c[1] === 'Package' && c[3] === 'May import';
  });
  if (header < 0) {
    throw new LayerTableError(
      `${source}: no layer table (a row "| Layer | Package | Job | May import |") found`,
    );
  }
  const rows = [];
  for (let i = header + 2; i < lines.length && lines[i].trim().startsWith('|'); i++) {
    const where = `${source}:${i + 1}`;
    const c = cells(lines[i]);
    if (c.length !== 4) {
      throw new LayerTableError(`${where}: expected 4 columns, found ${c.length}: ${lines[i]}`);
    }
    const [layerCell, packageCell, job, mayImport] =
      /** @type {[string, string, string, string]} */ (c);
    const name = NAME.exec(packageCell)?.[1];
    if (!name) {
      throw new LayerTableError(
        `${where}: column 2 must be one package name in backticks (\`@rtk/name\`), found "${packageCell}"`,
      );
    }
    let layer = null;
    if (/^\d+$/.test(layerCell)) layer = Number(layerCell);
    else if (layerCell !== '–') {
      throw new LayerTableError(
        `${where}: column 1 must be a layer number or –, found "${layerCell}"`,
      );
    }
    rows.push({ layer, name, job, mayImport, line: i + 1 });
  }
  if (rows.length === 0) throw new LayerTableError(`${source}: the layer table has no rows`);
  return rows;
}

/**
 * The packages of the workspace: every folder matched by pnpm-workspace.yaml's `packages:`
 * globs (`dir/*` form) that holds a package.json.
 * @param {string} root
 * @returns {{ name: string, dir: string, manifest: Record<string, any> }[]}
 */
export function workspacePackages(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [];
  let inPackages = false;
  for (const line of yaml.split('\n')) {
    if (/^packages:\s*$/.test(line)) inPackages = true;
    else if (inPackages && /^\s+-\s/.test(line))
      globs.push(
        line
          .replace(/^\s+-\s*/, '')
          .replace(/['"]/g, '')
          .trim(),
      );
    else if (inPackages && /^\S/.test(line)) inPackages = false;
  }
  const out = [];
  for (const glob of globs) {
    if (!glob.endsWith('/*') || glob.slice(0, -2).includes('*')) {
      throw new LayerTableError(
        `pnpm-workspace.yaml: only "folder/*" globs are understood, found "${glob}"`,
      );
    }
    const parent = glob.slice(0, -2);
    if (!existsSync(join(root, parent))) continue;
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      const file = join(root, parent, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      out.push({ name: String(manifest.name), dir: `${parent}/${entry.name}`, manifest });
    }
  }
  return out.sort((a, b) => (a.dir < b.dir ? -1 : 1));
}

/**
 * The rules: for each package on disk, its folder and the `@rtk/*` packages its row allows.
 * Throws {@link LayerTableError} when the table and the workspace disagree: a package on disk
 * without a row, a row naming an unknown package or an app, a malformed "May import" cell.
 * @param {string} root repository root
 * @param {{ table?: string }} [options] `table`: the markdown, instead of reading DOC
 */
export function loadLayers(root, options = {}) {
  const text = options.table ?? readFileSync(join(root, DOC), 'utf8');
  const rows = parseLayerTable(text);
  const byName = new Map();
  for (const row of rows) {
    if (byName.has(row.name)) {
      throw new LayerTableError(
        `${DOC}:${row.line}: ${row.name} has a second row (first on line ${byName.get(row.name).line})`,
      );
    }
    byName.set(row.name, row);
  }
  const packages = workspacePackages(root);
  const apps = new Set(packages.filter((p) => p.dir.startsWith('apps/')).map((p) => p.name));
  // Rows of apps not yet on disk say so in their Job column ("`apps/rtk`: …").
  for (const row of rows) if (/^`apps\//.test(row.job)) apps.add(row.name);

  /** @type {Map<string, Set<string>>} */
  const allowed = new Map();
  for (const row of rows) {
    const where = `${DOC}:${row.line} (${row.name})`;
    const set = new Set();
    const every = EVERY.exec(row.mayImport);
    if (row.mayImport === '–') {
      // none
    } else if (every) {
      const top = Number(every[1]);
      if (row.layer === null || top >= row.layer) {
        throw new LayerTableError(
          `${where}: "every package of layers 0–${top}" must name layers below the row's own`,
        );
      }
      for (const other of rows) if (other.layer !== null && other.layer <= top) set.add(other.name);
    } else {
      for (const item of row.mayImport.split(',').map((s) => s.trim())) {
        const name = NAME.exec(item)?.[1];
        if (!name) {
          throw new LayerTableError(
            `${where}: "May import" must be –, "every package of layers 0–N" or backticked names separated by commas; cannot read "${item}"`,
          );
        }
        if (!byName.has(name))
          throw new LayerTableError(`${where}: may import ${name}, which has no row`);
        set.add(name);
      }
    }
    for (const name of set) {
      if (apps.has(name))
        throw new LayerTableError(
          `${where}: may import ${name}, an app; nothing may import an app`,
        );
      if (name === TEST_UTILS) {
        throw new LayerTableError(
          `${where}: lists ${TEST_UTILS}, which is allowed in test files only and never in a row`,
        );
      }
      if (name === row.name) throw new LayerTableError(`${where}: lists itself`);
      const below = byName.get(name).layer;
      if (row.layer === null || below === null || below >= row.layer) {
        throw new LayerTableError(
          `${where}: may import ${name} (layer ${below ?? '–'}), but dependencies point down: only packages of layers below ${row.layer ?? 'a numbered layer'} may be listed`,
        );
      }
    }
    allowed.set(row.name, set);
  }
  for (const p of packages) {
    if (!p.name.startsWith(SCOPE)) {
      throw new LayerTableError(
        `${p.dir}/package.json: name "${p.name}" is not in the ${SCOPE} scope`,
      );
    }
    if (!byName.has(p.name)) {
      throw new LayerTableError(
        `${p.dir}/package.json: package ${p.name} has no row in the layer table of ${DOC}; ` +
          'add one (layer, package, job, may import) before adding the package',
      );
    }
  }

  return {
    rows,
    packages,
    apps,
    allowed,
  };
}

/** @typedef {ReturnType<typeof loadLayers>} Layers */

/** `*.test.ts` or `_test-*.ts`: the only files where {@link TEST_UTILS} may be imported. */
export function isTestFile(/** @type {string} */ file) {
  const base = posix.basename(file.split(sep).join('/'));
  return /\.test\.ts$/.test(base) || /^_test-.*\.ts$/.test(base);
}

const list = (/** @type {Iterable<string>} */ names) =>
  [...names].sort().join(', ') || 'no @rtk package';

/**
 * Why `pkg` may not import `specifier`, or null when it may.
 * @param {Layers} layers
 * @param {string} pkg the importing package's name
 * @param {string} specifier a bare module specifier
 * @param {{ test: boolean }} context whether the import is in a test file (or a devDependency)
 */
export function importProblem(layers, pkg, specifier, context) {
  if (!specifier.startsWith(SCOPE)) return null;
  const target = specifier.split('/').slice(0, 2).join('/');
  if (target === pkg) return null;
  const rule = `Layer rule (${DOC})`;
  if (layers.apps.has(target)) {
    return `${rule}: nothing may import an app, and ${target} is one; ${pkg} may not import "${specifier}".`;
  }
  if (target === TEST_UTILS) {
    if (context.test) return null;
    return `${rule}: ${TEST_UTILS} is for test files only (*.test.ts, _test-*.ts, devDependencies); ${pkg} may not use "${specifier}" here.`;
  }
  const ok = layers.allowed.get(pkg);
  if (ok?.has(target)) return null;
  return `${rule}: ${pkg} may not import "${specifier}"; its row allows ${list(ok ?? [])}.`;
}

/**
 * Problems of one package.json against its row: `@rtk/*` entries of dependencies,
 * optionalDependencies and peerDependencies must be allowed; devDependencies may add test-utils.
 * @param {Layers} layers
 * @param {Record<string, any>} manifest
 * @param {string} file for messages
 */
export function manifestProblems(layers, manifest, file) {
  const problems = [];
  const pkg = String(manifest.name);
  if (!layers.allowed.has(pkg)) {
    return [`${file}: package ${pkg} has no row in the layer table of ${DOC}`];
  }
  for (const field of [
    'dependencies',
    'optionalDependencies',
    'peerDependencies',
    'devDependencies',
  ]) {
    for (const dep of Object.keys(manifest[field] ?? {})) {
      const why = importProblem(layers, pkg, dep, { test: field === 'devDependencies' });
      if (why) problems.push(`${file}: ${field} "${dep}": ${why}`);
    }
  }
  return problems;
}

/**
 * The ESLint plugin: rule `layers` checks every import, re-export, dynamic `import()`,
 * `require()` and `import x = require()` of the file's package against the table, and forbids
 * relative paths that leave the package's folder.
 * @param {Layers} layers
 * @param {string} root repository root (absolute)
 */
export function layersPlugin(layers, root) {
  /** @param {string} file absolute path */
  const packageOf = (file) => {
    const rel = relative(root, file).split(sep).join('/');
    return layers.packages.find((p) => rel.startsWith(`${p.dir}/`));
  };
  return {
    meta: { name: 'rtk-layers' },
    rules: {
      layers: {
        meta: {
          type: 'problem',
          docs: { description: `imports follow the layer table of ${DOC}` },
          schema: [],
          messages: { layer: '{{why}}' },
        },
        create(/** @type {any} */ context) {
          const file = context.filename;
          const pkg = isAbsolute(file) ? packageOf(file) : undefined;
          if (!pkg) return {};
          const test = isTestFile(file);
          const check = (/** @type {any} */ node) => {
            if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
            const spec = node.value;
            let why = null;
            if (spec.startsWith('.')) {
              const target = relative(join(root, pkg.dir), resolve(dirname(file), spec));
              if (target.startsWith('..') || isAbsolute(target)) {
                why = `Layer rule (${DOC}): "${spec}" leaves ${pkg.dir}; import other packages by name, never by relative path.`;
              }
            } else {
              why = importProblem(layers, pkg.name, spec, { test });
            }
            if (why) context.report({ node, messageId: 'layer', data: { why } });
          };
          return {
            ImportDeclaration: (/** @type {any} */ n) => check(n.source),
            ExportNamedDeclaration: (/** @type {any} */ n) => check(n.source),
            ExportAllDeclaration: (/** @type {any} */ n) => check(n.source),
            ImportExpression: (/** @type {any} */ n) => check(n.source),
            TSExternalModuleReference: (/** @type {any} */ n) => check(n.expression),
            TSImportType: (/** @type {any} */ n) => check(n.argument?.literal ?? n.argument),
            CallExpression: (/** @type {any} */ n) => {
              if (n.callee.type === 'Identifier' && n.callee.name === 'require')
                check(n.arguments[0]);
            },
          };
        },
      },
    },
  };
}
