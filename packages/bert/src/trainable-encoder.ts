import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import type { TextTokenizer } from '@rtk/encoders';
import {
  TEXT_ROLES,
  type EmbedOptions,
  type TextEmbedder,
  type TextPrefixes,
  type TextRole,
} from '@rtk/retrieval';
import { prepareWasmBackend } from '@rtk/tfjs';
import type { BertConfig } from '@rtk/encoders';
import { EncoderDisposedError, EncoderInputError } from './errors.js';
import { allVariables, type BertWeights, type WeightsLayout } from './_weights.js';
import { embeddingLookup, layerNorm } from './_ops.js';
import { encoderLayer, savedFloatsPerToken, type LayerSpec } from './_layer.js';

/**
 * Token ids of a batch, row-major `[batchSize, length]`, right-padded: the shape
 * `TextTokenizer.encodeBatch` returns. `tokenTypeIds` default to 0.
 */
export interface TokenBatch {
  readonly inputIds: Int32Array;
  /** 1 for a real token, 0 for padding. */
  readonly attentionMask: Int32Array;
  readonly tokenTypeIds?: Int32Array;
  readonly batchSize: number;
  readonly length: number;
}

/** Options for {@link TrainableEncoder.forward} and {@link TrainableEncoder.embedBatch}. */
export interface ForwardOptions {
  /** Apply dropout (config probabilities). Default false: deterministic inference. */
  readonly training?: boolean;
  /**
   * Gradient checkpointing (with `training`): keep only each layer's input for the backward
   * pass and recompute the layer there. Memory for activations drops from all layers to about
   * one; compute rises by about one forward pass (≈ 25 % of a training step). Default on the
   * `wasm` backend, whose heap is capped at 4 GiB: on only when this pass's saved activations
   * would take the tensor memory past {@link WASM_PLAIN_PASS_BUDGET_BYTES} (e5-small trains
   * batch 32 × 128 tokens without it); off elsewhere.
   */
  readonly checkpoint?: boolean;
  /**
   * Seed of this pass's dropout masks (with `training`). Default: a fresh seed per call, drawn
   * from the encoder's `seed`. Pin it to replay the same masks, e.g. when GradCache recomputes
   * a mini-batch with gradients after embedding it without.
   */
  readonly dropoutSeed?: number;
}

/**
 * On the wasm backend, a training `forward` checkpoints its layers by default when the tensor
 * memory in use plus the activations this pass would keep (see
 * {@link TrainableEncoder.savedActivationBytes}) pass this many bytes: 3 GiB of the 4 GiB heap,
 * the rest left to the backward pass's temporaries and gradients (e5-small at batch 32 × 128
 * tokens: 2.5 GiB here, 3.2 GiB at the step's peak).
 */
export const WASM_PLAIN_PASS_BUDGET_BYTES: number = 3 * 2 ** 30;

/** Options for {@link TrainableEncoder.embedTexts}. */
export interface EmbedTextsOptions extends ForwardOptions {
  /** Selects the prefix. Default `query` (as `EmbedOptions.role` of `@rtk/retrieval`). */
  readonly role?: TextRole;
  /** Token limit, special tokens included. Default: the encoder's `maxLength`. */
  readonly maxLength?: number;
}

/** Options for {@link TrainableEncoder.encode}: the `TextEmbedder` options plus a token limit. */
export interface EncodeTextsOptions extends EmbedOptions {
  /** Token limit, special tokens included. Default: the encoder's `maxLength`. */
  readonly maxLength?: number;
}

/** Which parameters {@link TrainableEncoder.freeze} excludes from training. */
export interface FreezeOptions {
  /** Freeze word, position and token-type embeddings and the embedding LayerNorm. */
  readonly embeddings?: boolean;
  /** Freeze the lowest N encoder layers (0 … numHiddenLayers). */
  readonly layers?: number;
}

/** Everything the encoder is built from; made by `loadTrainableEncoder`. */
export interface TrainableEncoderParts {
  /** Name for reports: the hub id or folder it was loaded from. */
  readonly name: string;
  readonly config: BertConfig;
  readonly weights: BertWeights;
  readonly layout: WeightsLayout;
  readonly tokenizer: TextTokenizer;
  /** The model folder the files came from (tokenizer files are copied from here on save). */
  readonly modelDir: string;
  readonly prefixes: TextPrefixes;
  readonly maxLength: number;
  /** Seed of the dropout masks; each training forward pass draws new masks from it. */
  readonly seed: number;
}

/** PyTorch's additive mask value for float32 (`torch.finfo(torch.float32).min`). */
const MASK_VALUE = -3.4028234663852886e38;

/**
 * A BERT sentence encoder in TensorFlow.js ops whose weights are trainable `tf.Variable`s:
 * the model E5 is (mean pooling over the attention mask, then L2 normalisation, `query: ` /
 * `passage: ` prefixes), computing what Hugging Face `BertModel` computes (exact erf GELU,
 * LayerNorm eps from config.json, PyTorch's −3.4e38 attention mask), with dropout only when
 * `training` is set. Load one with `loadTrainableEncoder`; save it with `saveTrainableEncoder`.
 *
 * Every method that returns a tensor runs inside `tf.tidy` and leaves only its result; dispose
 * it (or call inside your own `tidy`). Gradients: call `embedTexts`/`embedBatch` with
 * `{ training: true }` inside `tf.variableGrads(f, encoder.trainableVariables())`.
 *
 * It is a `TextEmbedder` of `@rtk/retrieval` ({@link encode} returns rows), so `DenseRetriever`
 * ranks with it exactly as with the ONNX encoder.
 *
 * Relations: `@rtk/encoders`' ONNX `SentenceEncoder` computes the same embeddings (tested to
 * 1e-5); `@rtk/losses` turns embeddings into a scalar; `@rtk/training` updates
 * {@link TrainableEncoder.trainableVariables}.
 *
 * @example
 * ```ts
 * const encoder = await loadTrainableEncoder('fixtures/tiny-bert');
 * const q = encoder.embedTexts(['how many people live in the city'], { role: 'query' });
 * q.shape; // [1, 32]
 * q.dispose();
 * ```
 */
export class TrainableEncoder implements TextEmbedder {
  /** The hub id or folder the model was loaded from. */
  readonly name: string;
  /** Embedding width (`hidden_size`). */
  readonly dim: number;
  /** The validated config.json. */
  readonly config: BertConfig;
  /** The tokenizer shared with the inference path. */
  readonly tokenizer: TextTokenizer;
  /** Folder the model was loaded from. */
  readonly modelDir: string;
  readonly prefixes: TextPrefixes;
  /** Default token limit (special tokens included). */
  readonly maxLength: number;
  /** @internal Used by `saveTrainableEncoder`. */
  readonly layout: WeightsLayout;
  readonly #weights: BertWeights;
  readonly #seed: number;
  #forwardCalls = 0;
  #disposed = false;
  #frozenEmbeddings = false;
  #frozenLayers = 0;

  constructor(parts: TrainableEncoderParts) {
    this.name = parts.name;
    this.dim = parts.config.hiddenSize;
    this.config = parts.config;
    this.#weights = parts.weights;
    this.layout = parts.layout;
    this.tokenizer = parts.tokenizer;
    this.modelDir = parts.modelDir;
    this.prefixes = parts.prefixes;
    this.maxLength = parts.maxLength;
    this.#seed = parts.seed;
  }

  /**
   * sha256 of what determines the vectors: the name, config.json, prefixes, max length, pooling
   * (mean) and normalisation (L2), and the CURRENT value of every weight. Weights change under
   * training, so it is computed on each read (it downloads every variable: about 130 MB for
   * e5-small); read it once per use, e.g. when opening an embedding cache.
   *
   * @throws {@link EncoderDisposedError} after {@link dispose}.
   */
  get fingerprint(): string {
    const weights = this.#check('fingerprint');
    const hash = createHash('sha256').update(
      JSON.stringify({
        name: this.name,
        config: this.config.raw,
        prefixes: this.prefixes,
        maxLength: this.maxLength,
        pooling: 'mean',
        normalize: true,
      }),
    );
    for (const v of allVariables(weights)) {
      const data = v.dataSync();
      hash.update(v.name).update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    return hash.digest('hex');
  }

  #check(where: string): BertWeights {
    if (this.#disposed) throw new EncoderDisposedError(`TrainableEncoder.${where}`);
    return this.#weights;
  }

  /**
   * Exclude parameters from training: the embeddings and/or the lowest `layers` encoder layers
   * (their variables get `trainable = false` and leave {@link trainableVariables}). On the CPU
   * backends this is the main speed lever: backward stops at the first trainable layer.
   * Each call replaces the previous setting; `freeze({})` unfreezes everything.
   *
   * @throws {@link EncoderInputError} when `layers` is not an integer in [0, numHiddenLayers].
   * @example
   * ```ts
   * encoder.freeze({ embeddings: true, layers: 6 }); // train the top 6 of 12 layers
   * ```
   */
  freeze(options: FreezeOptions): void {
    const weights = this.#check('freeze');
    const layers = options.layers ?? 0;
    if (!Number.isInteger(layers) || layers < 0 || layers > this.config.numHiddenLayers) {
      throw new EncoderInputError(
        'TrainableEncoder.freeze',
        'layers',
        `expected an integer in [0, ${this.config.numHiddenLayers}], received ${String(layers)}.`,
      );
    }
    this.#frozenEmbeddings = options.embeddings === true;
    this.#frozenLayers = layers;
    for (const v of Object.values(weights.embeddings) as tf.Variable[])
      v.trainable = !this.#frozenEmbeddings;
    weights.layers.forEach((layer, i) => {
      for (const v of Object.values(layer) as tf.Variable[]) v.trainable = i >= layers;
    });
  }

  /** The current {@link freeze} setting. */
  get frozen(): Required<FreezeOptions> {
    return { embeddings: this.#frozenEmbeddings, layers: this.#frozenLayers };
  }

  /**
   * The variables an optimiser should update: all of them minus the frozen ones, embeddings
   * first, then layer by layer.
   *
   * @example
   * ```ts
   * const { value, grads } = tf.variableGrads(() => loss(encoder), encoder.trainableVariables());
   * ```
   */
  trainableVariables(): tf.Variable[] {
    return allVariables(this.#check('trainableVariables')).filter((v) => v.trainable);
  }

  /** Every variable of the model, frozen or not (for checkpoints and weight-decay masks). */
  variables(): tf.Variable[] {
    return allVariables(this.#check('variables'));
  }

  #validate(batch: TokenBatch, where: string): void {
    const { batchSize, length, inputIds, attentionMask, tokenTypeIds } = batch;
    const fail = (argument: string, detail: string): never => {
      throw new EncoderInputError(where, argument, detail);
    };
    if (!Number.isInteger(batchSize) || batchSize < 1)
      fail('batchSize', `expected an integer ≥ 1, received ${batchSize}.`);
    if (!Number.isInteger(length) || length < 1)
      fail('length', `expected an integer ≥ 1, received ${length}.`);
    if (length > this.config.maxPositionEmbeddings) {
      fail(
        'length',
        `${length} tokens exceed the ${this.config.maxPositionEmbeddings} position embeddings; tokenize with maxLength ≤ ${this.config.maxPositionEmbeddings}.`,
      );
    }
    const n = batchSize * length;
    for (const [name, arr] of [
      ['inputIds', inputIds],
      ['attentionMask', attentionMask],
      ['tokenTypeIds', tokenTypeIds],
    ] as const) {
      if (arr !== undefined && arr.length !== n) {
        fail(
          name,
          `expected batchSize × length = ${batchSize} × ${length} = ${n} values, received ${arr.length}.`,
        );
      }
    }
    const vocab = this.config.vocabSize;
    for (let i = 0; i < n; i++) {
      const id = inputIds[i]!;
      if (id < 0 || id >= vocab)
        fail('inputIds', `id ${id} at position ${i} is outside the vocabulary [0, ${vocab}).`);
      const m = attentionMask[i]!;
      if (m !== 0 && m !== 1) fail('attentionMask', `value ${m} at position ${i} is not 0 or 1.`);
    }
    if (tokenTypeIds !== undefined) {
      for (let i = 0; i < n; i++) {
        const t = tokenTypeIds[i]!;
        if (t < 0 || t >= this.config.typeVocabSize) {
          fail(
            'tokenTypeIds',
            `id ${t} at position ${i} is outside [0, ${this.config.typeVocabSize}).`,
          );
        }
      }
    }
  }

  /** Dropout whose mask depends only on `seed`, so a recomputed layer draws the same masks. */
  #dropout<T extends tf.Tensor>(x: T, rate: number, seed: number | undefined): T {
    if (seed === undefined || rate === 0) return x;
    return tf.dropout(x, rate, undefined, seed) as T;
  }

  /**
   * Bytes the layers keep for the backward pass of a `forward` on `batchSize` rows of `length`
   * tokens without checkpointing (float32; what decides the wasm default of `checkpoint`).
   * Per token and layer: 7·H (input, q, k, v, context, two normalised sums) + heads·T attention
   * probabilities + I activations before GELU (and Φ of them), plus the dropout masks in
   * training: 2·H and heads·T; per token once, ≈ 11·H for the embeddings (the sums, LayerNorm
   * and dropout, as TF.js's tape keeps them; measured on tiny-bert).
   */
  savedActivationBytes(batchSize: number, length: number, training = true): number {
    const c = this.config;
    const spec = this.#layerSpec(batchSize, length, training ? 0 : undefined);
    const perLayer = savedFloatsPerToken(spec, c.hiddenSize, c.intermediateSize);
    const embeddings = 11 * c.hiddenSize;
    return 4 * (perLayer * c.numHiddenLayers + embeddings) * batchSize * length;
  }

  /** The settings of every layer call for a batch; `seed` undefined: no dropout. */
  #layerSpec(batch: number, length: number, seed: number | undefined): LayerSpec {
    return {
      batch,
      length,
      heads: this.config.numAttentionHeads,
      eps: this.config.layerNormEps,
      activation: this.config.hiddenAct === 'gelu' ? 'gelu' : 'relu',
      hiddenDropout: this.config.hiddenDropoutProb,
      attentionDropout: this.config.attentionProbsDropoutProb,
      seed,
    };
  }

  /**
   * The last hidden state `[batchSize, length, hiddenSize]` for a batch of token ids, padded
   * positions included (they hold what PyTorch computes there; pooling ignores them).
   *
   * @throws {@link EncoderInputError} for lengths that do not match, ids outside the vocabulary,
   *   masks other than 0/1, or rows longer than the position table.
   * @example
   * ```ts
   * const hidden = encoder.forward(encoder.tokenizer.encodeBatch(['query: hi'], { maxLength: 512 }));
   * hidden.shape; // [1, 5, 32]
   * ```
   */
  forward(batch: TokenBatch, options: ForwardOptions = {}): tf.Tensor3D {
    const weights = this.#check('forward');
    this.#validate(batch, 'TrainableEncoder.forward');
    const training = options.training === true;
    const { batchSize: b, length: t } = batch;
    const h = this.config.hiddenSize;
    const checkpoint =
      options.checkpoint ??
      (tf.getBackend() === 'wasm' &&
        training &&
        tf.memory().numBytes + this.savedActivationBytes(b, t, training) >
          WASM_PLAIN_PASS_BUDGET_BYTES);
    prepareWasmBackend();
    return tf.tidy(() => {
      const e = weights.embeddings;
      const ids = tf.tensor1d(batch.inputIds, 'int32');
      const word = embeddingLookup(e.word, ids);
      const positions = tf.slice(e.position, [0, 0], [t, h]); // [T, H], broadcast over the batch
      const types =
        batch.tokenTypeIds === undefined
          ? tf.slice(e.tokenType, [0, 0], [1, h]) // every token has type 0: one row, broadcast
          : tf.reshape(embeddingLookup(e.tokenType, tf.tensor1d(batch.tokenTypeIds, 'int32')), [
              b,
              t,
              h,
            ]);
      const summed = tf.add(tf.add(tf.reshape(word, [b, t, h]), positions), types);
      // Each forward pass in training mode takes a fresh block of dropout seeds.
      const seed = !training
        ? undefined
        : (options.dropoutSeed ?? (this.#seed * 1_000_003 + this.#forwardCalls++ * 64) % 2 ** 31);
      let x = layerNorm(tf.reshape(summed, [b * t, h]), e.lnG, e.lnB, this.config.layerNormEps);
      x = this.#dropout(x, this.config.hiddenDropoutProb, seed);
      const mask = tf.tensor1d(batch.attentionMask, 'float32');
      const bias = tf.reshape<tf.Rank.R4>(tf.mul(tf.sub(1, mask), MASK_VALUE), [b, 1, 1, t]);
      weights.layers.forEach((layer, i) => {
        const layerSeed = seed === undefined ? undefined : seed + 4 * (i + 1);
        const input = x;
        // A tidy per layer frees each layer's intermediates as soon as it is done (what the
        // gradient tape needs is kept by the tape itself).
        x = tf.tidy(() =>
          encoderLayer(
            input,
            bias,
            layer,
            this.#layerSpec(b, t, layerSeed),
            checkpoint && training,
          ),
        );
      });
      return tf.reshape(x, [b, t, h]);
    });
  }

  /**
   * Sentence embeddings `[batchSize, hiddenSize]`: the mean of the last hidden state over the
   * positions whose attention mask is 1, then L2-normalised (E5's `average_pool`, as the intfloat/e5-small-v2 model card shows). A row with
   * no real token would divide by zero; the count is clamped to 1e-9 as sentence-transformers does.
   *
   * @example
   * ```ts
   * const e = encoder.embedBatch(encoder.tokenizer.encodeBatch(['query: a', 'query: b'], { maxLength: 64 }));
   * e.shape; // [2, 32], unit rows
   * ```
   */
  embedBatch(batch: TokenBatch, options: ForwardOptions = {}): tf.Tensor2D {
    return tf.tidy(() => {
      const hidden = this.forward(batch, options);
      const mask = tf.reshape(
        tf.tensor2d(batch.attentionMask, [batch.batchSize, batch.length], 'float32'),
        [batch.batchSize, batch.length, 1],
      );
      const pooled = tf.div(tf.sum(tf.mul(hidden, mask), 1), tf.maximum(tf.sum(mask, 1), 1e-9));
      const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(pooled), 1, true), 1e-24));
      return tf.div<tf.Tensor2D>(pooled, norm);
    });
  }

  /**
   * Tokenize texts with the role's prefix (default `query`) and return their embeddings (see
   * {@link embedBatch}), differentiable when called under `tf.variableGrads`.
   *
   * @throws {@link EncoderInputError} for an empty list or a bad `maxLength`.
   * @example
   * ```ts
   * const p = encoder.embedTexts(['The city has two million people.'], { role: 'passage', training: true });
   * ```
   */
  embedTexts(texts: readonly string[], options: EmbedTextsOptions = {}): tf.Tensor2D {
    this.#check('embedTexts');
    if (texts.length === 0)
      throw new EncoderInputError(
        'TrainableEncoder.embedTexts',
        'texts',
        'expected at least one text.',
      );
    const batch = this.tokenize(texts, options.role ?? 'query', options.maxLength);
    return this.embedBatch(batch, options);
  }

  /**
   * Tokenize texts after adding the role's prefix (default `query`), truncated to `maxLength`
   * tokens.
   *
   * @example
   * ```ts
   * encoder.tokenize(['what is a debian package'], 'query').length; // 9
   * ```
   */
  tokenize(
    texts: readonly string[],
    role: TextRole = 'query',
    maxLength: number = this.maxLength,
  ): TokenBatch {
    if (
      !Number.isInteger(maxLength) ||
      maxLength < 3 ||
      maxLength > this.config.maxPositionEmbeddings
    ) {
      throw new EncoderInputError(
        'TrainableEncoder.tokenize',
        'maxLength',
        `expected an integer in [3, ${this.config.maxPositionEmbeddings}], received ${String(maxLength)}.`,
      );
    }
    if (!TEXT_ROLES.includes(role)) {
      throw new EncoderInputError(
        'TrainableEncoder.tokenize',
        'role',
        `expected "query" or "passage", received ${JSON.stringify(role)}.`,
      );
    }
    const prefix = this.prefixes[role];
    return this.tokenizer.encodeBatch(
      texts.map((t) => prefix + t),
      { maxLength },
    );
  }

  /**
   * Inference (the `TextEmbedder` method): embeddings as plain `Float32Array`s (one row per
   * text, in input order), computed in batches of texts sorted by length (less padding), without
   * dropout and without leaving tensors. `role` defaults to `query`; `batchSize` to 32.
   *
   * @example
   * ```ts
   * const [v] = await encoder.encode(['what is a debian package'], { role: 'query' });
   * v.length; // 32 (hidden size), unit norm
   * ```
   */
  async encode(
    texts: readonly string[],
    options: EncodeTextsOptions = {},
  ): Promise<Float32Array[]> {
    this.#check('encode');
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new EncoderInputError(
        'TrainableEncoder.encode',
        'batchSize',
        `expected an integer ≥ 1, received ${batchSize}.`,
      );
    }
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    const out: Float32Array[] = new Array<Float32Array>(texts.length);
    const h = this.config.hiddenSize;
    for (let start = 0; start < order.length; start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      const batch = this.tokenize(
        idx.map((i) => texts[i]!),
        options.role ?? 'query',
        options.maxLength,
      );
      const embeddings = this.embedBatch(batch);
      const data = (await embeddings.data()) as Float32Array;
      embeddings.dispose();
      idx.forEach((i, row) => {
        out[i] = data.slice(row * h, (row + 1) * h);
      });
      options.onProgress?.(Math.min(start + batchSize, texts.length), texts.length);
    }
    return out;
  }

  /** Free every variable. Later calls throw {@link EncoderDisposedError}. */
  dispose(): void {
    if (this.#disposed) return;
    for (const v of allVariables(this.#weights)) v.dispose();
    this.#disposed = true;
  }

  /** True after {@link dispose}. */
  get isDisposed(): boolean {
    return this.#disposed;
  }
}
