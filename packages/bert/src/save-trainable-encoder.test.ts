import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_BERT_DIR, maxAbsDiff } from './_test-fixture.js';
import { readSafetensors, serializeSafetensors } from '@rtk/safetensors';
import { ModelSaveError } from './errors.js';
import { loadTrainableEncoder } from './load-trainable-encoder.js';
import { saveTrainableEncoder } from './save-trainable-encoder.js';
import type { TrainableEncoder } from './trainable-encoder.js';
import { fixtureBatch, useBackend } from './_test-helpers.js';

let root: string;
beforeAll(async () => {
  await useBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'save-bert-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function hidden(encoder: TrainableEncoder): Float32Array {
  return tf.tidy(() => encoder.forward(fixtureBatch()).dataSync() as Float32Array);
}

/** Perturb every trainable weight, as a training step would. */
function perturb(encoder: TrainableEncoder): void {
  for (const v of encoder.trainableVariables())
    tf.tidy(() => v.assign(tf.add(v, tf.mul(tf.randomNormal(v.shape, 0, 0.01, 'float32', 7), 1))));
}

/** Copy of the fixture whose tensors are renamed the old-checkpoint way: `bert.` and gamma/beta. */
async function legacyNamedCopy(): Promise<string> {
  const dir = join(root, 'legacy');
  await cp(TINY_BERT_DIR, dir, { recursive: true });
  const { tensors, metadata } = await readSafetensors(join(TINY_BERT_DIR, 'model.safetensors'));
  const renamed = [...tensors.values()].map((t) => ({
    ...t,
    name: `bert.${t.name}`
      .replace(/LayerNorm\.weight$/, 'LayerNorm.gamma')
      .replace(/LayerNorm\.bias$/, 'LayerNorm.beta'),
  }));
  await writeFile(join(dir, 'model.safetensors'), serializeSafetensors(renamed, metadata));
  return dir;
}

describe('saveTrainableEncoder', () => {
  it('writes a HF folder that loads back with identical outputs and the original names and bytes layout', async () => {
    const encoder = await loadTrainableEncoder(TINY_BERT_DIR);
    perturb(encoder);
    const out = join(root, 'tuned');
    await saveTrainableEncoder(encoder, out);
    expect((await readdir(out)).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'vocab.txt',
    ]);
    expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8'))).toEqual(
      JSON.parse(await readFile(join(TINY_BERT_DIR, 'config.json'), 'utf8')),
    );
    const original = await readSafetensors(join(TINY_BERT_DIR, 'model.safetensors'));
    const saved = await readSafetensors(join(out, 'model.safetensors'));
    expect([...saved.tensors.keys()]).toEqual([...original.tensors.keys()]);
    expect(saved.metadata).toEqual(original.metadata);
    // The pooler is not part of mean pooling: written back byte for byte.
    expect(saved.tensors.get('pooler.dense.weight')?.bytes).toEqual(
      original.tensors.get('pooler.dense.weight')?.bytes,
    );
    const again = await loadTrainableEncoder(out);
    expect(maxAbsDiff(hidden(again), hidden(encoder))).toBe(0);
    // and the perturbation was saved, not the original weights
    const base = await loadTrainableEncoder(TINY_BERT_DIR);
    expect(maxAbsDiff(hidden(again), hidden(base))).toBeGreaterThan(1e-4);
    for (const e of [encoder, again, base]) e.dispose();
    expect((await readdir(root)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('reads `bert.`-prefixed gamma/beta checkpoints and saves them under the same names', async () => {
    const dir = await legacyNamedCopy();
    const legacy = await loadTrainableEncoder(dir);
    const plain = await loadTrainableEncoder(TINY_BERT_DIR);
    expect(maxAbsDiff(hidden(legacy), hidden(plain))).toBe(0);
    const out = join(root, 'legacy-saved');
    await saveTrainableEncoder(legacy, out);
    const names = [...(await readSafetensors(join(out, 'model.safetensors'))).tensors.keys()];
    expect(names).toContain('bert.encoder.layer.1.output.LayerNorm.gamma');
    expect(names).toEqual([
      ...(await readSafetensors(join(dir, 'model.safetensors'))).tensors.keys(),
    ]);
    legacy.dispose();
    plain.dispose();
  });

  it('refuses a non-empty target unless overwrite is set, then replaces it', async () => {
    const encoder = await loadTrainableEncoder(TINY_BERT_DIR);
    const out = join(root, 'busy');
    await saveTrainableEncoder(encoder, out);
    await expect(saveTrainableEncoder(encoder, out)).rejects.toBeInstanceOf(ModelSaveError);
    await expect(saveTrainableEncoder(encoder, out)).rejects.toMatchObject({
      code: 'ERR_BERT_SAVE',
      path: out,
    });
    perturb(encoder);
    await saveTrainableEncoder(encoder, out, { overwrite: true });
    const again = await loadTrainableEncoder(out);
    expect(maxAbsDiff(hidden(again), hidden(encoder))).toBe(0);
    again.dispose();
    encoder.dispose();
  });
});
