import {
  attribute,
  encodeModel,
  OnnxGraphBuilder,
  quantizedMatMul,
  TensorDataType,
} from '@rtk/onnx';
import { tensorToFloat32, type SafetensorsTensor } from '@rtk/safetensors';
import type { BertConfig } from './bert-config.js';
import { OnnxExportError } from './errors.js';

/** ONNX operator set of the exported graph: every op is standard and in ONNX Runtime's CPU provider. */
export const BERT_ONNX_OPSET = 14;

/** What {@link buildBertOnnxModel} writes: float32 weights, or int8 MatMul weights (`q8`). */
export type BertOnnxDtype = 'fp32' | 'q8';

/** Options for {@link buildBertOnnxModel}. */
export interface BuildBertOnnxOptions {
  /** Default `fp32`. */
  readonly dtype?: BertOnnxDtype;
  /** Where the weights came from, for messages (a file path). */
  readonly source?: string;
}

/** PyTorch's additive attention-mask value for float32 (`torch.finfo(torch.float32).min`). */
const MASK_VALUE = -3.4028234663852886e38;

/**
 * The weights a BERT graph needs, found by their Hugging Face names with any prefix before
 * `embeddings.word_embeddings.weight` (e.g. `bert.`) and LayerNorm `weight`/`bias` or
 * `gamma`/`beta`, checked against `config` before anything is built.
 */
function weightLookup(
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  config: BertConfig,
  source: string,
): (logical: string, shape: readonly number[]) => Float32Array {
  const anchor = 'embeddings.word_embeddings.weight';
  const prefixName = [...tensors.keys()]
    .filter((n) => n === anchor || n.endsWith(`.${anchor}`))
    .sort((a, b) => a.length - b.length)[0];
  if (prefixName === undefined) {
    throw new OnnxExportError(
      source,
      `tensor ${JSON.stringify(anchor)} not found (with or without a prefix such as "bert."); this is not a BERT checkpoint. ` +
        `First names in the file: ${[...tensors.keys()].slice(0, 5).join(', ') || '(none)'}.`,
    );
  }
  const prefix = prefixName.slice(0, prefixName.length - anchor.length);
  return (logical, shape) => {
    const candidates = [prefix + logical];
    if (logical.endsWith('LayerNorm.weight'))
      candidates.push(prefix + logical.replace(/weight$/, 'gamma'));
    if (logical.endsWith('LayerNorm.bias'))
      candidates.push(prefix + logical.replace(/bias$/, 'beta'));
    const name = candidates.find((c) => tensors.has(c));
    if (name === undefined) {
      throw new OnnxExportError(
        source,
        `tensor ${JSON.stringify(candidates[0])} is missing; config.json (${config.numHiddenLayers} layers) needs it.`,
      );
    }
    const t = tensors.get(name)!;
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new OnnxExportError(
        source,
        `tensor ${JSON.stringify(name)} has shape [${t.shape.join(', ')}]; config.json implies [${shape.join(', ')}].`,
      );
    }
    return tensorToFloat32(t, source);
  };
}

/** A PyTorch Linear weight [out, in] as the [in, out] matrix MatMul takes. */
function transposed(w: Float32Array, out: number, inp: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = w[o * inp + i]!;
  return t;
}

/**
 * Build the ONNX graph of a Hugging Face `BertModel` from its configuration and weights — no
 * tracing, no Python. Inputs `input_ids`, `attention_mask`, `token_type_ids` (int64,
 * `[batch_size, sequence_length]`), output `last_hidden_state` (float32,
 * `[batch_size, sequence_length, hidden_size]`): the names and types transformers.js and the
 * toolkit's `SentenceEncoder` expect of a feature-extraction model. The computation is PyTorch's,
 * op for op as `torch.onnx.export` writes it (opset {@link BERT_ONNX_OPSET}), so ONNX Runtime
 * fuses it the same way: word + position (0…n−1) + token-type embeddings; LayerNorm as
 * ReduceMean/Sub/Pow/Sqrt/Div with `layer_norm_eps` from the config; the attention mask as the
 * additive bias `(1 − mask) · finfo(float32).min`; scores divided by √head_size; exact (erf)
 * GELU or ReLU (`hidden_act`). The pooler is not part of it (sentence embeddings pool the hidden
 * states).
 *
 * `dtype: 'q8'` quantises the weights of every Linear layer to int8 (symmetric, per tensor) and
 * the activations per call (`DynamicQuantizeLinear` → `MatMulInteger`), as ONNX Runtime's
 * `quantize_dynamic` does for transformers.js' `model_quantized.onnx`; embeddings and LayerNorms
 * stay float32.
 *
 * @param tensors - The weights by name (a `SafetensorsFile`'s `tensors`; any dtype
 *   `tensorToFloat32` widens).
 * @throws {@link OnnxExportError} naming the tensor when one is missing or has the wrong shape.
 * @example
 * ```ts
 * const file = await readSafetensors('fixtures/tiny-bert/model.safetensors');
 * const config = parseBertConfig(JSON.parse(await readFile('fixtures/tiny-bert/config.json', 'utf8')), 'config.json');
 * const bytes = buildBertOnnxModel(config, file.tensors); // an .onnx file's bytes
 * ```
 */
export function buildBertOnnxModel(
  config: BertConfig,
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  options: BuildBertOnnxOptions = {},
): Uint8Array {
  const dtype = options.dtype ?? 'fp32';
  const source = options.source ?? 'weights';
  const weight = weightLookup(tensors, config, source);
  const H = config.hiddenSize;
  const I = config.intermediateSize;
  const heads = config.numAttentionHeads;
  const headSize = H / heads;
  const { FLOAT, INT64 } = TensorDataType;
  const dims = ['batch_size', 'sequence_length'] as const;
  const g = new OnnxGraphBuilder('bert');

  const f32 = (v: number): string => g.constant([], Float32Array.of(v));
  const i64 = (values: readonly number[], shape: readonly number[] = [values.length]): string =>
    g.constant(
      shape,
      BigInt64Array.from(values, (v) => BigInt(v)),
    );

  const layerNorm = (x: string, logical: string): string => {
    const mean = g.op('ReduceMean', [x], { axes: attribute.ints([-1]) });
    const centred = g.op('Sub', [x, mean]);
    const variance = g.op('ReduceMean', [g.op('Pow', [centred, f32(2)])], {
      axes: attribute.ints([-1]),
    });
    const normed = g.op('Div', [
      centred,
      g.op('Sqrt', [g.op('Add', [variance, f32(config.layerNormEps)])]),
    ]);
    const gamma = g.initializer(`${logical}.weight`, [H], weight(`${logical}.weight`, [H]));
    const beta = g.initializer(`${logical}.bias`, [H], weight(`${logical}.bias`, [H]));
    return g.op('Add', [g.op('Mul', [normed, gamma]), beta]);
  };
  const linear = (x: string, logical: string, out: number, inp: number): string => {
    const w = transposed(weight(`${logical}.weight`, [out, inp]), out, inp);
    const product =
      dtype === 'q8'
        ? quantizedMatMul(g, x, `${logical}.weight`, w, [inp, out])
        : g.op('MatMul', [x, g.initializer(`${logical}.weight`, [inp, out], w)]);
    const bias = g.initializer(`${logical}.bias`, [out], weight(`${logical}.bias`, [out]));
    return g.op('Add', [bias, product]);
  };
  const activation = (x: string): string => {
    if (config.hiddenAct === 'relu') return g.op('Relu', [x]);
    // Exact GELU: x · ½ · (1 + erf(x / √2)), as torch writes it.
    const half = g.op('Mul', [x, f32(0.5)]);
    return g.op('Mul', [
      half,
      g.op('Add', [g.op('Erf', [g.op('Div', [x, f32(Math.SQRT2)])]), f32(1)]),
    ]);
  };

  const inputIds = g.input('input_ids', INT64, dims);
  const attentionMask = g.input('attention_mask', INT64, dims);
  const tokenTypeIds = g.input('token_type_ids', INT64, dims);

  g.scope = 'embeddings';
  const seqLen = g.op('Gather', [g.op('Shape', [inputIds]), i64([1], [])], {
    axis: attribute.int(0),
  });
  const positions = g.op('Unsqueeze', [
    g.op('Range', [i64([0], []), seqLen, i64([1], [])]),
    i64([0]),
  ]);
  const table = (logical: string, rows: number): string =>
    g.initializer(logical, [rows, H], weight(logical, [rows, H]));
  const words = g.op('Gather', [
    table('embeddings.word_embeddings.weight', config.vocabSize),
    inputIds,
  ]);
  const pos = g.op('Gather', [
    table('embeddings.position_embeddings.weight', config.maxPositionEmbeddings),
    positions,
  ]);
  const types = g.op('Gather', [
    table('embeddings.token_type_embeddings.weight', config.typeVocabSize),
    tokenTypeIds,
  ]);
  let hidden = layerNorm(g.op('Add', [g.op('Add', [words, pos]), types]), 'embeddings.LayerNorm');

  g.scope = 'attention_mask';
  const maskFloat = g.op('Cast', [g.op('Unsqueeze', [attentionMask, i64([1, 2])])], {
    to: attribute.int(FLOAT),
  });
  const maskBias = g.op('Mul', [g.op('Sub', [f32(1), maskFloat]), f32(MASK_VALUE)]);

  const splitHeads = i64([0, 0, heads, headSize]);
  const mergeHeads = i64([0, 0, H]);
  for (let l = 0; l < config.numHiddenLayers; l++) {
    const p = `encoder.layer.${l}.`;
    g.scope = `encoder.layer.${l}.attention`;
    const heads4 = (x: string, perm: readonly number[]): string =>
      g.op('Transpose', [g.op('Reshape', [x, splitHeads])], { perm: attribute.ints(perm) });
    const q = heads4(linear(hidden, `${p}attention.self.query`, H, H), [0, 2, 1, 3]);
    const kT = heads4(linear(hidden, `${p}attention.self.key`, H, H), [0, 2, 3, 1]);
    const v = heads4(linear(hidden, `${p}attention.self.value`, H, H), [0, 2, 1, 3]);
    const scores = g.op('Add', [
      g.op('Div', [g.op('MatMul', [q, kT]), f32(Math.sqrt(headSize))]),
      maskBias,
    ]);
    const probs = g.op('Softmax', [scores], { axis: attribute.int(-1) });
    const context = g.op('Transpose', [g.op('MatMul', [probs, v])], {
      perm: attribute.ints([0, 2, 1, 3]),
    });
    const merged = g.op('Reshape', [context, mergeHeads]);
    const attended = linear(merged, `${p}attention.output.dense`, H, H);
    hidden = layerNorm(g.op('Add', [hidden, attended]), `${p}attention.output.LayerNorm`);
    g.scope = `encoder.layer.${l}.ffn`;
    const inner = activation(linear(hidden, `${p}intermediate.dense`, I, H));
    const outer = linear(inner, `${p}output.dense`, H, I);
    hidden = layerNorm(g.op('Add', [hidden, outer]), `${p}output.LayerNorm`);
  }
  g.scope = '';
  g.op('Identity', [hidden], {}, 'last_hidden_state');
  g.output('last_hidden_state', FLOAT, [...dims, H]);
  return encodeModel(g.build(), {
    opsetVersion: BERT_ONNX_OPSET,
    irVersion: 7,
    producerName: '@rtk/encoders',
    metadata: { source: 'BertModel', dtype },
  });
}
