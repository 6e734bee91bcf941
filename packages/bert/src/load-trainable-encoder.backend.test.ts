// Own file: the backend is picked by loadTrainableEncoder only while none is active.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { TINY_BERT_DIR } from './_test-fixture.js';
import { loadTrainableEncoder } from './load-trainable-encoder.js';

it('picks a backend when none is active and says which through the log option', async () => {
  expect(tf.engine().backendName ?? null).toBeNull(); // nothing started yet
  const lines: string[] = [];
  const encoder = await loadTrainableEncoder(TINY_BERT_DIR, {
    backend: { prefer: ['cpu'], log: (line) => lines.push(line) },
  });
  encoder.dispose();
  expect(tf.getBackend()).toBe('cpu');
  expect(lines).toEqual(['TF.js backend: cpu (@tensorflow/tfjs-backend-cpu)']);
});
