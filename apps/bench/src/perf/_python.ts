// The Python references of the benchmarks: how they are started (which interpreter, which
// environment) and how their output is read.
import { spawn, spawnSync } from 'node:child_process';
import { RtkError } from '@rtk/errors';
import { forEachLine } from './_process.js';

/**
 * Thrown when a Python reference cannot start, exits with an error, or prints no result that can
 * be read.
 */
export class PythonReferenceError extends RtkError {
  readonly code = 'ERR_BENCH_PYTHON_REFERENCE' as const;
  /** The command, interpreter and arguments, as one line. */
  readonly command: string;

  constructor(command: string, problem: string, options?: ErrorOptions) {
    super(`${command}: ${problem}`, options);
    this.command = command;
  }
}

/**
 * OpenBLAS tuning variables that the environment of this machine may set for its own jobs; with
 * them the references' NumPy and PyTorch pick slower kernels (dense_search_bench.py's note), so the
 * reference runs without them. Only the reference's process: ours keeps its environment.
 */
export const UNSET_FOR_REFERENCE: readonly string[] = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

/** The interpreter: `$RTK_PYTHON`, else Debian's `/usr/bin/python3` (where `python3-torch` lives). */
export function defaultPython(): string {
  const env = process.env.RTK_PYTHON;
  return env !== undefined && env !== '' ? env : '/usr/bin/python3';
}

/** A reference command: the interpreter, its arguments, and variables to set for it. */
export interface PythonCommand {
  readonly python: string;
  /** Everything after the interpreter: `['-u', 'tool.py', ...]` or `['-c', code, ...]`. */
  readonly args: readonly string[];
  /** Set (or override) for the reference only, e.g. `{ OMP_NUM_THREADS: '2' }`. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The reference's environment: `base` without {@link UNSET_FOR_REFERENCE}, plus `extra`. */
export function referenceEnv(
  extra: Readonly<Record<string, string>> = {},
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of UNSET_FOR_REFERENCE) delete env[name];
  return { ...env, ...extra };
}

function describe(command: PythonCommand): string {
  const args = command.args.map((a) => (a.includes('\n') ? '<code>' : a));
  return [command.python, ...args].join(' ');
}

/** The last lines of a process's stderr, for an error message. */
function tail(stderr: string, lines = 5): string {
  return stderr.trim().split('\n').slice(-lines).join('\n');
}

/**
 * The last non-empty line of a reference's stdout, parsed as JSON (the references print their
 * result last, after any progress lines).
 *
 * @throws {@link PythonReferenceError} when there is no such line or it is not JSON.
 * @example
 * ```ts
 * lastJsonLine('fitting…\n{"seconds": 1.5}\n', 'ref.py'); // { seconds: 1.5 }
 * ```
 */
export function lastJsonLine(stdout: string, command: string): unknown {
  const last = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .at(-1);
  if (last === undefined) throw new PythonReferenceError(command, 'printed nothing on stdout');
  try {
    return JSON.parse(last) as unknown;
  } catch (error) {
    throw new PythonReferenceError(
      command,
      `its last stdout line is not JSON: ${last.slice(0, 200)}`,
      { cause: error },
    );
  }
}

/**
 * Runs a reference to the end and returns its result: the last stdout line, parsed as JSON.
 *
 * @throws {@link PythonReferenceError} when it cannot start, exits non-zero (its stderr's last
 *   lines are in the message), or its last line is not JSON.
 */
export function runPythonJson(command: PythonCommand): unknown {
  const what = describe(command);
  const res = spawnSync(command.python, [...command.args], {
    encoding: 'utf8',
    env: referenceEnv(command.env),
    maxBuffer: 1 << 26,
  });
  if (res.error !== undefined)
    throw new PythonReferenceError(what, `could not start: ${res.error.message}`, {
      cause: res.error,
    });
  if (res.status !== 0)
    throw new PythonReferenceError(
      what,
      `exited with ${res.status ?? res.signal ?? 'unknown status'}:\n${tail(res.stderr)}`,
    );
  return lastJsonLine(res.stdout, what);
}

/**
 * Runs a reference and hands each stdout line to `onLine` as it is printed; `onLine` may call
 * `stop()` once it has what it needs (the reference is then ended with SIGTERM). Resolves when the
 * process is gone, after a normal exit or a stop.
 *
 * @throws {@link PythonReferenceError} (as a rejection) when it cannot start or exits non-zero
 *   without having been stopped.
 */
export function streamPython(
  command: PythonCommand,
  onLine: (line: string, stop: () => void) => void,
): Promise<void> {
  const what = describe(command);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command.python, [...command.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: referenceEnv(command.env),
    });
    let stopped = false;
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      child.kill('SIGTERM');
    };
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    forEachLine(child.stdout, (line) => {
      if (!stopped) onLine(line, stop);
    });
    child.on('error', (error) =>
      reject(new PythonReferenceError(what, `could not start: ${error.message}`, { cause: error })),
    );
    child.on('close', (code, signal) => {
      if (code === 0 || stopped) resolvePromise();
      else
        reject(
          new PythonReferenceError(
            what,
            `exited with ${code ?? signal ?? 'unknown status'}:\n${tail(stderr)}`,
          ),
        );
    });
  });
}
