// The backward pass against PyTorch autograd (fixtures/tiny-bert-grads.json): the gradient of
// L = Σ e · r (mean-pooled, L2-normalised embeddings, fixed r) for every parameter tensor, on
// every backend, with and without gradient checkpointing.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_BERT_DIR, maxAbsDiff } from './_test-fixture.js';
import { loadTrainableEncoder } from './load-trainable-encoder.js';
import type { ForwardOptions, TokenBatch, TrainableEncoder } from './trainable-encoder.js';
import { BACKENDS, useBackend } from './_test-helpers.js';

interface GradGolden {
  readonly input_ids: number[][];
  readonly attention_mask: number[][];
  readonly r: number[][];
  readonly loss: number;
  /** dL/dparam by Hugging Face name, PyTorch layout (Linear weights [out, in]). */
  readonly grads: Record<string, number[] | number[][]>;
}

const GOLDEN = JSON.parse(
  readFileSync(new URL('../fixtures/tiny-bert-grads.json', import.meta.url), 'utf8'),
) as GradGolden;

function goldenBatch(): TokenBatch {
  const length = GOLDEN.input_ids[0]!.length;
  return {
    inputIds: Int32Array.from(GOLDEN.input_ids.flat()),
    attentionMask: Int32Array.from(GOLDEN.attention_mask.flat()),
    tokenTypeIds: new Int32Array(GOLDEN.input_ids.length * length),
    batchSize: GOLDEN.input_ids.length,
    length,
  };
}

/** The golden gradient of `name` in the variable's layout (Linear weights stored [in, out]). */
function expectedGrad(name: string, shape: readonly number[]): Float32Array {
  const g = GOLDEN.grads[name];
  if (g === undefined) throw new Error(`no golden gradient for ${name}`);
  if (!Array.isArray(g[0])) return Float32Array.from(g as number[]);
  const rows = g as number[][];
  const linear = !name.startsWith('embeddings.');
  if (!linear) return Float32Array.from(rows.flat());
  // PyTorch [out, in] → [in, out].
  const [inp, out] = shape as [number, number];
  expect([rows.length, rows[0]!.length]).toEqual([out, inp]);
  const t = new Float32Array(inp * out);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = rows[o]![i]!;
  return t;
}

/** L and dL/dv for every variable of `encoder`, by logical (Hugging Face) name. */
function lossAndGrads(
  encoder: TrainableEncoder,
  options: ForwardOptions,
): { loss: number; grads: Map<string, Float32Array> } {
  const batch = goldenBatch();
  const r = tf.tensor2d(GOLDEN.r);
  const variables = encoder.variables();
  const { value, grads } = tf.variableGrads(
    () => tf.sum(tf.mul(encoder.embedBatch(batch, options), r)),
    variables,
  );
  const out = new Map<string, Float32Array>();
  for (const v of variables) {
    out.set(v.name.slice(v.name.indexOf('/') + 1), grads[v.name]!.dataSync() as Float32Array);
  }
  const loss = value.dataSync()[0]!;
  tf.dispose([r, value, ...Object.values(grads)]);
  return { loss, grads: out };
}

let root: string;
let noDropoutDir: string;
beforeAll(async () => {
  // Checkpointing runs only with `training`; with both dropout probabilities 0 the training
  // pass computes what PyTorch's eval pass computed.
  root = await mkdtemp(join(tmpdir(), 'bert-grads-'));
  noDropoutDir = join(root, 'no-dropout');
  await cp(TINY_BERT_DIR, noDropoutDir, { recursive: true });
  const config = JSON.parse(await readFile(join(noDropoutDir, 'config.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  await writeFile(
    join(noDropoutDir, 'config.json'),
    JSON.stringify({ ...config, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }),
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const MODES: readonly (readonly [string, ForwardOptions])[] = [
  ['inference pass', { training: false }],
  ['training pass, no checkpointing', { training: true, checkpoint: false }],
  ['training pass, gradient checkpointing', { training: true, checkpoint: true }],
];

describe.each(BACKENDS)(
  'backward pass on %s against PyTorch autograd',
  { timeout: 60_000 },
  (backend) => {
    let encoder: TrainableEncoder;
    beforeAll(async () => {
      await useBackend(backend);
      encoder = await loadTrainableEncoder(noDropoutDir);
    });
    afterAll(() => encoder.dispose());

    it.each(MODES)('%s: L and all 37 parameter gradients to 1e-5', (_mode, options) => {
      const { loss, grads } = lossAndGrads(encoder, options);
      expect(Math.abs(loss - GOLDEN.loss)).toBeLessThan(1e-5);
      expect(grads.size).toBe(37);
      expect([...grads.keys()].sort()).toEqual(Object.keys(GOLDEN.grads).sort());
      const shapes = new Map(
        encoder.variables().map((v) => [v.name.slice(v.name.indexOf('/') + 1), v.shape] as const),
      );
      const errors = [...grads].map(([name, got]) => ({
        name,
        error: maxAbsDiff(got, expectedGrad(name, shapes.get(name)!)),
      }));
      expect(errors.filter((e) => !(e.error < 1e-5))).toEqual([]);
    });
  },
);
