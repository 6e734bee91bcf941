import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

/** fixtures/tiny-bert-truncated.json (scripts/make_truncated_golden.py). */
interface TruncatedGolden {
  readonly max_length: number;
  readonly cases: readonly {
    readonly text: string;
    readonly input_ids: readonly number[];
    readonly cls: readonly number[];
    readonly mean: readonly number[];
    readonly mean_normalized: readonly number[];
  }[];
}
const TRUNCATED = JSON.parse(
  readFileSync(new URL('../fixtures/tiny-bert-truncated.json', import.meta.url), 'utf8'),
) as TruncatedGolden;

// The fixture's sample texts already carry E5 prefixes, so the encoder runs with prefixes off.
const TEXTS = EXPECTED.map((s) => s.text);

/** Row `i` of an encoder's output, which must be `dim` wide. */
function row(e: readonly Float32Array[], i: number, dim: number): Float32Array {
  const r = e[i]!;
  if (r.length !== dim) throw new Error(`row ${i} has ${r.length} values, expected ${dim}`);
  return r;
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
    expect(e.length).toBe(TEXTS.length);
    expect(e.map((r) => r.length)).toEqual(TEXTS.map(() => 32));
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
    expect(maxAbsDiff(row(e, 0, 32), EXPECTED[5]!.mean_normalized)).toBeLessThan(1e-5);
  });

  it('adds the role prefix: E5 prefixes on equal the fixture texts written with them', async () => {
    const e5 = await loadSentenceEncoder({ model: TINY_BERT_DIR, threads: 1 });
    try {
      const q = await e5.encode(['how many people live in the city'], { role: 'query' });
      const p = await e5.encode(['The city has a population of two million people.'], {
        role: 'passage',
      });
      expect(maxAbsDiff(row(q, 0, 32), EXPECTED[0]!.mean_normalized)).toBeLessThan(1e-5);
      expect(maxAbsDiff(row(p, 0, 32), EXPECTED[1]!.mean_normalized)).toBeLessThan(1e-5);
      // No role: a query (E5's advice for symmetric use).
      const unspecified = await e5.encode(['how many people live in the city']);
      expect(maxAbsDiff(row(unspecified, 0, 32), row(q, 0, 32))).toBe(0);
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

  it('truncates to maxLength: what PyTorch computes on the truncated ids', async () => {
    // fixtures/tiny-bert-truncated.json: PyTorch's outputs for [CLS] + 6 word pieces + [SEP].
    // They cannot be derived from the full-length outputs (every token attends to every other).
    expect(TRUNCATED.max_length).toBe(8);
    const long = EXPECTED.filter((e) => e.input_ids.length > 8);
    expect(TRUNCATED.cases.map((c) => c.text)).toEqual(long.map((e) => e.text));
    const options = { model: TINY_BERT_DIR, prefixes: false, maxLength: 8, threads: 1 } as const;
    const short = await loadSentenceEncoder(options);
    const raw = await loadSentenceEncoder({ ...options, normalize: false });
    const cls = await loadSentenceEncoder({ ...options, normalize: false, pooling: 'cls' });
    try {
      expect(short.settings.maxLength).toBe(8);
      const texts = TRUNCATED.cases.map((c) => c.text);
      const [n, m, c] = await Promise.all(
        [short, raw, cls].map((e) => e.encode(texts, { role: 'passage' })),
      );
      TRUNCATED.cases.forEach((t, i) => {
        expect(t.input_ids).toEqual([...long[i]!.input_ids.slice(0, 7), 3]);
        expect(maxAbsDiff(row(n!, i, 32), t.mean_normalized)).toBeLessThan(1e-5);
        expect(maxAbsDiff(row(m!, i, 32), t.mean)).toBeLessThan(1e-5);
        expect(maxAbsDiff(row(c!, i, 32), t.cls)).toBeLessThan(1e-5);
      });
      const b = await encoder.encode([long[4]!.text], { role: 'passage' });
      expect(maxAbsDiff(row(n!, 4, 32), row(b, 0, 32))).toBeGreaterThan(1e-3);
    } finally {
      await Promise.all([short.dispose(), raw.dispose(), cls.dispose()]);
    }
  });

  it.each([
    [{ role: 'document' }, 'role'],
    [{ role: 'query', batchSize: 0 }, 'batchSize'],
  ])('rejects encode options %j', async (options, option) => {
    await expect(encoder.encode(['a'], options as never)).rejects.toMatchObject({
      code: 'ERR_ENCODERS_INVALID_OPTION',
      option,
    });
  });

  it('rejects a non-string text naming its index', async () => {
    await expect(
      encoder.encode(['a', 3 as unknown as string], { role: 'query' }),
    ).rejects.toMatchObject({
      code: 'ERR_ENCODERS_INVALID_INPUT',
      index: 1,
    });
  });

  it.each([
    [{ maxLength: 2 }, 'maxLength'],
    [{ threads: 0 }, 'threads'],
    [{ pooling: 'weightedmean' }, 'pooling'],
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

  it('names a missing folder, a missing config.json and a missing 4-bit graph (which is not exported)', async () => {
    await expect(loadSentenceEncoder({ model: join(scratch, 'nope') })).rejects.toThrow(
      ModelFileMissingError,
    );
    const dir = join(scratch, 'no-config');
    await cp(TINY_BERT_DIR, dir, { recursive: true });
    await rm(join(dir, 'config.json'));
    await expect(loadSentenceEncoder({ model: dir })).rejects.toMatchObject({
      code: 'ERR_ENCODERS_MODEL_FILE_MISSING',
      path: join(dir, 'config.json'),
    });
    // q8 and fp32 graphs are exported from model.safetensors when missing
    // (sentence-encoder.export.test.ts); q4 is not.
    await expect(loadSentenceEncoder({ model: TINY_BERT_DIR, dtype: 'q4' })).rejects.toMatchObject({
      code: 'ERR_ENCODERS_MODEL_FILE_MISSING',
      path: join(TINY_BERT_DIR, 'onnx/model_q4.onnx'),
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
      code: 'ERR_ENCODERS_UNSUPPORTED_MODEL',
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
      expect(maxAbsDiff(row(e, 0, 32), EXPECTED[2]!.mean_normalized)).toBeLessThan(1e-5);
    } finally {
      await enc.dispose();
    }
  });

  /** A copy of the fixture with a sentence-transformers Pooling config setting `flags`. */
  async function withPoolingConfig(name: string, flags: Record<string, boolean>): Promise<string> {
    const dir = join(scratch, name);
    await cp(TINY_BERT_DIR, dir, { recursive: true });
    await writeFile(
      join(dir, 'modules.json'),
      JSON.stringify([
        { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
        { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      ]),
    );
    await mkdir(join(dir, '1_Pooling'));
    await writeFile(
      join(dir, '1_Pooling', 'config.json'),
      JSON.stringify({ word_embedding_dimension: 32, ...flags }),
    );
    return dir;
  }

  it('takes the pooling from the sentence-transformers config when none is given', async () => {
    expect(encoder.settings.poolingSource).toBe('default');
    const dir = await withPoolingConfig('st-cls', {
      pooling_mode_cls_token: true,
      pooling_mode_mean_tokens: false,
    });
    const st = await loadSentenceEncoder({
      model: dir,
      prefixes: false,
      normalize: false,
      threads: 1,
    });
    const forced = await loadSentenceEncoder({
      model: dir,
      prefixes: false,
      normalize: false,
      pooling: 'mean',
      threads: 1,
    });
    try {
      expect(st.settings).toMatchObject({ pooling: 'cls', poolingSource: 'sentence-transformers' });
      expect(forced.settings).toMatchObject({ pooling: 'mean', poolingSource: 'option' });
      const c = await st.encode(TEXTS, { role: 'passage' });
      const m = await forced.encode(TEXTS, { role: 'passage' });
      EXPECTED.forEach((s, i) => {
        expect(maxAbsDiff(row(c, i, 32), s.cls)).toBeLessThan(1e-5);
        expect(maxAbsDiff(row(m, i, 32), s.mean)).toBeLessThan(1e-5);
      });
      expect(st.fingerprint).not.toBe(forced.fingerprint);
    } finally {
      await st.dispose();
      await forced.dispose();
    }
  });

  it('rejects a Pooling config asking for a mode it does not run, naming the file', async () => {
    const dir = await withPoolingConfig('st-weighted', { pooling_mode_weightedmean_tokens: true });
    await expect(loadSentenceEncoder({ model: dir, threads: 1 })).rejects.toMatchObject({
      code: 'ERR_ENCODERS_UNSUPPORTED_MODEL',
      path: join(dir, '1_Pooling', 'config.json'),
      message: expect.stringContaining('pooling_mode_weightedmean_tokens') as unknown,
    });
  });

  it('has a fingerprint that changes with any setting that changes the vectors', async () => {
    const again = await loadSentenceEncoder({ model: TINY_BERT_DIR, prefixes: false, threads: 1 });
    const short = await loadSentenceEncoder({
      model: TINY_BERT_DIR,
      prefixes: false,
      maxLength: 16,
      threads: 1,
    });
    try {
      expect(encoder.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(again.fingerprint).toBe(encoder.fingerprint);
      expect(short.fingerprint).not.toBe(encoder.fingerprint);
      expect(encoder.name).toBe(TINY_BERT_DIR);
    } finally {
      await again.dispose();
      await short.dispose();
    }
  });
});

const EXPECTED_CONFIG = {
  architectures: ['BertModel'],
  hidden_size: 32,
  max_position_embeddings: 128,
};
