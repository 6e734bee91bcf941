#!/usr/bin/env node
// `pnpm check:examples`: every ```ts block of README.md and of each workspace package's README.md
// is compiled under tsconfig.base.json (strict) and run, with its package's folder as the working
// directory and HF_ENDPOINT pointing at @rtk/test-utils' loopback hub. A ```text block right after
// it (optionally after a line "Output:") is the expected standard output, compared exactly.
// A block fenced ```ts no-run is compiled but not run; its first line must say why
// ("// Not run here: …"). See CONTRIBUTING.md, "README examples".
// Usage: node scripts/readme-examples.mjs [README.md …]   (default: every README of the workspace)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workspacePackages } from './layers.mjs';

const ROOT = resolve(import.meta.dirname, '..');
/** Folder, inside each package, that holds the extracted examples while they compile and run. */
export const WORK_DIR = '.readme-examples';
/** Hub repositories the loopback hub serves to the examples: repo id → folder (from the root). */
export const EXAMPLE_HUB_REPOS = {
  'rtk-fixtures/tiny-bert': 'packages/encoders/fixtures/tiny-bert',
};
const TIMEOUT_MS = 120_000;
const NO_RUN_REASON = /^\/\/ Not run here: (?=\S)/;

/**
 * The ```ts blocks of one markdown file.
 * @param {string} text
 * @param {string} file for messages
 * @returns {{ file: string, line: number, code: string, run: boolean, expected: string | null }[]}
 */
export function extractExamples(text, file) {
  const lines = text.split('\n');
  const fences = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, rest] = open;
    let end = i + 1;
    while (
      end < lines.length &&
      !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[end])
    )
      end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: code block never closed`);
    const body = lines
      .slice(i + 1, end)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
    fences.push({ start: i, end, lang, flags: rest.trim(), body });
    i = end;
  }
  const examples = [];
  for (const [n, block] of fences.entries()) {
    if (block.lang !== 'ts' && block.lang !== 'typescript') continue;
    const line = block.start + 1;
    const flags = block.flags.split(/\s+/).filter(Boolean);
    const unknown = flags.filter((f) => f !== 'no-run');
    if (unknown.length > 0) {
      throw new Error(
        `${file}:${line}: unknown flag "${unknown.join(' ')}" after \`\`\`ts (only no-run is known)`,
      );
    }
    const run = !flags.includes('no-run');
    if (!run && !NO_RUN_REASON.test(block.body[0] ?? '')) {
      throw new Error(
        `${file}:${line}: a \`\`\`ts no-run block must start with a comment telling the reader why, "// Not run here: <reason>"`,
      );
    }
    // The expected output: the next block, if it is ```text and only blank lines or "Output:" lie between.
    let expected = null;
    const next = fences[n + 1];
    if (next && next.lang === 'text') {
      const between = lines.slice(block.end + 1, next.start).filter((l) => l.trim() !== '');
      if (between.length === 0 || (between.length === 1 && between[0].trim() === 'Output:')) {
        expected = next.body.join('\n');
      }
    }
    if (expected !== null && !run)
      throw new Error(`${file}:${line}: a no-run block cannot have an output block`);
    examples.push({ file, line, code: block.body.join('\n') + '\n', run, expected });
  }
  return examples;
}

/** Trailing spaces and trailing blank lines do not count. */
const normalise = (/** @type {string} */ s) => s.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');

/** @param {string} cmd @param {string[]} args @param {import('node:child_process').SpawnOptions} options */
function exec(cmd, args, options) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${TIMEOUT_MS / 1000} s)`;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: -1, stdout, stderr: String(error) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? signal, stdout, stderr });
    });
  });
}

/** The READMEs checked: the root one and each workspace package's. */
export function workspaceReadmes(root = ROOT) {
  const out = [{ file: 'README.md', dir: '.' }];
  for (const p of workspacePackages(root)) out.push({ file: `${p.dir}/README.md`, dir: p.dir });
  return out.filter((r) => existsSync(join(root, r.file)));
}

/**
 * Compile and run the examples of the given READMEs.
 * @param {{ file: string, dir: string }[]} readmes files and the folder their examples run in,
 *   relative to `root`
 * @param {{ root?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ examples: number, ran: number, failures: string[] }>}
 */
export async function checkExamples(readmes, options = {}) {
  const root = options.root ?? ROOT;
  const log = options.log ?? (() => {});
  const failures = [];
  const examples = [];
  for (const readme of readmes) {
    const found = extractExamples(readFileSync(join(root, readme.file), 'utf8'), readme.file);
    for (const [i, example] of found.entries()) {
      const base = readme.file.split('/').pop().replace(/\.md$/i, '').toLowerCase();
      const ts = join(root, readme.dir, WORK_DIR, `${base}-${i + 1}-line-${example.line}.ts`);
      examples.push({ ...example, dir: readme.dir, ts, js: ts.replace(/\.ts$/, '.js') });
    }
  }
  if (examples.length === 0) return { examples: 0, ran: 0, failures };

  const work = [...new Set(examples.map((e) => join(root, e.dir, WORK_DIR)))];
  const config = join(root, WORK_DIR, 'tsconfig.json');
  const cache = mkdtempSync(join(tmpdir(), 'rtk-readme-hub-'));
  let hub;
  try {
    for (const dir of [...work, dirname(config)]) mkdirSync(dir, { recursive: true });
    for (const e of examples) writeFileSync(e.ts, e.code);
    writeFileSync(
      config,
      JSON.stringify({
        extends: '../tsconfig.base.json',
        compilerOptions: {
          noEmit: false,
          declaration: false,
          declarationMap: false,
          isolatedDeclarations: false,
          sourceMap: false,
          moduleDetection: 'force',
        },
        files: examples.map((e) => relative(dirname(config), e.ts).split(sep).join('/')),
      }),
    );

    // One compiler run for all examples; its messages point into the READMEs. An example that
    // does not compile is not run; the others still are.
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const compiled = await exec(process.execPath, [tsc, '-p', config, '--pretty', 'false'], {
      cwd: root,
    });
    const rejected = new Set();
    if (compiled.code !== 0) {
      const where = new Map(examples.map((e) => [relative(root, e.ts).split(sep).join('/'), e]));
      const text = (compiled.stdout + compiled.stderr).replace(
        /^(\S+?\.ts)\((\d+),(\d+)\)/gm,
        (all, path, line, col) => {
          const e = where.get(relative(root, resolve(root, path)).split(sep).join('/'));
          if (!e) return all;
          rejected.add(e);
          return `${e.file}:${e.line + Number(line)}:${col}`;
        },
      );
      failures.push(`TypeScript rejects README examples:\n${text.trim()}`);
      if (rejected.size === 0) return { examples: examples.length, ran: 0, failures };
    }

    const testUtils = join(root, 'packages/test-utils/dist/index.js');
    if (!existsSync(testUtils)) throw new Error(`${testUtils} is missing: run pnpm build first`);
    const { startHubServer } = await import(pathToFileURL(testUtils).href);
    const repos = {};
    for (const [repo, folder] of Object.entries(EXAMPLE_HUB_REPOS)) {
      if (!existsSync(join(root, folder))) {
        throw new Error(
          `scripts/readme-examples.mjs: the example hub's repo ${repo} is served from ${folder}, which is missing`,
        );
      }
      repos[repo] = join(root, folder);
    }
    hub = await startHubServer({ repos });
    const env = { ...process.env, HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache, HF_HOME: cache };
    delete env.HF_TOKEN;
    delete env.HF_HUB_OFFLINE;

    // Examples must not write into the repository (they run with a package folder as cwd):
    // anything git sees appear during the runs is a failure.
    // Outside a git checkout (a source tarball) this guard is skipped, saying so.
    const tracked = existsSync(join(root, '.git'));
    if (!tracked) log('no .git here: not checking that the examples leave the repository alone');
    const gitStatus = async () => {
      // No optional index lock: other tasks of `pnpm test` (turbo's hashing) run git beside us.
      const r = await exec('git', ['status', '--porcelain', '--untracked-files=all'], {
        cwd: root,
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
      });
      if (r.code !== 0) throw new Error(`git status failed (${r.code}): ${r.stderr.trim()}`);
      return new Set(r.stdout.split('\n').filter(Boolean));
    };
    const before = tracked ? await gitStatus() : null;

    let ran = 0;
    for (const e of examples) {
      const at = `${e.file}:${e.line}`;
      if (rejected.has(e)) {
        log(`FAIL ${at} (does not compile, not run)`);
        continue;
      }
      if (!e.run) {
        log(
          `skip ${at} (no-run: ${e.code.split('\n')[0].replace(NO_RUN_REASON, '').trim() || 'see the block'})`,
        );
        continue;
      }
      const started = Date.now();
      const result = await exec(process.execPath, [e.js], { cwd: join(root, e.dir), env });
      ran++;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (result.code !== 0) {
        failures.push(
          `${at}: the example exited with ${result.code} (cwd ${e.dir}):\n${(result.stderr || result.stdout).trim()}`,
        );
      } else if (e.expected !== null && normalise(result.stdout) !== normalise(e.expected)) {
        failures.push(
          `${at}: the output differs from the README's output block.\n--- README\n${normalise(e.expected)}\n--- printed\n${normalise(result.stdout)}`,
        );
      } else {
        log(
          `ok   ${at} (${seconds} s${e.expected === null ? ', no output block' : ', output matches'})`,
        );
      }
    }
    const after = before ? await gitStatus() : null;
    const written = after ? [...after].filter((line) => !before.has(line)) : [];
    if (written.length > 0) {
      failures.push(
        `README examples changed files in the repository (write to os.tmpdir() instead):\n${written.join('\n')}`,
      );
    }
    return { examples: examples.length, ran, failures };
  } finally {
    await hub?.close();
    for (const dir of work) rmSync(dir, { recursive: true, force: true });
    rmSync(dirname(config), { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const readmes =
    args.length === 0
      ? workspaceReadmes()
      : args.map((file) => {
          const rel = relative(ROOT, resolve(file)).split(sep).join('/');
          return { file: rel, dir: dirname(rel) };
        });
  const started = Date.now();
  const { examples, ran, failures } = await checkExamples(readmes, {
    log: (line) => console.log(line),
  });
  for (const failure of failures) console.error(`\n${failure}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `\ncheck:examples: ${examples} examples in ${readmes.length} READMEs, ${ran} run, ${failures.length} failed (${seconds} s)`,
  );
  if (failures.length > 0) process.exit(1);
}
