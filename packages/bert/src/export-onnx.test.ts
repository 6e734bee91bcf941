// The ONNX export of a trained model's in-memory weights computes what the TF.js forward does.
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, TINY_BERT_DIR, maxAbsDiff } from './_test-fixture.js';
import { fixtureBatch, useBackend } from './_test-helpers.js';
import { createOnnxEmbedder, exportTrainableEncoderOnnx } from './export-onnx.js';
import { loadTrainableEncoder } from './load-trainable-encoder.js';
import type { TrainableEncoder } from './trainable-encoder.js';

/**
 * A few plain gradient steps, then a small seeded nudge of every variable: the key biases get no
 * gradient in BERT (softmax ignores a per-row constant), and the check must see every weight move.
 */
function train(encoder: TrainableEncoder, steps: number): void {
  const batch = fixtureBatch();
  const optimizer = tf.train.sgd(0.5);
  const target = tf.randomNormal([batch.batchSize, batch.length, encoder.dim], 0, 1, 'float32', 7);
  for (let s = 0; s < steps; s++) {
    const { value, grads } = tf.variableGrads(
      () => tf.mean(tf.mul(encoder.forward(batch), target)),
      encoder.trainableVariables(),
    );
    optimizer.applyGradients(grads);
    value.dispose();
    Object.values(grads).forEach((g) => g.dispose());
  }
  target.dispose();
  optimizer.dispose();
  encoder.variables().forEach((v, i) => {
    tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.01, 'float32', 100 + i))));
  });
}

describe('exportTrainableEncoderOnnx', () => {
  let encoder: TrainableEncoder;
  const out = join(tmpdir(), `rtk-bert-export-${process.pid}`);
  beforeAll(async () => {
    await useBackend('cpu');
    encoder = await loadTrainableEncoder(TINY_BERT_DIR);
  });
  afterAll(async () => {
    encoder.dispose();
    await rm(out, { recursive: true, force: true });
  });

  it('after training steps, the exported graph equals the TF.js forward of the same weights to 1e-5', async () => {
    const before = encoder.variables().map((v) => v.dataSync().slice());
    train(encoder, 3);
    const moved = encoder.variables().map((v, i) => maxAbsDiff(v.dataSync(), before[i]!));
    expect(Math.min(...moved)).toBeGreaterThan(1e-4); // every variable was trained

    await exportTrainableEncoderOnnx(encoder, out);
    const batch = fixtureBatch();
    const reference = encoder.forward(batch);
    const want = reference.dataSync() as Float32Array;
    reference.dispose();
    const session = await ort.InferenceSession.create(join(out, 'onnx', 'model.onnx'));
    const dims = [batch.batchSize, batch.length];
    const big = (a: Int32Array): BigInt64Array => BigInt64Array.from(a, (v) => BigInt(v));
    const got = await session.run({
      input_ids: new ort.Tensor('int64', big(batch.inputIds), dims),
      attention_mask: new ort.Tensor('int64', big(batch.attentionMask), dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch.inputIds.length), dims),
    });
    await session.release();
    const hidden = got['last_hidden_state']!.data as Float32Array;
    expect(maxAbsDiff(hidden, want)).toBeLessThan(1e-5); // padded positions included

    // And the untrained fixture's graph would not pass: the check sees the trained weights.
    const fresh = await ort.InferenceSession.create(join(TINY_BERT_DIR, 'onnx', 'model.onnx'));
    const old = await fresh.run({
      input_ids: new ort.Tensor('int64', big(batch.inputIds), dims),
      attention_mask: new ort.Tensor('int64', big(batch.attentionMask), dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch.inputIds.length), dims),
    });
    await fresh.release();
    expect(maxAbsDiff(old['last_hidden_state']!.data as Float32Array, want)).toBeGreaterThan(1e-3);
  });

  it('createOnnxEmbedder: ONNX Runtime embeddings equal TrainableEncoder.encode; dispose removes the export', async () => {
    const texts = EXPECTED.map((s) => s.text);
    const fast = await createOnnxEmbedder(encoder, { threads: 1 });
    expect(existsSync(fast.dir)).toBe(true);
    for (const role of ['query', 'passage'] as const) {
      const a = await fast.encode(texts, { role });
      const b = await encoder.encode(texts, { role });
      a.forEach((row, i) => expect(maxAbsDiff(row, b[i]!)).toBeLessThan(1e-5));
    }
    expect(fast.fingerprint).not.toBe(encoder.fingerprint);
    await fast.dispose();
    expect(existsSync(fast.dir)).toBe(false);
  });
});
