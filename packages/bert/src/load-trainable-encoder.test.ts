import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { startHubServer } from '@rtk/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_BERT_DIR, maxAbsDiff } from './_test-fixture.js';
import { readSafetensors, serializeSafetensors } from '@rtk/safetensors';
import { ModelFileMissingError } from '@rtk/encoders';
import { SafetensorsCorruptError } from '@rtk/safetensors';
import { BertConfigError } from '@rtk/encoders';
import { BertWeightsError } from './errors.js';
import { loadTrainableEncoder } from './load-trainable-encoder.js';
import { fixtureBatch, useBackend } from './_test-helpers.js';

let root: string;
beforeAll(async () => {
  await useBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'load-bert-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function fixtureCopy(name: string): Promise<string> {
  const dir = join(root, name);
  await cp(TINY_BERT_DIR, dir, { recursive: true });
  return dir;
}

describe('loadTrainableEncoder', () => {
  it('downloads a hub id through @rtk/hub (loopback hub) and computes what the folder computes', async () => {
    const server = await startHubServer({ repos: { 'test/tiny-bert': TINY_BERT_DIR } });
    try {
      const hub = { endpoint: server.url, cacheDir: join(root, 'cache'), token: undefined };
      const fromHub = await loadTrainableEncoder('test/tiny-bert', { hub });
      const fromDir = await loadTrainableEncoder(TINY_BERT_DIR);
      const [a, b] = tf.tidy(() => [
        fromHub.embedBatch(fixtureBatch()).dataSync(),
        fromDir.embedBatch(fixtureBatch()).dataSync(),
      ]);
      expect(maxAbsDiff(a, b)).toBe(0);
      const fetched = server.requests.map((r) => r.url).join('\n');
      for (const file of [
        'config.json',
        'model.safetensors',
        'tokenizer.json',
        'tokenizer_config.json',
        'vocab.txt',
      ]) {
        expect(fetched).toContain(file);
      }
      fromHub.dispose();
      fromDir.dispose();
    } finally {
      await server.close();
    }
  });

  // The one model-folder resolver (@rtk/encoders' resolveModelFolder) reports missing files.
  it('rejects something that is neither a folder nor a hub id', async () => {
    await expect(loadTrainableEncoder(join(root, 'missing'))).rejects.toBeInstanceOf(
      ModelFileMissingError,
    );
    await expect(loadTrainableEncoder(join(root, 'missing'))).rejects.toMatchObject({
      path: join(root, 'missing'),
    });
  });

  it('names model.safetensors when an ONNX-only folder is given', async () => {
    const dir = await fixtureCopy('onnx-only');
    await rm(join(dir, 'model.safetensors'));
    await expect(loadTrainableEncoder(dir)).rejects.toMatchObject({
      code: 'ERR_ENCODERS_MODEL_FILE_MISSING',
      path: join(dir, 'model.safetensors'),
    });
  });

  it('rejects an invalid config.json with the field named', async () => {
    const dir = await fixtureCopy('bad-config');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ ...config, num_attention_heads: 3 }),
    );
    await expect(loadTrainableEncoder(dir)).rejects.toBeInstanceOf(BertConfigError);
  });

  it('rejects weights that do not match the config, naming the tensor', async () => {
    const dir = await fixtureCopy('more-layers');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 3 }));
    await expect(loadTrainableEncoder(dir)).rejects.toMatchObject({
      code: 'ERR_BERT_WEIGHTS',
      tensor: 'encoder.layer.2.attention.self.query.weight',
    });
    const wide = await fixtureCopy('wrong-shape');
    const { tensors } = await readSafetensors(join(wide, 'model.safetensors'));
    const cut = [...tensors.values()].map((t) =>
      t.name === 'encoder.layer.0.output.dense.weight'
        ? { ...t, shape: [32, 32], bytes: t.bytes.subarray(0, 32 * 32 * 4) }
        : t,
    );
    await writeFile(join(wide, 'model.safetensors'), serializeSafetensors(cut));
    await expect(loadTrainableEncoder(wide)).rejects.toBeInstanceOf(BertWeightsError);
    await expect(loadTrainableEncoder(wide)).rejects.toMatchObject({
      tensor: 'encoder.layer.0.output.dense.weight',
    });
  });

  it('rejects a corrupt weights file, naming it', async () => {
    const dir = await fixtureCopy('corrupt');
    const bytes = await readFile(join(dir, 'model.safetensors'));
    await writeFile(join(dir, 'model.safetensors'), bytes.subarray(0, 5000));
    await expect(loadTrainableEncoder(dir)).rejects.toBeInstanceOf(SafetensorsCorruptError);
    await expect(loadTrainableEncoder(dir)).rejects.toMatchObject({
      source: join(dir, 'model.safetensors'),
    });
  });

  it('does not leave variables behind when loading fails', async () => {
    // Three layers in config.json, two in the file: the embeddings and layers 0 and 1 become
    // variables before layer 2 is found missing.
    const dir = await fixtureCopy('leak-more-layers');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 3 }));
    const before = tf.memory().numTensors;
    const error: unknown = await loadTrainableEncoder(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BertWeightsError);
    expect(error).toMatchObject({
      code: 'ERR_BERT_WEIGHTS',
      source: join(dir, 'model.safetensors'),
      tensor: 'encoder.layer.2.attention.self.query.weight',
    });
    expect((error as Error).message).toBe(
      `${join(dir, 'model.safetensors')}: tensor "encoder.layer.2.attention.self.query.weight": ` +
        'missing; the configuration (3 layers) needs it.',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
