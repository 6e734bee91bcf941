import { BertConfigError } from './errors.js';

/**
 * Activations the BERT models of this toolkit implement (`gelu` is the exact erf form, as in
 * PyTorch): `@rtk/bert`'s trainable TF.js model and the ONNX export ({@link exportOnnx}).
 */
export const BERT_ACTIVATIONS: readonly BertActivation[] = ['gelu', 'relu'];

/** A `hidden_act` value of {@link BERT_ACTIVATIONS}. */
export type BertActivation = 'gelu' | 'relu';

/** The fields of a Hugging Face `BertConfig` (`config.json`) the BERT models here use. */
export interface BertConfig {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: BertActivation;
  /** Dropout on embeddings and on each sub-layer output, training only. */
  readonly hiddenDropoutProb: number;
  /** Dropout on attention probabilities, training only. */
  readonly attentionProbsDropoutProb: number;
  readonly maxPositionEmbeddings: number;
  readonly typeVocabSize: number;
  /** LayerNorm epsilon (1e-12 for BERT/E5). */
  readonly layerNormEps: number;
  readonly padTokenId: number;
  /** The whole `config.json` object, written back unchanged when the model is saved. */
  readonly raw: Readonly<Record<string, unknown>>;
}

function positiveInt(
  raw: Record<string, unknown>,
  field: string,
  source: string,
  fallback?: number,
): number {
  const value = raw[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new BertConfigError(
      source,
      field,
      `expected an integer ≥ 1, found ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function probability(
  raw: Record<string, unknown>,
  field: string,
  source: string,
  fallback: number,
): number {
  const value = raw[field] ?? fallback;
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new BertConfigError(
      source,
      field,
      `expected a probability in [0, 1), found ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/**
 * Validate a parsed `config.json` of a Hugging Face BERT model (`model_type` `bert`, absolute
 * position embeddings) and return the fields the encoder needs. Defaults follow transformers'
 * `BertConfig` (`layer_norm_eps` 1e-12, dropout 0.1, `type_vocab_size` 2, `pad_token_id` 0).
 *
 * @param raw - The parsed JSON.
 * @param source - File path for messages.
 * @throws {@link BertConfigError} naming the field: a missing size, heads not dividing the hidden
 *   size, an activation outside {@link BERT_ACTIVATIONS}, relative position embeddings, another
 *   `model_type` (XLM-R/RoBERTa offset their positions and are not supported).
 * @example
 * ```ts
 * const config = parseBertConfig(JSON.parse(await readFile('e5-small-v2/config.json', 'utf8')), 'config.json');
 * config.hiddenSize; // 384
 * ```
 *
 * Lives in `@rtk/encoders` (the ONNX export needs it); `@rtk/bert` re-exports it.
 */
export function parseBertConfig(raw: unknown, source: string): BertConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BertConfigError(source, '(root)', 'expected a JSON object.');
  }
  const r = raw as Record<string, unknown>;
  if (r['model_type'] !== undefined && r['model_type'] !== 'bert') {
    throw new BertConfigError(
      source,
      'model_type',
      `expected "bert", found ${JSON.stringify(r['model_type'])}; only BERT-architecture checkpoints (e5-small-v2, e5-base-v2) can be trained or exported to ONNX here.`,
    );
  }
  const positionType = r['position_embedding_type'] ?? 'absolute';
  if (positionType !== 'absolute') {
    throw new BertConfigError(
      source,
      'position_embedding_type',
      `only "absolute" is supported, found ${JSON.stringify(positionType)}.`,
    );
  }
  const hiddenAct = r['hidden_act'] ?? 'gelu';
  if (!BERT_ACTIVATIONS.includes(hiddenAct as BertActivation)) {
    throw new BertConfigError(
      source,
      'hidden_act',
      `expected one of ${BERT_ACTIVATIONS.join(', ')}, found ${JSON.stringify(hiddenAct)}.`,
    );
  }
  const hiddenSize = positiveInt(r, 'hidden_size', source);
  const numAttentionHeads = positiveInt(r, 'num_attention_heads', source);
  if (hiddenSize % numAttentionHeads !== 0) {
    throw new BertConfigError(
      source,
      'num_attention_heads',
      `${numAttentionHeads} heads do not divide hidden_size ${hiddenSize}.`,
    );
  }
  const eps = r['layer_norm_eps'] ?? 1e-12;
  if (typeof eps !== 'number' || !(eps > 0)) {
    throw new BertConfigError(
      source,
      'layer_norm_eps',
      `expected a positive number, found ${JSON.stringify(eps)}.`,
    );
  }
  const pad = r['pad_token_id'] ?? 0;
  if (typeof pad !== 'number' || !Number.isInteger(pad) || pad < 0) {
    throw new BertConfigError(
      source,
      'pad_token_id',
      `expected an integer ≥ 0, found ${JSON.stringify(pad)}.`,
    );
  }
  return {
    vocabSize: positiveInt(r, 'vocab_size', source),
    hiddenSize,
    numHiddenLayers: positiveInt(r, 'num_hidden_layers', source),
    numAttentionHeads,
    intermediateSize: positiveInt(r, 'intermediate_size', source),
    hiddenAct: hiddenAct as BertActivation,
    hiddenDropoutProb: probability(r, 'hidden_dropout_prob', source, 0.1),
    attentionProbsDropoutProb: probability(r, 'attention_probs_dropout_prob', source, 0.1),
    maxPositionEmbeddings: positiveInt(r, 'max_position_embeddings', source),
    typeVocabSize: positiveInt(r, 'type_vocab_size', source, 2),
    layerNormEps: eps,
    padTokenId: pad,
    raw: r,
  };
}
