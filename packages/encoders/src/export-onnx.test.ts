import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, TINY_BERT_DIR } from './_test-fixture.js';
import { BertConfigError, ModelFileMissingError, OnnxExportError } from './errors.js';
import { exportOnnx } from './export-onnx.js';
import { loadSentenceEncoder } from './sentence-encoder.js';

const expectedHidden = (
  JSON.parse(await readFile(join(TINY_BERT_DIR, 'expected.json'), 'utf8')) as {
    samples: { last_hidden_state: number[][] }[];
  }
).samples.map((s) => s.last_hidden_state);

/** All fixture samples right-padded with [PAD] = 0, as make_bert_fixture.py batches them. */
function fixtureFeeds(): { feeds: Record<string, ort.Tensor>; length: number } {
  const length = Math.max(...EXPECTED.map((s) => s.input_ids.length));
  const n = EXPECTED.length * length;
  const ids = new BigInt64Array(n);
  const mask = new BigInt64Array(n);
  EXPECTED.forEach((s, b) =>
    s.input_ids.forEach((t, i) => {
      ids[b * length + i] = BigInt(t);
      mask[b * length + i] = 1n;
    }),
  );
  const dims = [EXPECTED.length, length];
  return {
    length,
    feeds: {
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(n), dims),
    },
  };
}

async function hiddenStates(path: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path);
  try {
    const out = await session.run(fixtureFeeds().feeds);
    return out['last_hidden_state']!.data as Float32Array;
  } finally {
    await session.release();
  }
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('exportOnnx on the tiny BERT fixture', () => {
  let work: string;
  let out: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'rtk-export-'));
    out = join(work, 'exported');
    await exportOnnx(TINY_BERT_DIR, out, { dtype: 'q8' });
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('writes the graph(s), config.json and the tokenizer files', () => {
    expect(readdirSync(out).sort()).toEqual(
      [
        'config.json',
        'onnx',
        'special_tokens_map.json',
        'tokenizer.json',
        'tokenizer_config.json',
        'vocab.txt',
      ].sort(),
    );
    expect(readdirSync(join(out, 'onnx')).sort()).toEqual(['model.onnx', 'model_quantized.onnx']);
    expect(readdirSync(work)).toEqual(['exported']); // no temporary folder left beside it
  });

  it('equals the torch-exported graph and PyTorch (expected.json) to 1e-5, padding included', async () => {
    const ours = await hiddenStates(join(out, 'onnx', 'model.onnx'));
    const torch = await hiddenStates(join(TINY_BERT_DIR, 'onnx', 'model.onnx'));
    expect(maxAbs(ours, torch)).toBeLessThan(1e-5); // every position, padded ones too
    const { length } = fixtureFeeds();
    let worst = 0;
    expectedHidden.forEach((rows, b) =>
      rows.forEach((row, i) =>
        row.forEach((v, h) => {
          worst = Math.max(worst, Math.abs(v - ours[(b * length + i) * 32 + h]!));
        }),
      ),
    );
    expect(worst).toBeLessThan(1e-5);
  });

  it('loads with SentenceEncoder and with transformers.js pipeline, giving the same embeddings (fp32 and q8)', async () => {
    const texts = EXPECTED.map((s) => s.text);
    for (const dtype of ['fp32', 'q8'] as const) {
      const encoder = await loadSentenceEncoder({ model: out, threads: 1, prefixes: false, dtype });
      const ours = await encoder.encode(texts);
      await encoder.dispose();
      const extractor = await pipeline('feature-extraction', out, {
        local_files_only: true,
        dtype,
      });
      const theirs = (
        await extractor(texts, { pooling: 'mean', normalize: true })
      ).tolist() as number[][];
      await extractor.dispose();
      ours.forEach((row, i) => expect(maxAbs(row, theirs[i]!)).toBeLessThan(1e-5));
      const reference = dtype === 'fp32' ? EXPECTED.map((e) => e.mean_normalized) : theirs;
      ours.forEach((row, i) => expect(maxAbs(row, reference[i]!)).toBeLessThan(1e-5));
    }
  });

  it('q8: int8 weights stay close to float32 (cosine and max-abs of the embeddings measured)', async () => {
    const texts = EXPECTED.map((s) => s.text);
    const load = (dtype: 'fp32' | 'q8') =>
      loadSentenceEncoder({ model: out, threads: 1, prefixes: false, dtype });
    const [f, q] = await Promise.all([load('fp32'), load('q8')]);
    const a = await f.encode(texts);
    const b = await q.encode(texts);
    await Promise.all([f.dispose(), q.dispose()]);
    const cosines = a.map((row, i) => row.reduce((s, v, h) => s + v * b[i]![h]!, 0));
    const worst = Math.max(...a.map((row, i) => maxAbs(row, b[i]!)));
    expect(worst).toBeGreaterThan(0); // really quantised
    expect(Math.min(...cosines)).toBeGreaterThan(0.99);
    expect(worst).toBeLessThan(0.05);
  });
});

describe('exportOnnx refuses bad input before writing anything', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'rtk-export-bad-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function variant(
    name: string,
    patch: Record<string, unknown> | undefined,
    drop?: string,
  ): Promise<string> {
    const dir = join(work, name);
    await cp(TINY_BERT_DIR, dir, { recursive: true });
    await rm(join(dir, 'onnx'), { recursive: true });
    if (patch !== undefined) {
      const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as object;
      await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, ...patch }));
    }
    if (drop !== undefined) await rm(join(dir, drop));
    return dir;
  }

  it.each([
    ['no-weights', undefined, 'model.safetensors', ModelFileMissingError, /model\.safetensors/],
    ['roberta', { model_type: 'roberta' }, undefined, BertConfigError, /model_type.*"roberta"/],
    ['silu', { hidden_act: 'silu' }, undefined, BertConfigError, /hidden_act.*gelu, relu.*"silu"/],
    [
      'three-layers',
      { num_hidden_layers: 3 },
      undefined,
      OnnxExportError,
      /encoder\.layer\.2\..* is missing/,
    ],
    [
      'wide',
      { hidden_size: 64, num_attention_heads: 4 },
      undefined,
      OnnxExportError,
      /shape \[263, 32\]; config\.json implies \[263, 64\]/,
    ],
  ] as const)('%s', async (name, patch, drop, kind, message) => {
    const dir = await variant(name, patch, drop);
    const target = join(work, `${name}-out`);
    const error = await exportOnnx(dir, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(String(error)).toMatch(message);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes(`${name}-out`))).toEqual([]);
  });

  it('a taken output folder is refused without overwrite and replaced whole with it', async () => {
    const target = join(work, 'taken');
    await exportOnnx(TINY_BERT_DIR, target);
    await writeFile(join(target, 'stale.txt'), 'old');
    await expect(exportOnnx(TINY_BERT_DIR, target)).rejects.toThrow(/exists and is not empty/);
    expect(existsSync(join(target, 'stale.txt'))).toBe(true);
    await exportOnnx(TINY_BERT_DIR, target, { overwrite: true });
    expect(existsSync(join(target, 'stale.txt'))).toBe(false);
    expect(existsSync(join(target, 'onnx', 'model.onnx'))).toBe(true);
  });

  it('a failed write leaves nothing behind', async () => {
    const blocker = join(work, 'file');
    await writeFile(blocker, 'x');
    await expect(exportOnnx(TINY_BERT_DIR, join(blocker, 'out'))).rejects.toBeInstanceOf(
      OnnxExportError,
    );
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
