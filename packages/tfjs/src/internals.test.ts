// Canaries: one test per private TF.js internal this package relies on (`_internals.ts`). Each
// fails with a message naming the assumption, so a TF.js upgrade says which workaround to
// re-check. The wasm backend starts once per process, so this file starts it itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { maxAbsDiff } from '@rtk/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_LOCAL_NAMES,
  LOGICAL_CPUS_PER_THREAD,
  MULTITHREAD_FLAG,
  THREADED_MAIN_SCRIPT_START,
  TFJS_PINNED_VERSION,
  WASM_IDENTITY_KERNEL_FUNCTION,
  activeWasmModule,
  engineTapeState,
} from './_internals.js';
import { ensureGradients } from './ensure-gradients.js';
import { selectBackend, type BackendSelection } from './select-backend.js';
import { prepareWasmBackend, wasmBatchMatMul } from './wasm-kernels.js';

const require = createRequire(import.meta.url);
const WASM_MAIN = require.resolve('@tensorflow/tfjs-backend-wasm');
const BUNDLE = readFileSync(WASM_MAIN, 'utf8');
const UPGRADE = `re-check packages/tfjs/src/_internals.ts against the new TF.js release (checked: ${TFJS_PINNED_VERSION})`;

/** Source of the threaded build's factory inside the wasm bundle. */
function threadedFactory(): string {
  const start = BUNDLE.indexOf(`${THREADED_MAIN_SCRIPT_START} = (function () {`);
  const end = BUNDLE.indexOf('module.exports = WasmBackendModuleThreadedSimd;', start);
  expect(start >= 0 && end > start, `the threaded factory is not in ${WASM_MAIN}; ${UPGRADE}`).toBe(
    true,
  );
  return BUNDLE.slice(start, end);
}

const GRADIENTS_BEFORE = tf.getGradient('Sum') !== undefined;

describe('TF.js internals (canaries, pinned to 4.22.0)', () => {
  let selection: BackendSelection;
  beforeAll(async () => {
    selection = await selectBackend({ prefer: ['wasm'], threads: 2 });
  });

  it.each([
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-backend-cpu',
    '@tensorflow/tfjs',
  ])('installed %s is the pinned release', (name) => {
    const pkgPath = join(dirname(require.resolve(name)), '..', 'package.json');
    const { version } = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
    expect(version, `${name} is ${version}; ${UPGRADE}`).toBe(TFJS_PINNED_VERSION);
  });

  it(`flag ${MULTITHREAD_FLAG} is registered and forced on for the threaded start`, () => {
    expect(
      BUNDLE.includes(`ENV.registerFlag('${MULTITHREAD_FLAG}'`),
      `the wasm bundle no longer registers ${MULTITHREAD_FLAG}; ${UPGRADE}`,
    ).toBe(true);
    // The backend has started with the flag forced on and then restored by the shims.
    expect(selection.threads, `the threaded build did not start: ${selection.summary}`).toBe(2);
  });

  it('the main script reaches the workers as a Blob made from text starting with the factory', () => {
    expect(
      BUNDLE.includes(`new Blob(["${THREADED_MAIN_SCRIPT_START} = " +`),
      `the threaded main script is no longer a Blob starting "${THREADED_MAIN_SCRIPT_START}"; ${UPGRADE}`,
    ).toBe(true);
  });

  it('the worker script is a Blob URL made in locateFile', () => {
    expect(
      /path\.endsWith\('\.worker\.js'\)\)[\s\S]{0,400}new Blob\(\[response\][\s\S]{0,100}URL\.createObjectURL\(blob\)/.test(
        BUNDLE,
      ),
      `the worker script no longer comes from URL.createObjectURL(new Blob([...])) in locateFile; ${UPGRADE}`,
    ).toBe(true);
  });

  it('the factory refers only to the bundle-local names the main-script file defines', () => {
    const used = new Set(threadedFactory().match(/\b(?:require\$\$\d+|commonjsGlobal)\b/g));
    const defined = Object.keys(BUNDLE_LOCAL_NAMES);
    expect(
      [...used].filter((name) => !defined.includes(name)),
      `the threaded factory uses bundle-local names the shim does not define; ${UPGRADE}`,
    ).toEqual([]);
    for (const [name, value] of Object.entries(BUNDLE_LOCAL_NAMES)) {
      if (!value.startsWith('require(')) continue;
      expect(
        BUNDLE.includes(`${name} = ${value}`),
        `${name} is no longer ${value} in the wasm bundle; ${UPGRADE}`,
      ).toBe(true);
    }
    expect(
      threadedFactory().includes('_scriptDir'),
      `the factory no longer reads _scriptDir; ${UPGRADE}`,
    ).toBe(true);
  });

  it(`the thread cap comes from os.cpus().length (${LOGICAL_CPUS_PER_THREAD} per thread) at instantiation`, () => {
    expect(
      threadedFactory().includes('return require$$4.cpus().length;'),
      `the threaded build no longer counts cores with os.cpus(); ${UPGRADE}`,
    ).toBe(true);
  });

  it('the Emscripten module exposes asm.malloc/free, tfjs.disposeData, and the backend allocates through module._malloc', () => {
    const module = activeWasmModule();
    expect(typeof module.asm?.malloc, `module.asm.malloc is gone; ${UPGRADE}`).toBe('function');
    expect(typeof module.asm?.free, `module.asm.free is gone; ${UPGRADE}`).toBe('function');
    expect(typeof module.tfjs?.disposeData, `module.tfjs.disposeData is gone; ${UPGRADE}`).toBe(
      'function',
    );
    const checked = module._malloc; // eslint-disable-line @typescript-eslint/unbound-method -- put back as it was
    let calls = 0;
    module._malloc = (size: number): number => {
      calls++;
      return checked(size);
    };
    try {
      tf.dispose(tf.zeros([1000]));
    } finally {
      module._malloc = checked;
    }
    expect(calls, `the wasm backend no longer allocates through module._malloc; ${UPGRADE}`).toBe(
      1,
    );
  });

  it('the wasm backend has the heap methods and kernels the sliced batch matmul and shared Identity use', () => {
    const backend = tf.backend() as unknown as Record<string, unknown>;
    for (const method of ['makeOutput', 'typedArrayFromHeap', 'disposeData', 'incRef']) {
      expect(typeof backend[method], `BackendWasm.${method} is gone; ${UPGRADE}`).toBe('function');
    }
    expect(
      tf.getKernel(tf.BatchMatMul, 'wasm'),
      `wasm has no BatchMatMul kernel; ${UPGRADE}`,
    ).toBeDefined();
    expect(
      tf.getKernel(tf.Identity, 'wasm')?.kernelFunc.name,
      `wasm's Identity kernel is no longer the function "${WASM_IDENTITY_KERNEL_FUNCTION}"; ${UPGRADE}`,
    ).toBe(WASM_IDENTITY_KERNEL_FUNCTION);
  });

  it('after prepareWasmBackend, Identity shares buffers and the sliced batch matmul equals tf.matMul', async () => {
    prepareWasmBackend();
    const x = tf.ones([4]);
    const y = tf.clone(x);
    expect(y.dataId, 'tf.clone no longer runs the Identity kernel on wasm').toBe(x.dataId);
    tf.dispose([x, y]);
    const a = tf.randomUniform<tf.Rank.R3>([3, 5, 4], -1, 1, 'float32', 1);
    const b = tf.randomUniform<tf.Rank.R3>([3, 4, 6], -1, 1, 'float32', 2);
    const sliced = wasmBatchMatMul(a, b);
    const plain = tf.matMul(a, b);
    expect(sliced.shape).toEqual([3, 5, 6]);
    expect(maxAbsDiff(await sliced.data(), await plain.data())).toBeLessThan(1e-5);
    tf.dispose([a, b, sliced, plain]);
  });

  // Importing the union package takes seconds on a loaded machine.
  it(
    'tfjs-core alone registers no gradients; ensureGradients adds them and keeps the backend',
    { timeout: 60_000 },
    async () => {
      expect(
        GRADIENTS_BEFORE,
        'tfjs-core now registers gradients itself: ensureGradients may go',
      ).toBe(false);
      await ensureGradients();
      expect(
        tf.getGradient('Sum'),
        'importing @tensorflow/tfjs registered no gradients',
      ).toBeDefined();
      expect(tf.getBackend()).toBe('wasm');
    },
  );

  // After ensureGradients: tf.grads needs Multiply's gradient.
  it('tfjs-core keeps its gradient tape in engine.state.activeTape', () => {
    let tape: unknown;
    tf.tidy(() =>
      tf.grads((x: tf.Tensor) => {
        tape = engineTapeState().activeTape;
        return tf.mul(x, 2);
      })([tf.ones([2])]),
    );
    expect(
      Array.isArray(tape),
      `engine.state.activeTape is not the tape during tf.grads; ${UPGRADE}`,
    ).toBe(true);
  });
});
