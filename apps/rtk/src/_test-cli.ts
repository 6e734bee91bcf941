// Test helper: run the built `rtk` CLI as a user would, in its own process.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** The built CLI (`pnpm build` first; the package's tests run after its build). */
export const CLI: string = resolve(import.meta.dirname, '../dist/cli.js');

/** What a run printed and its exit status (-1 when it was killed or did not start). */
export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the built CLI in `cwd` with `args`: no colour, the hub offline, and without pnpm's
 * INIT_CWD (relative paths are then relative to `cwd`). Killed after `timeoutMs` (default 60 s).
 */
export function rtk(args: readonly string[], cwd: string, timeoutMs = 60_000): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', HF_HUB_OFFLINE: '1' };
  delete env.INIT_CWD;
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}
