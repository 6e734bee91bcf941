// Every reliance of this package on PRIVATE internals of TensorFlow.js, in one module (internal).
//
// The versions are pinned exactly (pnpm catalog `@tensorflow/*: 4.22.0`); `internals.test.ts`
// has one canary per assumption below, each failing with a message that names it, so an upgrade
// shows at once which workaround to re-check. Nothing else in the package reaches into TF.js
// beyond its public API.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TfjsInternalsError } from './errors.js';

/** The TF.js release every assumption here was checked against. */
export const TFJS_PINNED_VERSION = '4.22.0';

/**
 * Flag of tfjs-backend-wasm that decides between the threaded and the single-threaded build; it
 * answers false whenever IS_NODE (tensorflow/tfjs issue #3830), so it is forced on while the threaded build
 * starts.
 */
export const MULTITHREAD_FLAG = 'WASM_HAS_MULTITHREAD_SUPPORT';

/**
 * First statement of the threaded build's main script, which the loader hands to its pthread
 * workers as a Blob made from text (`new Blob(["var WasmBackendModuleThreadedSimd = " + …])`).
 */
export const THREADED_MAIN_SCRIPT_START = 'var WasmBackendModuleThreadedSimd';

/**
 * Names local to the wasm bundle (`tf-backend-wasm.node.js`) that the main script's factory
 * function refers to, and what each stands for there. A worker evaluates the script in its own
 * global scope, so the script file defines them first.
 */
export const BUNDLE_LOCAL_NAMES: Readonly<Record<string, string>> = Object.freeze({
  require$$0: "require('fs')",
  require$$1: "require('path')",
  require$$3: "require('perf_hooks')",
  require$$4: "require('os')",
  commonjsGlobal: 'globalThis',
});

/** The text that defines {@link BUNDLE_LOCAL_NAMES} (and `_scriptDir`) before the main script. */
export function mainScriptPrelude(mainPath: string): string {
  const names = Object.entries(BUNDLE_LOCAL_NAMES).map(([name, value]) => `${name} = ${value}`);
  return `var ${names.join(', ')}, _scriptDir = ${JSON.stringify(mainPath)};\n`;
}

/**
 * The module reads `os.cpus().length` once, when it instantiates, and the C++ takes half of it
 * as the thread pool's cap (it assumes two hyper-threads per core).
 */
export const LOGICAL_CPUS_PER_THREAD = 2;

/** Name of the wasm package's own `Identity` kernel function (it copies its input). */
export const WASM_IDENTITY_KERNEL_FUNCTION = 'identity';

/** The parts of the Emscripten module (`backend.wasm`) used here. */
export interface WasmModule {
  PThread?: PThreadPool;
  /** The raw exports; `_malloc`/`_free` are stubs that call these (and replace themselves). */
  asm?: { malloc?: (size: number) => number; free?: (pointer: number) => void };
  _malloc(size: number): number;
  _free(pointer: number): void;
  tfjs?: { disposeData: (id: number) => void };
  HEAPU8: Uint8Array;
  wasmMemory?: { buffer: ArrayBufferLike };
}

/** The Emscripten thread pool of the threaded build. */
export interface PThreadPool {
  readonly unusedWorkers: readonly { unref(): void }[];
  readonly runningWorkers: readonly { unref(): void }[];
}

/** The exports of `@tensorflow/tfjs-backend-wasm` used to choose the thread count. */
export interface WasmPackageExports {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/**
 * The Emscripten module of the active wasm backend (the backend's `wasm` field).
 *
 * @throws {@link TfjsInternalsError} when the active backend has no such field.
 */
export function activeWasmModule(): WasmModule {
  const module = (tf.backend() as unknown as { wasm?: WasmModule }).wasm;
  if (module === undefined || typeof module._malloc !== 'function') {
    throw new TfjsInternalsError(
      'backend.wasm',
      `the active backend (${tf.getBackend()}) has no Emscripten module with _malloc in its "wasm" field`,
    );
  }
  return module;
}

/**
 * The methods of the wasm backend the sliced batch-matmul and shared Identity kernels call on
 * tensor data inside the heap (public on the class, but not a documented API).
 */
export type WasmBackendInternals = Pick<
  BackendWasm,
  'makeOutput' | 'typedArrayFromHeap' | 'disposeData' | 'incRef'
>;

/**
 * The global engine's active gradient tape. A `tf.grads` call made inside a backward pass (as
 * gradient checkpointing does) replaces it and leaves it null when done, which breaks the outer
 * pass's clean-up (tfjs-core 4.22 `engine.gradients`).
 */
export function engineTapeState(): { activeTape: unknown } {
  // The field is created by the first gradient computation, so only `state` can be checked here;
  // the canary test checks the tape itself.
  const state = (tf.engine() as unknown as { state?: { activeTape: unknown } }).state;
  if (typeof state !== 'object' || state === null) {
    throw new TfjsInternalsError('engine.state', 'the TF.js engine has no state object');
  }
  return state;
}
