import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';
import { BackendError } from './errors.js';

/** Whether tfjs-node's native binding loads on this machine (it does not where only npm is reachable). */
async function nodeBindingLoads(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

const NODE_LOADS = await nodeBindingLoads();

describe('selectBackend', () => {
  it('refuses a prefer that is not an array of backend names, before trying any', async () => {
    for (const prefer of ['wasm', [], ['wasm', 'gpu'], [1]] as unknown[]) {
      await expect(
        selectBackend({ prefer: prefer as readonly ('wasm' | 'cpu' | 'tensorflow')[] }),
      ).rejects.toMatchObject({ code: 'ERR_TFJS_INVALID_OPTION', option: 'prefer' });
    }
    await expect(selectBackend({ prefer: 'wasm' as unknown as ['wasm'] })).rejects.toThrow(
      "write ['wasm']",
    );
  });

  it.runIf(NODE_LOADS)('starts tfjs-node when its binding loads', async () => {
    const selection = await selectBackend();
    expect(selection).toMatchObject({ backend: 'tensorflow', package: '@tensorflow/tfjs-node' });
  });

  it.skipIf(NODE_LOADS)('falls back to wasm and says why tfjs-node did not load', async () => {
    const lines: string[] = [];
    const selection = await selectBackend({ log: (l) => lines.push(l) });
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toEqual([selection.summary]);
    expect(selection.backend).toBe('wasm');
    expect(selection.skipped).toEqual([
      expect.objectContaining({
        backend: 'tensorflow',
        package: '@tensorflow/tfjs-node',
        reason: expect.any(String),
      }),
    ]);
    expect(selection.summary).toContain('skipped tensorflow (@tensorflow/tfjs-node)');
  });

  it('tries tfjs-node-gpu first when asked and reports it missing', async () => {
    const selection = await selectBackend({ gpu: true, prefer: ['tensorflow', 'cpu'] });
    expect(selection.skipped[0]).toMatchObject({
      package: '@tensorflow/tfjs-node-gpu',
      reason: 'package not installed',
    });
  });

  it('honours an explicit order', async () => {
    const selection = await selectBackend({ prefer: ['cpu', 'wasm'] });
    expect(selection).toMatchObject({
      backend: 'cpu',
      package: '@tensorflow/tfjs-backend-cpu',
      skipped: [],
      gpu: false,
    });
    expect(tf.getBackend()).toBe('cpu');
  });

  it.skipIf(NODE_LOADS)(
    'throws BackendError listing every attempt when nothing starts',
    async () => {
      await expect(selectBackend({ prefer: ['tensorflow'] })).rejects.toBeInstanceOf(BackendError);
      await expect(selectBackend({ prefer: ['tensorflow'] })).rejects.toMatchObject({
        code: 'ERR_TFJS_BACKEND',
        attempts: [expect.objectContaining({ backend: 'tensorflow' })],
      });
    },
  );
});
