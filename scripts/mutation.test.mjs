// `pnpm mutation` refuses what it should before starting Stryker: no package, a package that is
// not in the workspace, and any run in CI (a measurement, too slow for it).
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, 'mutation.mjs');

async function mutation(args, env = {}) {
  const childEnv = { ...process.env, CI: '', ...env };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], {
      env: childEnv,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

describe('pnpm mutation', () => {
  it.each([
    [[], {}, 'usage: pnpm mutation <package>'],
    [['--concurrency', '1'], {}, 'usage: pnpm mutation <package>'],
    [['no-such-package'], {}, 'mutation: no package "no-such-package" under packages/ or apps/'],
    [['metrics'], { CI: 'true' }, 'mutation: not run in CI'],
  ])('%j with %j exits 2 before Stryker starts', async (args, env, message) => {
    const result = await mutation(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('INFO');
    expect(result.stdout).toBe('');
  });
});

// Stryker chooses a mutant's tests by the names of its dry run. A property test is named after
// its seed, so the mutation config must give it the same name in every run, or no property test
// runs on any mutant (measured on losses before this setting: 0 of 213 kills by a property test).
describe('vitest.mutation.config.mjs', () => {
  const vitest = resolve(import.meta.dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');
  const config = resolve(import.meta.dirname, 'vitest.mutation.config.mjs');
  const metrics = resolve(import.meta.dirname, '..', 'packages', 'metrics');

  async function propertyNames(args) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [vitest, 'list', 'src/recall.test.ts', ...args],
      { cwd: metrics, env: { ...process.env, CI: '' } },
    );
    return stdout.split('\n').filter((line) => line.includes('(with seed='));
  }

  it('names each property test after the same seed in every run', async () => {
    const first = await propertyNames(['--config', config]);
    const second = await propertyNames(['--config', config]);
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    for (const name of first) expect(name).toContain('(with seed=20261202)');
  });

  it('is needed: without it the names change between runs', async () => {
    const first = await propertyNames([]);
    const second = await propertyNames([]);
    expect(first.length).toBeGreaterThan(0);
    expect(second).not.toEqual(first);
  });

  it('narrows the test files to RTK_MUTATION_TESTS when it is set, and only then', async () => {
    async function files(env) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [vitest, 'list', '--filesOnly', '--config', config],
        { cwd: metrics, env: { ...process.env, CI: '', ...env } },
      );
      return stdout.split('\n').filter((line) => line.endsWith('.test.ts'));
    }
    const narrowed = await files({ RTK_MUTATION_TESTS: 'src/recall.test.ts,src/hit.test.ts' });
    expect(narrowed.map((line) => line.replace(/^.*src\//, 'src/')).sort()).toEqual([
      'src/hit.test.ts',
      'src/recall.test.ts',
    ]);
    expect((await files({ RTK_MUTATION_TESTS: '' })).length).toBeGreaterThan(10);
  });
});
