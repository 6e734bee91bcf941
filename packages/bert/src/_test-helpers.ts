// Test helpers (not built, not exported): backends, the fixture batch, the ONNX reference.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPECTED, TINY_BERT_DIR } from './_test-fixture.js';
import type { TokenBatch } from './trainable-encoder.js';

export { BACKENDS, useBackend } from '@rtk/test-utils/tfjs';

/** All fixture samples right-padded with [PAD] = 0, as make_bert_fixture.py batches them. */
export function fixtureBatch(): TokenBatch {
  const length = Math.max(...EXPECTED.map((s) => s.input_ids.length));
  const inputIds = new Int32Array(EXPECTED.length * length);
  const attentionMask = new Int32Array(EXPECTED.length * length);
  EXPECTED.forEach((s, i) => {
    inputIds.set(s.input_ids, i * length);
    attentionMask.fill(1, i * length, i * length + s.input_ids.length);
  });
  return { inputIds, attentionMask, batchSize: EXPECTED.length, length };
}

interface OrtTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}
interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
}
interface Ort {
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
  InferenceSession: { create(path: string): Promise<OrtSession> };
}

/**
 * last_hidden_state of fixtures/tiny-bert/onnx/model.onnx for `batch`, run by onnxruntime-node
 * (a devDependency, the release transformers.js uses).
 */
export async function onnxHiddenStates(batch: TokenBatch): Promise<Float32Array> {
  const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;
  const session = await ort.InferenceSession.create(join(TINY_BERT_DIR, 'onnx', 'model.onnx'));
  const dims = [batch.batchSize, batch.length];
  const big = (a: ArrayLike<number>): BigInt64Array =>
    BigInt64Array.from(Array.from(a, (v) => BigInt(v)));
  const out = await session.run({
    input_ids: new ort.Tensor('int64', big(batch.inputIds), dims),
    attention_mask: new ort.Tensor('int64', big(batch.attentionMask), dims),
    token_type_ids: new ort.Tensor(
      'int64',
      new BigInt64Array(batch.batchSize * batch.length),
      dims,
    ),
  });
  return out['last_hidden_state']!.data;
}

/** Unpadded last_hidden_state of each fixture sample (PyTorch), [tokens][hidden]. */
export const EXPECTED_HIDDEN: readonly (readonly (readonly number[])[])[] = (
  JSON.parse(readFileSync(join(TINY_BERT_DIR, 'expected.json'), 'utf8')) as {
    samples: { last_hidden_state: number[][] }[];
  }
).samples.map((s) => s.last_hidden_state);
