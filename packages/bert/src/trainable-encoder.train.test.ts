// Training behaviour of TrainableEncoder: gradients reach every parameter (the embedding table
// too, on wasm), frozen parameters stay put, the loss falls on a toy retrieval set, and steps do
// not leak tensors. The loss here is a minimal in-batch InfoNCE written for the test; the real
// losses live in @rtk/losses.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { TINY_BERT_DIR, maxAbsDiff } from './_test-fixture.js';
import { loadTrainableEncoder } from './load-trainable-encoder.js';
import type { TrainableEncoder } from './trainable-encoder.js';
import { BACKENDS, useBackend } from './_test-helpers.js';
import { tensorsLeaked } from '@rtk/test-utils/tfjs';

const QUERIES = [
  'how many people live in the city',
  'what is a debian package',
  'who won the war',
  'which river is the largest',
  'when was the university born',
  'what does the python module do',
];
const PASSAGES = [
  'the city has a population of two million people',
  'a package is a file with programs for a linux system',
  'the war was won by the united states',
  'the largest river of the country',
  'the university was born in the first year',
  'the python module has an interface for the command line',
];

/** InfoNCE with scale 20: mean_i (logsumexp_j s·q_i·p_j − s·q_i·p_i) on unit embeddings. */
function infoNce(encoder: TrainableEncoder, training: boolean): tf.Scalar {
  const q = encoder.embedTexts(QUERIES, { role: 'query', training });
  const p = encoder.embedTexts(PASSAGES, { role: 'passage', training });
  const scores = tf.mul(tf.matMul(q, tf.transpose(p)), 20);
  const positives = tf.sum(tf.mul(scores, tf.eye(QUERIES.length)), 1);
  return tf.mean(tf.sub(tf.logSumExp(scores, 1), positives));
}

function evalLoss(encoder: TrainableEncoder): number {
  return tf.tidy(() => infoNce(encoder, false).dataSync()[0]!);
}

/**
 * One optimizer step. No `tf.tidy`: the loss and the gradients are disposed by hand, so a tensor
 * the encoder leaves behind stays counted in `tf.memory()`.
 */
function step(encoder: TrainableEncoder, optimizer: tf.Optimizer): void {
  const { value, grads } = tf.variableGrads(
    () => infoNce(encoder, true),
    encoder.trainableVariables(),
  );
  optimizer.applyGradients(grads);
  tf.dispose([value, ...Object.values(grads)]);
}

function snapshot(v: tf.Variable): Float32Array {
  return v.dataSync().slice() as Float32Array;
}

// A few seconds per test on an idle 2-core machine; the timeout leaves room for a loaded CI box.
describe.each(BACKENDS)('training the tiny model on %s', { timeout: 60_000 }, (backend) => {
  it('lowers the InfoNCE loss, updates the embedding table, and leaks no tensors', async () => {
    await useBackend(backend);
    const encoder = await loadTrainableEncoder(TINY_BERT_DIR, { seed: 1 });
    const optimizer = tf.train.adam(5e-3);
    const [word] = encoder.trainableVariables();
    const wordBefore = snapshot(word!);
    const before = evalLoss(encoder);
    // The first (warm-up) step creates the optimizer's moment slots; counted outside any tidy.
    expect(tensorsLeaked(() => step(encoder, optimizer), 7)).toBe(0);
    const after = evalLoss(encoder);
    expect(after).toBeLessThan(before * 0.7);
    const wordAfter = snapshot(word!);
    // Only rows of ids seen in the batch have gradients; enough of them must have moved.
    let changed = 0;
    for (let i = 0; i < wordAfter.length; i++) if (wordAfter[i] !== wordBefore[i]) changed++;
    expect(changed).toBeGreaterThan(32 * 20);
    optimizer.dispose();
    encoder.dispose();
  });

  it('keeps frozen embeddings and the lowest layer fixed while the rest trains', async () => {
    await useBackend(backend);
    const encoder = await loadTrainableEncoder(TINY_BERT_DIR, {
      freeze: { embeddings: true, layers: 1 },
    });
    const optimizer = tf.train.adam(3e-3);
    const all = encoder.variables();
    const before = all.map(snapshot);
    for (let i = 0; i < 2; i++) step(encoder, optimizer);
    const frozenCount = 5 + 16; // embedding block + layer 0
    all.forEach((v, i) => {
      const moved = snapshot(v).some((x, j) => x !== before[i]![j]);
      expect({ name: v.name, moved }).toEqual({ name: v.name, moved: i >= frozenCount });
    });
    optimizer.dispose();
    encoder.dispose();
  });

  it('keeps savedActivationBytes for the backward pass, one input a layer when checkpointed; wasm defaults to plain when it fits', async () => {
    await useBackend(backend);
    const encoder = await loadTrainableEncoder(TINY_BERT_DIR);
    const batch = encoder.tokenize([...QUERIES, ...PASSAGES], 'query');
    const { batchSize: b, length: t } = batch;
    /** Bytes held while the tape is alive, after the forward pass and before the backward. */
    const kept = (checkpoint: boolean | undefined): number => {
      let held = 0;
      const { value, grads } = tf.variableGrads(() => {
        const before = tf.memory().numBytes;
        const hidden = encoder.forward(batch, { training: true, checkpoint, dropoutSeed: 1 });
        held = tf.memory().numBytes - before - hidden.size * 4;
        return tf.sum(hidden);
      }, encoder.trainableVariables());
      tf.dispose([value, ...Object.values(grads)]);
      return held;
    };
    const estimate = encoder.savedActivationBytes(b, t);
    const { numHiddenLayers: layers, hiddenSize: h } = encoder.config;
    const plain = kept(false);
    expect(plain).toBeGreaterThan(estimate * 0.97);
    expect(plain).toBeLessThan(estimate * 1.03);
    // Checkpointed, a layer keeps its input and the attention bias (H + 1 a token): the layers'
    // part of the estimate is exactly what checkpointing saves.
    const layerPart = estimate - 4 * 11 * h * b * t;
    expect(plain - kept(true)).toBe(layerPart - 4 * layers * b * t * (h + 1));
    // The default: plain on every backend here (on wasm because this batch fits the budget).
    expect(kept(undefined)).toBe(plain);
    encoder.dispose();
  });

  it('gradient checkpointing gives the gradients of the plain backward pass', async () => {
    await useBackend(backend);
    const encoder = await loadTrainableEncoder(TINY_BERT_DIR);
    const batch = encoder.tokenize(QUERIES, 'query');
    // No tf.tidy: what the pass returns is disposed by hand, so a leak stays counted.
    const weights = tf.linspace(-1, 1, 32);
    const grads = (checkpoint: boolean): Float32Array[] => {
      const { value, grads: g } = tf.variableGrads(
        () =>
          tf.sum(
            tf.mul(
              encoder.embedBatch(batch, { training: true, checkpoint, dropoutSeed: 5 }),
              weights,
            ),
          ),
        encoder.trainableVariables(),
      );
      const out = encoder.trainableVariables().map((v) => g[v.name]!.dataSync() as Float32Array);
      tf.dispose([value, ...Object.values(g)]);
      return out;
    };
    const before = tf.memory().numTensors;
    const plain = grads(false);
    const checkpointed = grads(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(tensorsLeaked(() => void grads(true), 2)).toBe(0);
    weights.dispose();
    plain.forEach((g, i) => expect(maxAbsDiff(checkpointed[i]!, g)).toBeLessThan(1e-5));
    // Every variable gets a non-zero gradient, so the comparison is not vacuous; except the key
    // bias, which adds the same value to a whole row of scores and cancels in the softmax.
    const names = encoder.trainableVariables().map((v) => v.name);
    plain.forEach((g, i) => {
      const norm = maxAbsDiff(g, new Float32Array(g.length));
      expect(names[i]!.endsWith('attention.self.key.bias') ? 1 : norm).toBeGreaterThan(1e-6);
    });
    encoder.dispose();
  });
});

describe('dropout masks', () => {
  it('are the same on every backend, checkpointed or not, for the same dropoutSeed', async () => {
    const embeddings: Float32Array[] = [];
    for (const backend of BACKENDS) {
      await useBackend(backend);
      const encoder = await loadTrainableEncoder(TINY_BERT_DIR, { seed: 0 });
      for (const checkpoint of [false, true]) {
        const e = encoder.embedTexts(QUERIES, {
          role: 'query',
          training: true,
          dropoutSeed: 77,
          checkpoint,
        });
        embeddings.push(e.dataSync().slice() as Float32Array);
        e.dispose();
      }
      const inference = encoder.embedTexts(QUERIES, { role: 'query' });
      // Dropout did something: training-mode embeddings differ from inference ones.
      expect(maxAbsDiff(embeddings.at(-1)!, inference.dataSync())).toBeGreaterThan(1e-3);
      inference.dispose();
      encoder.dispose();
    }
    for (const e of embeddings.slice(1)) expect(maxAbsDiff(e, embeddings[0]!)).toBeLessThan(1e-6);
  });
});
