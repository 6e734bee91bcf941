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
