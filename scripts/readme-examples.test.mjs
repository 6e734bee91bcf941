// `pnpm check:examples` fires: planted README examples that do not compile, throw, print other
// output than their README shows, or write into the repository fail; a no-run block is not run.
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkExamples, extractExamples, workspaceReadmes } from './readme-examples.mjs';

const root = resolve(import.meta.dirname, '..');
const fixture = 'scripts/fixtures/readme-examples/README.md';
const planted = join(root, 'packages/metrics/.planted-by-readme-test');

describe('extractExamples', () => {
  it('finds ts blocks, their output blocks and no-run marks', () => {
    const md =
      '# x\n\n```ts\nconsole.log(1);\n```\n\nOutput:\n\n```text\n1\n```\n\n```ts no-run\n// Not run here: needs a GPU.\nf();\n```\n\n```sh\nls\n```\n';
    expect(extractExamples(md, 'X.md')).toEqual([
      { file: 'X.md', line: 3, code: 'console.log(1);\n', run: true, expected: '1' },
      {
        file: 'X.md',
        line: 13,
        code: '// Not run here: needs a GPU.\nf();\n',
        run: false,
        expected: null,
      },
    ]);
  });

  it.each([
    [
      '```ts no-run\nf();\n```\n',
      'X.md:1: a ```ts no-run block must start with a comment telling the reader why',
    ],
    ['```ts skip\nf();\n```\n', 'X.md:1: unknown flag "skip"'],
    ['```ts\nf();\n', 'X.md:1: code block never closed'],
  ])('rejects %j', (md, message) => {
    expect(() => extractExamples(md, 'X.md')).toThrow(message);
  });

  it('covers every workspace README, new packages included', () => {
    const files = workspaceReadmes(root).map((r) => r.file);
    expect(files).toContain('README.md');
    expect(files).toContain('packages/metrics/README.md');
    expect(files).toContain('apps/bench/README.md');
  });
});

describe('checkExamples', () => {
  afterAll(() => rmSync(planted, { force: true }));

  it('fails each planted broken example and passes the good ones', async () => {
    const lines = [];
    const result = await checkExamples([{ file: fixture, dir: 'packages/metrics' }], {
      log: (line) => lines.push(line),
    });
    expect(result.examples).toBe(6);
    expect(result.ran).toBe(4);
    expect(lines.map((l) => l.replace(/\(\d+\.\d s/, '(…'))).toEqual([
      `ok   ${fixture}:8 (…, output matches)`,
      `FAIL ${fixture}:22 (does not compile, not run)`,
      `skip ${fixture}:45 (no-run: it would throw.)`,
      `ok   ${fixture}:52 (…, no output block)`,
    ]);
    expect(result.failures).toHaveLength(4);
    const [compile, thrown, stale, wrote] = result.failures;
    expect(compile).toMatch(
      new RegExp(
        `^TypeScript rejects README examples:\\n${fixture}:23:7: error TS2322: Type 'string' is not assignable to type 'number'`,
      ),
    );
    expect(thrown).toMatch(`${fixture}:29: the example exited with 1 (cwd packages/metrics):`);
    expect(thrown).toMatch('Error: planted runtime failure');
    expect(stale).toBe(
      `${fixture}:35: the output differs from the README's output block.\n--- README\n3\n--- printed\n2`,
    );
    // Other tasks of `pnpm test` run beside this one, so only the planted file is looked for.
    expect(wrote).toMatch(
      /^README examples changed files in the repository \(write to os.tmpdir\(\) instead\):\n/,
    );
    expect(wrote.split('\n')).toContain('?? packages/metrics/.planted-by-readme-test');
    expect(existsSync(join(root, 'packages/metrics/.readme-examples'))).toBe(false);
  });

  it('runs from any working directory', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(root, 'scripts/readme-examples.mjs'), join(root, 'packages/tfidf/README.md')],
      { cwd: tmpdir() },
    );
    expect(stdout).toMatch(/ok {3}packages\/tfidf\/README\.md:16 \(.*output matches\)/);
    expect(stdout).toMatch('check:examples: 1 examples in 1 READMEs, 1 run, 0 failed');
  });
});
