import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TINY_BERT_DIR } from './_test-fixture.js';
import { parseBertConfig } from './bert-config.js';
import { BertConfigError } from './errors.js';

const tiny = JSON.parse(readFileSync(join(TINY_BERT_DIR, 'config.json'), 'utf8')) as Record<
  string,
  unknown
>;

describe('parseBertConfig', () => {
  it('reads the fixture config', () => {
    const c = parseBertConfig(tiny, 'config.json');
    expect(c).toMatchObject({
      vocabSize: 263,
      hiddenSize: 32,
      numHiddenLayers: 2,
      numAttentionHeads: 4,
      intermediateSize: 64,
      hiddenAct: 'gelu',
      layerNormEps: 1e-12,
      maxPositionEmbeddings: 128,
      typeVocabSize: 2,
    });
    expect(c.raw).toBe(tiny);
  });

  it('applies BertConfig defaults for optional fields', () => {
    const { layer_norm_eps: _e, hidden_act: _a, type_vocab_size: _t, ...rest } = tiny;
    expect(parseBertConfig(rest, 'c')).toMatchObject({
      layerNormEps: 1e-12,
      hiddenAct: 'gelu',
      typeVocabSize: 2,
    });
  });

  it.each([
    ['hidden_size', { hidden_size: 0 }],
    ['num_attention_heads', { num_attention_heads: 5 }],
    ['hidden_act', { hidden_act: 'swish' }],
    ['model_type', { model_type: 'xlm-roberta' }],
    ['position_embedding_type', { position_embedding_type: 'relative_key' }],
    ['layer_norm_eps', { layer_norm_eps: -1 }],
    ['hidden_dropout_prob', { hidden_dropout_prob: 1 }],
    ['vocab_size', { vocab_size: undefined }],
  ])('rejects a bad %s, naming the field and file', (field, patch) => {
    let error: unknown;
    try {
      parseBertConfig({ ...tiny, ...patch }, 'm/config.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BertConfigError);
    expect(error).toMatchObject({
      code: 'ERR_ENCODERS_BERT_CONFIG',
      field,
      source: 'm/config.json',
    });
  });
});
