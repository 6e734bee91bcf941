// The multi-threaded wasm build, started by selectBackend (its own file: the wasm backend starts
// once per process, with the thread count it starts with).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '@rtk/test-utils';
import { selectBackend, type BackendSelection } from './select-backend.js';
import { TfjsOptionError, WasmOutOfMemoryError } from './errors.js';

const messagePorts = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;

describe('selectBackend on the multi-threaded wasm build', () => {
  let selection: BackendSelection;
  let concurrent: BackendSelection;
  let blobAfter: boolean;
  let portsBefore: number;
  beforeAll(async () => {
    portsBefore = messagePorts();
    const blob = globalThis.Blob;
    // Two first calls at once: one start, the shims put back once.
    const [first, second] = await Promise.all([
      selectBackend({ prefer: ['wasm'], threads: 2 }),
      selectBackend({ prefer: ['wasm'], threads: 2 }),
    ]);
    selection = first;
    concurrent = second;
    blobAfter = globalThis.Blob === blob;
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs two XNNPACK threads and says so', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.threads).toBe(2);
    expect(selection.summary).toBe(
      'TF.js backend: wasm (@tensorflow/tfjs-backend-wasm, 2 threads)',
    );
  });

  it('starts once for concurrent first calls and puts the global Blob back', () => {
    expect(concurrent.threads).toBe(2);
    expect(blobAfter).toBe(true);
  });

  it('leaves no worker keeping the process alive', () => {
    expect(messagePorts()).toBeLessThanOrEqual(portsBefore);
  });

  it('multiplies large matrices (split across the threads) as float64 arithmetic does', async () => {
    const [m, k, n] = [300, 384, 700];
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.11));
    const product = tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n]));
    const got = await product.data();
    tf.dispose(product);
    const want = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p]!;
        for (let j = 0; j < n; j++) want[i * n + j]! += aip * b[p * n + j]!;
      }
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-3);
  });

  it('reports the running count when asked for more once started', async () => {
    const again = await selectBackend({ prefer: ['wasm'], threads: 4 });
    expect(again.threads).toBe(2);
    expect(again.summary).toContain('2 threads: the wasm backend was already running with 2');
  });

  it('rejects a thread count outside 1 … 8, naming the argument or variable', async () => {
    await expect(selectBackend({ prefer: ['wasm'], threads: 0 })).rejects.toBeInstanceOf(
      TfjsOptionError,
    );
    await expect(selectBackend({ prefer: ['wasm'], threads: 9 })).rejects.toThrow(/"threads"/);
    process.env['RTK_WASM_THREADS'] = 'many';
    try {
      await expect(selectBackend({ prefer: ['wasm'] })).rejects.toThrow(
        /"RTK_WASM_THREADS": expected an integer in \[1, 8\], received many/,
      );
    } finally {
      delete process.env['RTK_WASM_THREADS'];
    }
  });

  // Last: past the heap limit the backend may be left unable to allocate (see the error's doc).
  // Writing 3 GiB of zeros takes seconds on a loaded 2-core machine.
  it(
    'refuses an allocation past the 4 GB heap with WasmOutOfMemoryError instead of hanging',
    { timeout: 60_000 },
    () => {
      const held: tf.Tensor[] = [];
      let error: unknown;
      try {
        for (let i = 0; i < 6; i++) held.push(tf.zeros([2 ** 28])); // 1 GiB each
      } catch (e) {
        error = e;
      } finally {
        tf.dispose(held);
      }
      expect(error).toBeInstanceOf(WasmOutOfMemoryError);
      const oom = error as WasmOutOfMemoryError;
      expect(oom.requestedBytes).toBe(2 ** 30);
      expect(oom.message).toMatch(
        /out of memory: cannot allocate 1024 MiB more in a heap of \d+ MiB/,
      );
      const next = (): unknown => {
        try {
          const sum = tf.add(tf.ones([4]), 1);
          const values = Array.from(sum.dataSync());
          sum.dispose();
          return values;
        } catch (e) {
          return e;
        }
      };
      const after = next();
      // Recoverable: the backend computes again; otherwise it refuses with the same error, at once.
      expect(oom.recoverable ? after : after instanceof WasmOutOfMemoryError).toEqual(
        oom.recoverable ? [2, 2, 2, 2] : true,
      );
    },
  );
});
