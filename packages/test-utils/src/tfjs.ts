// TF.js test helpers (subpath `@rtk/test-utils/tfjs`): the backends the TF.js packages are tested on.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients; the union package does (as an application would).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export { maxAbsDiff } from './max-abs-diff.js';

/** Backends available to the tests here (tfjs-node cannot install without its download). */
export const BACKENDS: readonly ['cpu', 'wasm'] = ['cpu', 'wasm'];

/** Switches the global engine to `name` and waits until it is ready. */
export async function useBackend(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TF.js backend ${name} failed to initialise`);
  await tf.ready();
}

/**
 * Tensors left behind by `repeats` calls of `step`, after one warm-up call (a backend may keep
 * tensors it creates on first use). 0 for a step that cleans up after itself.
 */
export function tensorsLeaked(step: () => void, repeats = 5): number {
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) step();
  return tf.memory().numTensors - before;
}

/** Runs `fn` and returns what it throws; fails the test when it throws nothing. */
export function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-Error: ${String(e)}`);
  }
  throw new Error('expected the call to throw, but it returned');
}
