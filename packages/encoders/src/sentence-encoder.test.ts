import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidEncoderOptionError,
  ModelFileCorruptError,
  ModelFileMissingError,
  UnsupportedModelError,
} from './errors.js';
import { EXPECTED, maxAbsDiff, TINY_BERT_DIR } from './_test-fixture.js';
import { loadSentenceEncoder, type SentenceEncoder } from './sentence-encoder.js';

// The fixture's sample texts already carry E5 prefixes, so the encoder runs with prefixes off.
const TEXTS = EXPECTED.map((s) => s.text);

function row(e: Float32Array, i: number, dim: number): Float32Array {
  return e.subarray(i * dim, (i + 1) * dim);
}

describe('loadSentenceEncoder', () => {
  let encoder: SentenceEncoder;
  let scratch: string;
  beforeAll(async () => {
    encoder = await loadSentenceEncoder({ model: TINY_BERT_DIR, prefixes: false, threads: 1 });
    scratch = await mkdtemp(join(tmpdir(), 'rtk-enc-'));
  });
  afterAll(async () => {
    await encoder.dispose();
    await rm(scratch, { recursive: true, force: true });
  });

  it('reports its settings, with maxLength capped by model_max_length (128)', () => {
    expect(encoder.dim).toBe(32);
    expect(encoder.settings).toMatchObject({
      source: 'local',
      revision: 'local',
      dtype: 'fp32',
      maxLength: 128,
      pooling: 'mean',
      normalize: true,
      prefixes: false,
      onnxFile: 'onnx/model.onnx',
    });
  });

  // Expected vectors: fixtures/tiny-bert/expected.json `mean_normalized`, computed by PyTorch.
  it('matches the PyTorch mean-pooled, normalised embeddings to 1e-5', async () => {
    const e = await encoder.encode(TEXTS, { role: 'passage' });
    expect(e.length).toBe(TEXTS.length * 32);
    EXPECTED.forEach((s, i) => {
      expect(maxAbsDiff(row(e, i, 32), s.mean_normalized)).toBeLessThan(1e-5);
    });
  });

  it('restores input order after length sorting, whatever the batch size', async () => {
    const shuffled = [4, 0, 5, 2, 1, 3];
    for (const batchSize of [1, 2, 4, 32]) {
      const e = await encoder.encode(
        shuffled.map((i) => TEXTS[i]!),
        { role: 'query', batchSize },
      );
      shuffled.forEach((src, i) => {
        expect(maxAbsDiff(row(e, i, 32), EXPECTED[src]!.mean_normalized)).toBeLessThan(1e-5);
      });
    }
  });

  // fc.assert inside `it` so the vitest lint rules see the expects.
  it('returns row i for texts[i] for any order, duplicates and batch size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: EXPECTED.length - 1 }), { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 1, max: 5 }),
        async (picks, batchSize) => {
          const e = await encoder.encode(
            picks.map((i) => TEXTS[i]!),
            { role: 'passage', batchSize },
          );
          picks.forEach((src, i) => {
            expect(maxAbsDiff(row(e, i, 32), EXPECTED[src]!.mean_normalized)).toBeLessThan(1e-5);
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reports progress per batch up to the total', async () => {
    const calls: [number, number | undefined][] = [];
    await encoder.encode(TEXTS, {
      role: 'passage',
      batchSize: 4,
      onProgress: (d, t) => calls.push([d, t]),
    });
    expect(calls).toEqual([
      [0, 6],
      [4, 6],
      [6, 6],
    ]);
  });

  it('returns an empty result for no texts without running the model', async () => {
    const before = encoder.textsEncoded;
    const e = await encoder.encode([], { role: 'query' });
    expect(e.length).toBe(0);
    expect(encoder.textsEncoded).toBe(before);
  });

  it('encodes an empty string as [CLS] [SEP]', async () => {
    const e = await encoder.encode([''], { role: 'query' });
    expect(maxAbsDiff(e, EXPECTED[5]!.mean_normalized)).toBeLessThan(1e-5);
  });

  it('adds the role prefix: E5 prefixes on equal the fixture texts written with them', async () => {
    const e5 = await loadSentenceEncoder({ model: TINY_BERT_DIR, threads: 1 });
    try {
      const q = await e5.encode(['how many people live in the city'], { role: 'query' });
      const p = await e5.encode(['The city has a population of two million people.'], {
        role: 'passage',
      });
      expect(maxAbsDiff(q, EXPECTED[0]!.mean_normalized)).toBeLessThan(1e-5);
      expect(maxAbsDiff(p, EXPECTED[1]!.mean_normalized)).toBeLessThan(1e-5);
    } finally {
      await e5.dispose();
    }
  });

  it('pools with mean and no normalisation, and with cls', async () => {
    const raw = await loadSentenceEncoder({
      model: TINY_BERT_DIR,
      prefixes: false,
      normalize: false,
      threads: 1,
    });
    const cls = await loadSentenceEncoder({
      model: TINY_BERT_DIR,
      prefixes: false,
      normalize: false,
      pooling: 'cls',
      threads: 1,
    });
    try {
      const m = await raw.encode(TEXTS, { role: 'passage' });
      const c = await cls.encode(TEXTS, { role: 'passage' });
      EXPECTED.forEach((s, i) => {
        expect(maxAbsDiff(row(m, i, 32), s.mean)).toBeLessThan(1e-5);
        expect(maxAbsDiff(row(c, i, 32), s.cls)).toBeLessThan(1e-5);
      });
    } finally {
      await raw.dispose();
      await cls.dispose();
    }
  });

  it('truncates to maxLength', async () => {
    const short = await loadSentenceEncoder({
      model: TINY_BERT_DIR,
      prefixes: false,
      maxLength: 8,
      threads: 1,
    });
    try {
      expect(short.settings.maxLength).toBe(8);
      const a = await short.encode([TEXTS[4]!], { role: 'passage' });
      const b = await encoder.encode([TEXTS[4]!], { role: 'passage' });
      expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-3);
    } finally {
      await short.dispose();
    }
  });

  it.each([
    [{ role: 'document' }, 'role'],
    [{ role: 'query', batchSize: 0 }, 'batchSize'],
  ])('rejects encode options %j', async (options, option) => {
    await expect(encoder.encode(['a'], options as never)).rejects.toMatchObject({
      code: 'ENCODERS_INVALID_OPTION',
      option,
    });
  });

  it('rejects a non-string text naming its index', async () => {
    await expect(
      encoder.encode(['a', 3 as unknown as string], { role: 'query' }),
    ).rejects.toMatchObject({
      code: 'ENCODERS_INVALID_INPUT',
      index: 1,
    });
  });

  it.each([
    [{ maxLength: 2 }, 'maxLength'],
    [{ threads: 0 }, 'threads'],
    [{ pooling: 'max' }, 'pooling'],
    [{ prefixes: { query: 'q: ' } }, 'prefixes'],
    [{ dtype: 'fp64' }, 'dtype'],
    [{ spinWait: 'yes' }, 'spinWait'],
  ])('rejects load options %j', async (options, option) => {
    const err = await loadSentenceEncoder({ model: TINY_BERT_DIR, ...(options as object) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidEncoderOptionError);
    expect(err).toMatchObject({ option });
  });

  it('names a missing folder, a missing config.json and a missing quantized graph', async () => {
    await expect(loadSentenceEncoder({ model: join(scratch, 'nope') })).rejects.toThrow(
      ModelFileMissingError,
    );
    const dir = join(scratch, 'no-config');
    await cp(TINY_BERT_DIR, dir, { recursive: true });
    await rm(join(dir, 'config.json'));
    await expect(loadSentenceEncoder({ model: dir })).rejects.toMatchObject({
      code: 'ENCODERS_MODEL_FILE_MISSING',
      path: join(dir, 'config.json'),
    });
    await expect(loadSentenceEncoder({ model: TINY_BERT_DIR, dtype: 'q8' })).rejects.toMatchObject({
      code: 'ENCODERS_MODEL_FILE_MISSING',
      path: join(TINY_BERT_DIR, 'onnx/model_quantized.onnx'),
    });
  });

  it('names a corrupt ONNX graph', async () => {
    const dir = join(scratch, 'bad-onnx');
    await cp(TINY_BERT_DIR, dir, { recursive: true });
    await writeFile(join(dir, 'onnx/model.onnx'), 'not a protobuf');
    const err = await loadSentenceEncoder({ model: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFileCorruptError);
    expect(err).toMatchObject({ path: join(dir, 'onnx/model.onnx') });
  });

  it('rejects an unknown model type, naming config.json', async () => {
    const dir = join(scratch, 'gpt2');
    await cp(TINY_BERT_DIR, dir, { recursive: true });
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ ...EXPECTED_CONFIG, model_type: 'gpt2' }),
    );
    const err = await loadSentenceEncoder({ model: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedModelError);
    expect(err).toMatchObject({
      code: 'ENCODERS_UNSUPPORTED_MODEL',
      path: join(dir, 'config.json'),
    });
    expect((err as Error).message).toContain('gpt2');
  });

  it('finds model.onnx at the folder root (intfloat layout)', async () => {
    const dir = join(scratch, 'root-onnx');
    await cp(TINY_BERT_DIR, dir, { recursive: true });
    await cp(join(dir, 'onnx/model.onnx'), join(dir, 'model.onnx'));
    await rm(join(dir, 'onnx'), { recursive: true });
    const enc = await loadSentenceEncoder({ model: dir, prefixes: false, threads: 1 });
    try {
      expect(enc.settings.onnxFile).toBe('model.onnx');
      const e = await enc.encode([TEXTS[2]!], { role: 'query' });
      expect(maxAbsDiff(e, EXPECTED[2]!.mean_normalized)).toBeLessThan(1e-5);
    } finally {
      await enc.dispose();
    }
  });
});

const EXPECTED_CONFIG = {
  architectures: ['BertModel'],
  hidden_size: 32,
  max_position_embeddings: 128,
};
