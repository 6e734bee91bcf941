// Mapping between a Hugging Face BertModel safetensors file and the TF.js variables of the
// trainable encoder. Internal. Linear weights are stored transposed ([in, out], so the forward
// pass needs no transpose); saving transposes back and writes the file's own names, in its own
// order.
import * as tf from '@tensorflow/tfjs-core';
import {
  float32Tensor,
  tensorToFloat32,
  type SafetensorsFile,
  type SafetensorsTensor,
} from '@rtk/safetensors';
import type { BertConfig } from '@rtk/encoders';
import { BertWeightsError } from './errors.js';

/** Variables of one encoder layer. */
export interface LayerWeights {
  readonly qW: tf.Variable<tf.Rank.R2>;
  readonly qB: tf.Variable<tf.Rank.R1>;
  readonly kW: tf.Variable<tf.Rank.R2>;
  readonly kB: tf.Variable<tf.Rank.R1>;
  readonly vW: tf.Variable<tf.Rank.R2>;
  readonly vB: tf.Variable<tf.Rank.R1>;
  readonly attnOutW: tf.Variable<tf.Rank.R2>;
  readonly attnOutB: tf.Variable<tf.Rank.R1>;
  readonly attnLnG: tf.Variable<tf.Rank.R1>;
  readonly attnLnB: tf.Variable<tf.Rank.R1>;
  readonly interW: tf.Variable<tf.Rank.R2>;
  readonly interB: tf.Variable<tf.Rank.R1>;
  readonly outW: tf.Variable<tf.Rank.R2>;
  readonly outB: tf.Variable<tf.Rank.R1>;
  readonly outLnG: tf.Variable<tf.Rank.R1>;
  readonly outLnB: tf.Variable<tf.Rank.R1>;
}

/** Variables of the embedding block. */
export interface EmbeddingWeights {
  readonly word: tf.Variable<tf.Rank.R2>;
  readonly position: tf.Variable<tf.Rank.R2>;
  readonly tokenType: tf.Variable<tf.Rank.R2>;
  readonly lnG: tf.Variable<tf.Rank.R1>;
  readonly lnB: tf.Variable<tf.Rank.R1>;
}

/** All variables of the encoder (the pooler is not used by mean pooling and stays in the file). */
export interface BertWeights {
  readonly embeddings: EmbeddingWeights;
  readonly layers: readonly LayerWeights[];
}

/** How to write the variables back: one entry per tensor of the original file, in its order. */
export interface WeightsLayout {
  /** `bert.` or `` (whatever precedes `embeddings.word_embeddings.weight`). */
  readonly prefix: string;
  readonly entries: readonly (() => SafetensorsTensor)[];
  readonly metadata: Readonly<Record<string, string>> | undefined;
}

let modelCounter = 0;

/**
 * Create variables from a parsed safetensors file, checking names and shapes against `config`.
 * Names may carry any prefix before `embeddings.word_embeddings.weight` (e.g. `bert.`) and
 * LayerNorm parameters may be `weight`/`bias` or `gamma`/`beta`.
 */
export function loadBertWeights(
  file: SafetensorsFile,
  config: BertConfig,
  source: string,
): { weights: BertWeights; layout: WeightsLayout } {
  const anchor = 'embeddings.word_embeddings.weight';
  const anchors = [...file.tensors.keys()].filter((n) => n === anchor || n.endsWith(`.${anchor}`));
  const prefixName = anchors.sort((a, b) => a.length - b.length)[0];
  if (prefixName === undefined) {
    throw new BertWeightsError(
      source,
      anchor,
      'not found (with or without a prefix such as "bert."); this is not a BERT checkpoint. ' +
        `First names in the file: ${[...file.tensors.keys()].slice(0, 5).join(', ')}.`,
    );
  }
  const prefix = prefixName.slice(0, prefixName.length - anchor.length);
  const id = modelCounter++;
  const H = config.hiddenSize;
  const I = config.intermediateSize;
  const writers = new Map<string, () => SafetensorsTensor>();
  const created: tf.Variable[] = [];

  const lookup = (
    logical: string,
    shape: readonly number[],
  ): { name: string; data: Float32Array } => {
    const candidates = [prefix + logical];
    if (logical.endsWith('LayerNorm.weight'))
      candidates.push(prefix + logical.replace(/weight$/, 'gamma'));
    if (logical.endsWith('LayerNorm.bias'))
      candidates.push(prefix + logical.replace(/bias$/, 'beta'));
    const name = candidates.find((c) => file.tensors.has(c));
    if (name === undefined) {
      throw new BertWeightsError(
        source,
        candidates[0]!,
        `missing; the configuration (${config.numHiddenLayers} layers) needs it.`,
      );
    }
    const tensor = file.tensors.get(name)!;
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
      throw new BertWeightsError(
        source,
        name,
        `shape [${tensor.shape.join(', ')}] does not match config.json, which implies [${shape.join(', ')}].`,
      );
    }
    return { name, data: tensorToFloat32(tensor, source) };
  };
  const variable = <R extends tf.Rank>(t: tf.Tensor<R>, label: string): tf.Variable<R> => {
    const v = tf.variable(t, true, `trainable-bert-${id}/${label}`);
    t.dispose();
    created.push(v);
    return v;
  };
  /** A vector or an embedding table, stored as is. */
  const plain = <R extends tf.Rank.R1 | tf.Rank.R2>(
    logical: string,
    shape: readonly number[],
  ): tf.Variable<R> => {
    const { name, data } = lookup(logical, shape);
    const v = variable(tf.tensor(data, shape as number[]) as unknown as tf.Tensor<R>, logical);
    writers.set(name, () => float32Tensor(name, shape, v.dataSync() as Float32Array));
    return v;
  };
  /** A PyTorch Linear weight [out, in], stored transposed as [in, out]. */
  const linearW = (logical: string, out: number, inp: number): tf.Variable<tf.Rank.R2> => {
    const { name, data } = lookup(logical, [out, inp]);
    const v = variable(
      tf.tidy(() => tf.transpose(tf.tensor2d(data, [out, inp]))),
      logical,
    );
    writers.set(name, () =>
      float32Tensor(name, [out, inp], tf.tidy(() => tf.transpose(v)).dataSync() as Float32Array),
    );
    return v;
  };

  try {
    const embeddings: EmbeddingWeights = {
      word: plain('embeddings.word_embeddings.weight', [config.vocabSize, H]),
      position: plain('embeddings.position_embeddings.weight', [config.maxPositionEmbeddings, H]),
      tokenType: plain('embeddings.token_type_embeddings.weight', [config.typeVocabSize, H]),
      lnG: plain('embeddings.LayerNorm.weight', [H]),
      lnB: plain('embeddings.LayerNorm.bias', [H]),
    };
    const layers: LayerWeights[] = [];
    for (let i = 0; i < config.numHiddenLayers; i++) {
      const p = `encoder.layer.${i}.`;
      layers.push({
        qW: linearW(`${p}attention.self.query.weight`, H, H),
        qB: plain(`${p}attention.self.query.bias`, [H]),
        kW: linearW(`${p}attention.self.key.weight`, H, H),
        kB: plain(`${p}attention.self.key.bias`, [H]),
        vW: linearW(`${p}attention.self.value.weight`, H, H),
        vB: plain(`${p}attention.self.value.bias`, [H]),
        attnOutW: linearW(`${p}attention.output.dense.weight`, H, H),
        attnOutB: plain(`${p}attention.output.dense.bias`, [H]),
        attnLnG: plain(`${p}attention.output.LayerNorm.weight`, [H]),
        attnLnB: plain(`${p}attention.output.LayerNorm.bias`, [H]),
        interW: linearW(`${p}intermediate.dense.weight`, I, H),
        interB: plain(`${p}intermediate.dense.bias`, [I]),
        outW: linearW(`${p}output.dense.weight`, H, I),
        outB: plain(`${p}output.dense.bias`, [H]),
        outLnG: plain(`${p}output.LayerNorm.weight`, [H]),
        outLnB: plain(`${p}output.LayerNorm.bias`, [H]),
      });
    }
    // Tensors the encoder does not use (pooler, position_ids buffers) are written back unchanged.
    // Their bytes are copied now so the file's buffer is not kept alive by the model.
    const entries = [...file.tensors.values()].map((t) => {
      const writer = writers.get(t.name);
      if (writer !== undefined) return writer;
      const kept: SafetensorsTensor = { ...t, bytes: t.bytes.slice() };
      return () => kept;
    });
    return {
      weights: { embeddings, layers },
      layout: { prefix, entries, metadata: file.metadata },
    };
  } catch (error) {
    for (const v of created) v.dispose();
    throw error;
  }
}

/** Every variable, embeddings first, then layer by layer. */
export function allVariables(weights: BertWeights): tf.Variable[] {
  const values = (group: EmbeddingWeights | LayerWeights): tf.Variable[] =>
    Object.values(group as unknown as Record<string, tf.Variable>);
  return [...values(weights.embeddings), ...weights.layers.flatMap(values)];
}
