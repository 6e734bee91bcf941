// The random initialisation of the docs model, written by the toolkit: a seeded BERT in the
// Hugging Face `BertModel` layout, initialised as transformers' `BertPreTrainedModel._init_weights`
// does (weights normal(0, initializer_range), the padding row of the word embeddings 0, biases 0,
// LayerNorm weight 1 and bias 0).
import { mulberry32 } from '@rtk/datasets';
import { parseBertConfig, type BertConfig } from '@rtk/encoders';
import { float32Tensor, type SafetensorsTensor } from '@rtk/safetensors';

/** The shape of a BERT to initialise. */
export interface BertShape {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly maxPositionEmbeddings: number;
}

/** A Hugging Face `config.json` object for a BERT of this shape (GELU, dropout 0.1). */
export function bertConfigJson(shape: BertShape): Record<string, unknown> {
  const raw = {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: shape.vocabSize,
    hidden_size: shape.hiddenSize,
    num_hidden_layers: shape.numHiddenLayers,
    num_attention_heads: shape.numAttentionHeads,
    intermediate_size: shape.intermediateSize,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: shape.maxPositionEmbeddings,
    type_vocab_size: 2,
    initializer_range: 0.02,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
  };
  parseBertConfig(raw, 'config.json'); // heads dividing the hidden size, …
  return raw;
}

/** Standard normal draws from a seeded mulberry32 stream (Box–Muller, both values used). */
function normalStream(seed: number): () => number {
  const random = mulberry32(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = 1 - random(); // (0, 1]
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * The tensors of a freshly initialised BERT (`embeddings.*`, `encoder.layer.<i>.*`, `pooler.*`,
 * PyTorch layouts: Linear weights [out, in]), filled in this order from one seeded stream, so a
 * seed always gives the same bytes.
 */
export function initBertTensors(config: BertConfig, seed: number): SafetensorsTensor[] {
  const std =
    typeof config.raw['initializer_range'] === 'number' ? config.raw['initializer_range'] : 0.02;
  const normal = normalStream(seed);
  const tensors: SafetensorsTensor[] = [];
  const randomTensor = (name: string, shape: number[]): Float32Array => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = normal() * std;
    tensors.push(float32Tensor(name, shape, data));
    return data;
  };
  const constant = (name: string, size: number, value: number): void => {
    tensors.push(float32Tensor(name, [size], new Float32Array(size).fill(value)));
  };
  const linear = (name: string, out: number, inp: number): void => {
    randomTensor(`${name}.weight`, [out, inp]);
    constant(`${name}.bias`, out, 0);
  };
  const layerNorm = (name: string, size: number): void => {
    constant(`${name}.weight`, size, 1);
    constant(`${name}.bias`, size, 0);
  };
  const H = config.hiddenSize;
  const word = randomTensor('embeddings.word_embeddings.weight', [config.vocabSize, H]);
  word.fill(0, config.padTokenId * H, (config.padTokenId + 1) * H);
  // float32Tensor copied the data before the padding row was zeroed: write it again.
  tensors[0] = float32Tensor('embeddings.word_embeddings.weight', [config.vocabSize, H], word);
  randomTensor('embeddings.position_embeddings.weight', [config.maxPositionEmbeddings, H]);
  randomTensor('embeddings.token_type_embeddings.weight', [config.typeVocabSize, H]);
  layerNorm('embeddings.LayerNorm', H);
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `encoder.layer.${i}.`;
    linear(`${p}attention.self.query`, H, H);
    linear(`${p}attention.self.key`, H, H);
    linear(`${p}attention.self.value`, H, H);
    linear(`${p}attention.output.dense`, H, H);
    layerNorm(`${p}attention.output.LayerNorm`, H);
    linear(`${p}intermediate.dense`, config.intermediateSize, H);
    linear(`${p}output.dense`, H, config.intermediateSize);
    layerNorm(`${p}output.LayerNorm`, H);
  }
  linear('pooler.dense', H, H);
  return tensors;
}
