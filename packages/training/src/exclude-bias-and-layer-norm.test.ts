import { describe, expect, it } from 'vitest';
import { excludeBiasAndLayerNorm } from './exclude-bias-and-layer-norm.js';

describe('excludeBiasAndLayerNorm', () => {
  // Names from Hugging Face BERT checkpoints, old TF-style checkpoints, tfjs-layers and GPT-2.
  it.each([
    ['encoder.layer.0.attention.self.query.weight', false],
    ['encoder.layer.0.attention.self.query.bias', true],
    ['bert.encoder.layer.11.output.LayerNorm.weight', true],
    ['embeddings.LayerNorm.bias', true],
    ['embeddings.word_embeddings.weight', false],
    ['embeddings.LayerNorm.gamma', true],
    ['encoder/layer_0/output/layer_norm/beta', true],
    ['dense_1/kernel', false],
    ['dense_1/bias', true],
    ['h.0.ln_1.weight', true],
    ['ln_f.weight', true],
    ['pooler.dense.weight', false],
    ['biased_layer.weight', false],
    ['lnx.weight', false],
    // TF-style beta/gamma outside a LayerNorm scope (batch norm), GPT-style ln without a suffix,
    // with a bare digit, with two digits, and a segment that only ends in "ln".
    ['bn/beta', true],
    ['bn/gamma', true],
    ['bn/moving_mean', false],
    ['h.0.ln.weight', true],
    ['h.0.ln1.weight', true],
    ['h.0.ln_12.weight', true],
    ['kiln.weight', false],
    ['h.0.kiln_1.weight', false],
    // @rtk/bert names its variables trainable-bert-<id>/<checkpoint name>.
    ['trainable-bert-0/encoder.layer.3.attention.self.qkv.weight', false],
    ['trainable-bert-0/encoder.layer.3.attention.self.qkv.bias', true],
    ['trainable-bert-0/encoder.layer.3.output.LayerNorm.weight', true],
  ])('%s → %s', (name, excluded) => {
    expect(excludeBiasAndLayerNorm(name)).toBe(excluded);
  });
});
