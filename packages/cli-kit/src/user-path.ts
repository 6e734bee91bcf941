import { resolve } from 'node:path';
import type { Environment } from './colour.js';

/**
 * The folder relative paths on the command line are relative to: where the user typed the
 * command. pnpm runs scripts in the package's folder and records the caller's in `INIT_CWD`.
 */
export function userCwd(env: Environment = process.env): string {
  return env.INIT_CWD ?? process.cwd();
}

/** `path` resolved against {@link userCwd}. */
export function userPath(path: string, env: Environment = process.env): string {
  return resolve(userCwd(env), path);
}
