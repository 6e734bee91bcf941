// The trainable encoder on the multi-threaded wasm build that @rtk/tfjs' selectBackend starts
// (its own file: the wasm backend starts once per process, with the thread count it starts with).
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendSelection } from '@rtk/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, TINY_BERT_DIR, maxAbsDiff } from './_test-fixture.js';
import { loadTrainableEncoder } from './load-trainable-encoder.js';
import { fixtureBatch } from './_test-helpers.js';

describe('TrainableEncoder on the multi-threaded wasm build', () => {
  let selection: BackendSelection;
  beforeAll(async () => {
    selection = await selectBackend({ prefer: ['wasm'], threads: 2 });
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('computes the trainable encoder as PyTorch does (expected.json, 1e-5)', async () => {
    expect(selection.threads).toBe(2);
    const encoder = await loadTrainableEncoder(TINY_BERT_DIR);
    const e = encoder.embedBatch(fixtureBatch());
    const data = await e.data();
    e.dispose();
    encoder.dispose();
    const h = encoder.config.hiddenSize;
    EXPECTED.forEach((s, i) => {
      expect(maxAbsDiff(data.subarray(i * h, (i + 1) * h), s.mean_normalized)).toBeLessThan(1e-5);
    });
  });
});
