import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, TINY_BERT_DIR, maxAbsDiff } from './_test-fixture.js';
import { EncoderDisposedError, EncoderInputError } from './errors.js';
import { loadTrainableEncoder } from './load-trainable-encoder.js';
import type { TrainableEncoder } from './trainable-encoder.js';
import {
  BACKENDS,
  EXPECTED_HIDDEN,
  fixtureBatch,
  onnxHiddenStates,
  useBackend,
} from './_test-helpers.js';

describe.each(BACKENDS)('TrainableEncoder on %s', (backend) => {
  let encoder: TrainableEncoder;
  beforeAll(async () => {
    await useBackend(backend);
    encoder = await loadTrainableEncoder(TINY_BERT_DIR);
  });
  afterAll(() => encoder.dispose());

  it('forward equals PyTorch last_hidden_state (expected.json) to 1e-5 on the padded batch', async () => {
    const batch = fixtureBatch();
    const hidden = encoder.forward(batch);
    const data = await hidden.data();
    hidden.dispose();
    const h = encoder.config.hiddenSize;
    EXPECTED_HIDDEN.forEach((rows, i) => {
      const got = data.subarray(i * batch.length * h, (i * batch.length + rows.length) * h);
      expect(maxAbsDiff(got, rows.flat())).toBeLessThan(1e-5);
    });
  });

  it('forward equals the ONNX export run by onnxruntime, padded positions included', async () => {
    const batch = fixtureBatch();
    const hidden = encoder.forward(batch);
    const data = await hidden.data();
    hidden.dispose();
    const onnx = await onnxHiddenStates(batch);
    expect(maxAbsDiff(data, onnx)).toBeLessThan(1e-5);
  });

  it('embedBatch equals PyTorch masked mean + L2 normalisation to 1e-5', async () => {
    const e = encoder.embedBatch(fixtureBatch());
    const data = await e.data();
    e.dispose();
    const h = encoder.config.hiddenSize;
    EXPECTED.forEach((s, i) => {
      expect(maxAbsDiff(data.subarray(i * h, (i + 1) * h), s.mean_normalized)).toBeLessThan(1e-5);
    });
  });

  it('embedTexts adds the E5 prefix and tokenizes like the Python tokenizer', async () => {
    // expected.json's texts carry their prefix; strip it and let the encoder add it back.
    const queries = EXPECTED.filter((s) => s.text.startsWith('query: '));
    const e = encoder.embedTexts(
      queries.map((s) => s.text.slice('query: '.length)),
      { role: 'query' },
    );
    const data = await e.data();
    e.dispose();
    queries.forEach((s, i) => {
      expect(maxAbsDiff(data.subarray(i * 32, (i + 1) * 32), s.mean_normalized)).toBeLessThan(1e-5);
    });
    const [p] = await encoder.encode([EXPECTED[1]!.text.slice('passage: '.length)], {
      role: 'passage',
    });
    expect(maxAbsDiff(p!, EXPECTED[1]!.mean_normalized)).toBeLessThan(1e-5);
  });

  it('encode returns rows in input order whatever the batching (PyTorch vectors)', async () => {
    // The passages of expected.json, longest first: encode sorts by length, so its batches do
    // not follow the input order; each row must still be the PyTorch vector of its own text.
    const passages = [4, 1, 3].map((i) => EXPECTED[i]!);
    expect(passages.every((s) => s.text.startsWith('passage: '))).toBe(true);
    const texts = passages.map((s) => s.text.slice('passage: '.length));
    for (const batchSize of [1, 2, 3]) {
      const rows = await encoder.encode(texts, { role: 'passage', batchSize });
      expect(rows).toHaveLength(passages.length);
      rows.forEach((row, i) =>
        expect(maxAbsDiff(row, passages[i]!.mean_normalized)).toBeLessThan(1e-5),
      );
    }
    // The queries, longest first, as well.
    const queries = [0, 2].map((i) => EXPECTED[i]!);
    const rows = await encoder.encode(
      queries.map((s) => s.text.slice('query: '.length)),
      { role: 'query', batchSize: 1 },
    );
    rows.forEach((row, i) =>
      expect(maxAbsDiff(row, queries[i]!.mean_normalized)).toBeLessThan(1e-5),
    );
  });

  it('dropout is off by default and on with training: true', async () => {
    const batch = fixtureBatch();
    const [a, b, c] = [
      encoder.embedBatch(batch),
      encoder.embedBatch(batch),
      encoder.embedBatch(batch, { training: true }),
    ];
    const [da, db, dc] = await Promise.all([a.data(), b.data(), c.data()]);
    tf.dispose([a, b, c]);
    expect(maxAbsDiff(da, db)).toBe(0);
    expect(maxAbsDiff(da, dc)).toBeGreaterThan(1e-3);
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    encoder.embedBatch(fixtureBatch(), { training: true }).dispose();
    encoder.forward(fixtureBatch()).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('TrainableEncoder input checks', () => {
  let encoder: TrainableEncoder;
  beforeAll(async () => {
    await useBackend('cpu');
    encoder = await loadTrainableEncoder(TINY_BERT_DIR);
  });
  afterAll(() => encoder.dispose());

  const ok = (): ReturnType<typeof fixtureBatch> => fixtureBatch();
  it.each([
    ['inputIds', { ...ok(), inputIds: new Int32Array(3) }],
    ['inputIds', { ...ok(), inputIds: ok().inputIds.map(() => 263) }],
    ['attentionMask', { ...ok(), attentionMask: ok().attentionMask.map(() => 2) }],
    [
      'length',
      {
        ...ok(),
        length: 129,
        inputIds: new Int32Array(6 * 129),
        attentionMask: new Int32Array(6 * 129),
      },
    ],
    ['tokenTypeIds', { ...ok(), tokenTypeIds: new Int32Array(ok().inputIds.length).fill(2) }],
  ])('rejects a bad %s', (argument, batch) => {
    let error: unknown;
    try {
      encoder.forward(batch);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EncoderInputError);
    expect(error).toMatchObject({ code: 'ERR_BERT_INPUT', argument });
  });

  it('rejects bad freeze and tokenize arguments', () => {
    expect(() => encoder.freeze({ layers: 3 })).toThrow(EncoderInputError);
    expect(() => encoder.tokenize(['x'], 'query', 2)).toThrow(EncoderInputError);
    expect(() => encoder.embedTexts([], { role: 'query' })).toThrow(EncoderInputError);
  });

  it('freeze removes embeddings and the lowest layers from trainableVariables', () => {
    expect(encoder.trainableVariables()).toHaveLength(5 + 2 * 16);
    encoder.freeze({ embeddings: true, layers: 1 });
    expect(encoder.trainableVariables()).toHaveLength(16);
    expect(encoder.frozen).toEqual({ embeddings: true, layers: 1 });
    encoder.freeze({});
    expect(encoder.trainableVariables()).toHaveLength(37);
  });

  it('throws after dispose', async () => {
    const before = tf.memory().numTensors;
    const other = await loadTrainableEncoder(TINY_BERT_DIR);
    other.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => other.forward(fixtureBatch())).toThrow(EncoderDisposedError);
  });
});
