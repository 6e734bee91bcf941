import * as tf from '@tensorflow/tfjs-core';
import os from 'node:os';
import { firstLine } from '@rtk/errors';
import { BackendError, TfjsOptionError } from './errors.js';
import { MAX_WASM_THREADS, startWasmBackend } from './_wasm-threads.js';

/** TensorFlow.js backends this package knows how to start, fastest first. */
export const TFJS_BACKENDS: readonly TfjsBackendName[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * A TensorFlow.js backend: `tensorflow` (native libtensorflow through `@tensorflow/tfjs-node`, or
 * `-gpu`), `wasm` (`@tensorflow/tfjs-backend-wasm`, XNNPACK on up to 8 threads) or `cpu`
 * (`@tensorflow/tfjs-backend-cpu`, plain JavaScript).
 */
export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** A backend that was tried and did not start, and why. */
export interface BackendAttempt {
  readonly backend: TfjsBackendName;
  /** The npm package that was tried. */
  readonly package: string;
  /** First line of the error, or what was missing. */
  readonly reason: string;
}

/** The outcome of {@link selectBackend}. */
export interface BackendSelection {
  /** The backend now active in the global TF.js engine. */
  readonly backend: TfjsBackendName;
  /** The npm package that provides it. */
  readonly package: string;
  /** True when `@tensorflow/tfjs-node-gpu` provides it. */
  readonly gpu: boolean;
  /** Faster backends that were tried first and failed, in order. */
  readonly skipped: readonly BackendAttempt[];
  /** XNNPACK threads of the `wasm` backend; absent for the others (tfjs-node uses every core). */
  readonly threads?: number;
  /** One line for logs: which backend runs and why the faster ones did not load. */
  readonly summary: string;
}

/** Options for {@link selectBackend}. */
export interface SelectBackendOptions {
  /** Try `@tensorflow/tfjs-node-gpu` before `@tensorflow/tfjs-node`. Default false. */
  readonly gpu?: boolean;
  /**
   * Backends to try, in order. Default {@link TFJS_BACKENDS} (`tensorflow`, `wasm`, `cpu`).
   * Pass `['wasm']` to pin one; the call then throws if it cannot start.
   */
  readonly prefer?: readonly TfjsBackendName[];
  /**
   * Threads of the `wasm` backend (1 … 8; its matrix products scale with them). Default: the
   * `RTK_WASM_THREADS` environment variable, else the machine's cores (`os.availableParallelism()`),
   * at most 8. Fixed when the wasm backend first starts in the process.
   */
  readonly threads?: number;
  /** Called once with {@link BackendSelection.summary}. Default: nothing is printed. */
  readonly log?: (line: string) => void;
}

/** Package specifiers are variables so bundlers and TypeScript do not require them to exist. */
const NODE_PACKAGE = '@tensorflow/tfjs-node';
const NODE_GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
const CPU_PACKAGE = '@tensorflow/tfjs-backend-cpu';

/** The wasm thread count to ask for: the option, else `RTK_WASM_THREADS`, else the cores. */
function wasmThreads(option: number | undefined): number {
  const fromEnv = process.env['RTK_WASM_THREADS'];
  const value = option ?? (fromEnv === undefined || fromEnv === '' ? undefined : Number(fromEnv));
  if (value === undefined) return Math.min(os.availableParallelism(), MAX_WASM_THREADS);
  if (!Number.isInteger(value) || value < 1 || value > MAX_WASM_THREADS) {
    throw new TfjsOptionError(
      'selectBackend',
      option === undefined ? 'RTK_WASM_THREADS' : 'threads',
      `expected an integer in [1, ${MAX_WASM_THREADS}], received ${String(option ?? fromEnv)}.`,
    );
  }
  return value;
}

async function activate(name: string): Promise<void> {
  // setBackend reports failure by returning false (the engine logs the cause as a warning).
  const ok = await tf.setBackend(name);
  if (!ok)
    throw new Error(
      `backend "${name}" was registered but failed to initialise (see the TF.js warning above)`,
    );
  await tf.ready();
}

/** `prefer` as given, checked: an array of known backend names (a bare string is refused). */
function checkPrefer(prefer: unknown): readonly TfjsBackendName[] {
  if (prefer === undefined) return TFJS_BACKENDS;
  const known = TFJS_BACKENDS as readonly unknown[];
  if (!Array.isArray(prefer) || prefer.length === 0 || !prefer.every((b) => known.includes(b))) {
    throw new TfjsOptionError(
      'selectBackend',
      'prefer',
      `must be a non-empty array of ${TFJS_BACKENDS.map((b) => `'${b}'`).join(', ')}; received ${JSON.stringify(prefer)}${typeof prefer === 'string' ? ` (write ['${prefer}'])` : ''}`,
    );
  }
  return prefer as readonly TfjsBackendName[];
}

/**
 * Start the fastest TensorFlow.js backend that works here and make it the global engine's
 * backend: `@tensorflow/tfjs-node` when its native binding loads (its `-gpu` variant first when
 * `gpu` is set and installed), else `@tensorflow/tfjs-backend-wasm`, else
 * `@tensorflow/tfjs-backend-cpu`. The packages are imported dynamically, so a missing optional
 * one (tfjs-node, whose install downloads libtensorflow and often fails) costs nothing.
 *
 * Speed on a 2-core x64 (docs/benchmarks.md): cpu ≈ 1.2 GFLOP/s, wasm ≈ 10–37 GFLOP/s per
 * thread with a 4 GB heap, tensorflow uses every core. The wasm package starts only its
 * single-threaded build in Node; this function starts its multi-threaded one (see `threads`) and
 * falls back to the single-threaded build, saying why, if that fails.
 *
 * @throws {@link BackendError} listing every attempt when none starts.
 * @example
 * ```ts
 * const selection = await selectBackend({ log: console.error });
 * // stderr: TF.js backend: wasm (@tensorflow/tfjs-backend-wasm, 2 threads); skipped tensorflow (@tensorflow/tfjs-node): The Node.js native addon module (tfjs_binding.node) can not be found …
 * selection.backend; // 'wasm'
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const prefer = checkPrefer(options.prefer);
  const threads = prefer.includes('wasm') ? wasmThreads(options.threads) : 1;
  const skipped: BackendAttempt[] = [];
  for (const backend of prefer) {
    const candidates =
      backend === 'tensorflow'
        ? options.gpu === true
          ? [NODE_GPU_PACKAGE, NODE_PACKAGE]
          : [NODE_PACKAGE]
        : [backend === 'wasm' ? WASM_PACKAGE : CPU_PACKAGE];
    for (const pkg of candidates) {
      let started: { threads: number; note?: string } | undefined;
      try {
        if (backend === 'wasm') started = await startWasmBackend(threads, () => activate('wasm'));
        else {
          await import(pkg);
          await activate(backend);
        }
      } catch (error) {
        skipped.push({ backend, package: pkg, reason: firstLine(error) });
        continue;
      }
      const gpu = pkg === NODE_GPU_PACKAGE;
      const summary =
        `TF.js backend: ${backend} (${pkg}` +
        (started === undefined
          ? ')'
          : `, ${started.threads} thread${started.threads === 1 ? '' : 's'}${started.note === undefined ? '' : `: ${started.note}`})`) +
        (skipped.length === 0
          ? ''
          : `; skipped ${skipped.map((s) => `${s.backend} (${s.package}): ${s.reason}`).join('; ')}`);
      options.log?.(summary);
      return started === undefined
        ? { backend, package: pkg, gpu, skipped, summary }
        : { backend, package: pkg, gpu, skipped, summary, threads: started.threads };
    }
  }
  throw new BackendError('No TensorFlow.js backend could be started.', skipped);
}
