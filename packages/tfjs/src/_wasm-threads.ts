// Starting @tensorflow/tfjs-backend-wasm's multi-threaded build in Node (internal).
//
// The package ships a threaded SIMD build (XNNPACK with a pthreadpool over worker threads) whose
// Emscripten loader supports Node's worker_threads, but 4.22 never starts it there, for three
// reasons this module works around while the backend initialises:
// 1. the WASM_HAS_MULTITHREAD_SUPPORT flag answers false whenever IS_NODE (tensorflow/tfjs issue #3830);
// 2. the pthread workers are created from Blob URLs (worker script and main script), which Node's
//    Worker cannot load: while the backend starts, Blobs made from text remember it, and
//    URL.createObjectURL writes that text to a file in a temporary folder and returns its path.
//    The main script is the bundle's factory function as text; it refers to four `require`d
//    modules and the bundle's global alias by their bundle-local names, so the file defines them;
// 3. the thread count is capped at half of `os.cpus().length` (the C++ assumes two hyper-threads
//    per core), read once when the module instantiates: os.cpus reports 2 × threads entries then.
// Afterwards the workers are unref'd so they do not keep the process alive, the temporary folder
// is removed (every worker has read its files by then) and the globals are restored.
//
// It depends on tfjs-backend-wasm 4.22 internals (bundle-local names, the factory's first
// statement, the flag), all named in `_internals.ts` and checked by canaries in
// `internals.test.ts`; `startWasmBackend` falls back to the single-threaded build, and says why,
// when the threaded one does not start.
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { firstLine } from '@rtk/errors';
import {
  LOGICAL_CPUS_PER_THREAD,
  MULTITHREAD_FLAG,
  THREADED_MAIN_SCRIPT_START,
  activeWasmModule,
  mainScriptPrelude,
  type WasmPackageExports,
} from './_internals.js';
import { TfjsInternalsError } from './errors.js';
import { checkWasmAllocations } from './_wasm-memory.js';

/** The most threads the build has workers for (its PTHREAD_POOL_SIZE). */
export const MAX_WASM_THREADS = 8;

/** How the wasm backend was started. */
export interface WasmStart {
  /** Threads XNNPACK uses (the backend's own count). */
  readonly threads: number;
  /** Why fewer threads run than were asked for, if so. */
  readonly note?: string;
}

/** Runs `start` with the three Node shims described at the top of this file in place. */
async function withThreadShims(threads: number, start: () => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'rtk-tfjs-wasm-'));
  const mainPath = join(dir, 'main.js');
  const RealBlob = globalThis.Blob;
  const { createObjectURL } = URL; // eslint-disable-line @typescript-eslint/unbound-method -- a static function, restored as it was
  const realCpus = os.cpus;
  const texts = new WeakMap<Blob, string>();
  let workers = 0;
  let mainWritten = false;
  globalThis.Blob = class TextBlob extends RealBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const parts = args[0];
      if (parts?.every((p) => typeof p === 'string') !== true) return;
      const text = parts.join('');
      texts.set(this, text);
      // The main script reaches the workers as this Blob; they evaluate the file instead, in
      // their global scope, so it first defines the bundle-local names the factory refers to.
      if (text.startsWith(THREADED_MAIN_SCRIPT_START)) {
        writeFileSync(mainPath, mainScriptPrelude(mainPath) + text);
        mainWritten = true;
      }
    }
  };
  URL.createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text === undefined) return createObjectURL.call(URL, blob);
    // The worker script (CommonJS). It turns the main-script Blob it is sent into a URL to load;
    // inside the worker that URL is the main file.
    // A worker sent a main script that was never written would crash the process on load:
    // refuse here, so the start fails and the single-threaded build runs instead.
    if (!mainWritten) {
      throw new TfjsInternalsError(
        'threaded main script',
        `no Blob starting "${THREADED_MAIN_SCRIPT_START}" was made before the worker script`,
      );
    }
    const workerPath = join(dir, `worker-${workers++}.js`);
    writeFileSync(
      workerPath,
      `URL.createObjectURL = () => ${JSON.stringify(mainPath)}; URL.revokeObjectURL = () => {};\n${text}`,
    );
    return workerPath;
  };
  const cpus = realCpus();
  os.cpus = () =>
    Array.from({ length: LOGICAL_CPUS_PER_THREAD * threads }, (_, i) => cpus[i % cpus.length]!);
  tf.env().set(MULTITHREAD_FLAG, true);
  try {
    await start();
  } finally {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = createObjectURL;
    os.cpus = realCpus;
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Make `wasm` the global engine's backend (`activateWasm` sets and awaits it) with `threads` XNNPACK threads (1 … 8): the threaded
 * build for 2 or more, the single-threaded SIMD build for 1, and the latter again, with a
 * `note` saying why, when the threaded one does not start. The thread count is fixed when the
 * backend first starts; later calls report the running count.
 *
 * @throws Error when not even the single-threaded build starts.
 */
export async function startWasmBackend(
  threads: number,
  activate: () => Promise<void>,
): Promise<WasmStart> {
  // Concurrent first starts would nest the global shims; the later ones wait for the first.
  while (starting !== undefined) await starting.catch(() => undefined);
  const started = start(threads, activate);
  starting = started;
  try {
    return await started;
  } finally {
    if (starting === started) starting = undefined;
  }
}

let starting: Promise<WasmStart> | undefined;

async function start(threads: number, activate: () => Promise<void>): Promise<WasmStart> {
  const activateWasm = async (): Promise<void> => {
    await activate();
    checkWasmAllocations(activeWasmModule());
  };
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmPackageExports;
  const single = async (note?: string): Promise<WasmStart> => {
    tf.env().set(MULTITHREAD_FLAG, false);
    wasm.setThreadsCount(1);
    await activateWasm();
    const running = wasm.getThreadsCount();
    return note === undefined ? { threads: running } : { threads: running, note };
  };
  if (tf.findBackend('wasm') !== null) {
    await activateWasm();
    const running = wasm.getThreadsCount();
    return running < threads
      ? { threads: running, note: `the wasm backend was already running with ${running}` }
      : { threads: running };
  }
  if (threads <= 1) return single();
  const wanted = Math.min(threads, MAX_WASM_THREADS);
  try {
    wasm.setThreadsCount(wanted);
    await withThreadShims(wanted, activateWasm);
  } catch (error) {
    // The engine keeps the factory of a backend that failed to start: it can be started again.
    return single(`the multi-threaded build did not start (${firstLine(error)})`);
  }
  const pool = activeWasmModule().PThread;
  for (const worker of [...(pool?.unusedWorkers ?? []), ...(pool?.runningWorkers ?? [])])
    worker.unref();
  const running = wasm.getThreadsCount();
  return running < wanted
    ? { threads: running, note: `the threaded build started ${running} of ${wanted} threads` }
    : { threads: running };
}
