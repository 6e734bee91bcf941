import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join, relative } from 'node:path';
import { AutoModel, Tensor, type PreTrainedModel } from '@huggingface/transformers';
import type { ProgressCallback } from '@rtk/retrieval';
import { hashText, type EmbeddingCache } from './embedding-cache.js';
import {
  InvalidEncoderOptionError,
  InvalidInputError,
  ModelFileCorruptError,
  ModelOutputError,
  UnsupportedModelError,
} from './errors.js';
import {
  resolveModelFolder,
  type EncoderDtype,
  type ResolveModelOptions,
  type ResolvedModel,
} from './model-source.js';
import { poolEmbeddings, POOLINGS, type Pooling } from './pooling.js';
import { loadTokenizer, type TextTokenizer } from './tokenizer.js';

/** The default model: English E5 small v2 (384 dimensions, 33M parameters). */
export const DEFAULT_ENCODER_MODEL = 'intfloat/e5-small-v2';

/** E5's instruction prefixes: queries and passages are embedded differently. */
export const E5_PREFIXES: TextPrefixes = Object.freeze({ query: 'query: ', passage: 'passage: ' });

/**
 * `model_type` values (config.json) of the BERT-family encoders this runs: one ONNX graph
 * taking `input_ids` + `attention_mask` (+ `token_type_ids`) and returning `last_hidden_state`.
 */
export const SUPPORTED_MODEL_TYPES: readonly string[] = Object.freeze([
  'bert',
  'roberta',
  'xlm-roberta',
  'camembert',
  'distilbert',
  'electra',
  'mpnet',
]);

/** Which side of a retrieval pair a text is; selects the prefix. */
export type TextRole = 'query' | 'passage';

/** Strings put in front of every text of a role before tokenizing. */
export interface TextPrefixes {
  readonly query: string;
  readonly passage: string;
}

/** Options for {@link loadSentenceEncoder}. */
export interface SentenceEncoderOptions extends ResolveModelOptions {
  /** Hub id (`owner/name`) or model folder. Default {@link DEFAULT_ENCODER_MODEL}. */
  readonly model?: string;
  /** Role prefixes; default {@link E5_PREFIXES}; `false` for models trained without them. */
  readonly prefixes?: TextPrefixes | false;
  /** `mean` (default, E5) or `cls`. */
  readonly pooling?: Pooling;
  /** L2-normalise embeddings (default true, so inner product = cosine). */
  readonly normalize?: boolean;
  /**
   * Longest input in tokens, special tokens included; longer texts are truncated. Default 512,
   * capped by the tokenizer's `model_max_length` and the model's `max_position_embeddings`.
   */
  readonly maxLength?: number;
  /** ONNX Runtime intra-op threads. Default: `os.availableParallelism()`. */
  readonly threads?: number;
  /**
   * Let ONNX Runtime's idle worker threads spin (busy-wait) for work. Default false: on a shared
   * or busy CPU spinning steals time from the threads doing the work (measured ~18% slower at
   * length 128 on a loaded 2-core machine), the same reason PyTorch references set
   * `OMP_WAIT_POLICY=PASSIVE`. Try true on an idle machine with cores to spare.
   */
  readonly spinWait?: boolean;
}

/** Everything that determines an embedding, recorded with results and used as the cache key. */
export interface EncoderSettings {
  readonly model: string;
  /** Hub commit for hub models; `local` for folders (the cache then keys on {@link SentenceEncoder.fingerprint}). */
  readonly revision: string;
  readonly source: 'hub' | 'local';
  readonly dtype: EncoderDtype;
  readonly maxLength: number;
  readonly prefixes: TextPrefixes | false;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  /** Embedding width. */
  readonly dim: number;
  /** The ONNX file, relative to the model folder. */
  readonly onnxFile: string;
}

/** Options for {@link SentenceEncoder.encode}. */
export interface EncodeOptions {
  /** `query` or `passage`: picks the prefix. Required, since E5 embeds the two differently. */
  readonly role: TextRole;
  /** Texts per ONNX run (default 32). Texts are grouped by length, so padding stays small. */
  readonly batchSize?: number;
  /** Called after each batch with (texts done, total); cached texts count as done at once. */
  readonly onProgress?: ProgressCallback;
  /** Reuse and store embeddings here; texts already in it are not encoded again. */
  readonly cache?: EmbeddingCache;
}

/** A loaded sentence encoder; see {@link loadSentenceEncoder}. */
export interface SentenceEncoder {
  readonly settings: EncoderSettings;
  /** Embedding width (384 for e5-small). */
  readonly dim: number;
  /** Folder the model was loaded from. */
  readonly dir: string;
  /** How many texts went through the model since loading (cache hits excluded). */
  readonly textsEncoded: number;
  /**
   * Embed texts: `texts.length × dim` float32 values, row `i` for `texts[i]`, whatever order
   * the batches ran in. An empty array returns an empty result without running the model; an
   * empty string is encoded as `[CLS] [SEP]` (plus the prefix), like any other text.
   */
  encode(texts: readonly string[], options: EncodeOptions): Promise<Float32Array>;
  /** sha256 of the ONNX graph, tokenizer.json and config.json (computed once, on first call). */
  fingerprint(): Promise<string>;
  /** Release the ONNX session. */
  dispose(): Promise<void>;
}

const DEFAULT_MAX_LENGTH = 512;
const DEFAULT_BATCH_SIZE = 32;
/** Cache packs are written every this many newly encoded texts, so an interrupted run keeps its work. */
const CACHE_FLUSH_TEXTS = 2048;

interface ModelConfig {
  readonly model_type?: unknown;
  readonly max_position_embeddings?: unknown;
  readonly hidden_size?: unknown;
}

function checkPositiveInt(
  value: unknown,
  option: string,
  where: string,
  min = 1,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidEncoderOptionError(option, where, `an integer ≥ ${min}`, value);
  }
}

function checkPrefixes(prefixes: unknown): asserts prefixes is TextPrefixes | false {
  if (prefixes === false) return;
  const p = prefixes as Partial<TextPrefixes> | null;
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.query !== 'string' ||
    typeof p.passage !== 'string'
  ) {
    throw new InvalidEncoderOptionError(
      'prefixes',
      'loadSentenceEncoder',
      '{ query: string, passage: string } or false',
      prefixes,
    );
  }
}

async function sha256File(path: string, hash: ReturnType<typeof createHash>): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

function toInt64(values: Int32Array): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]!);
  return out;
}

class OnnxSentenceEncoder implements SentenceEncoder {
  readonly settings: EncoderSettings;
  readonly dim: number;
  readonly dir: string;
  #textsEncoded = 0;
  readonly #model: PreTrainedModel;
  readonly #tokenizer: TextTokenizer;
  readonly #resolved: ResolvedModel;
  readonly #needsTokenTypes: boolean;
  #fingerprint: Promise<string> | undefined;

  constructor(
    model: PreTrainedModel,
    tokenizer: TextTokenizer,
    resolved: ResolvedModel,
    settings: EncoderSettings,
    needsTokenTypes: boolean,
  ) {
    this.#model = model;
    this.#tokenizer = tokenizer;
    this.#resolved = resolved;
    this.settings = settings;
    this.dim = settings.dim;
    this.dir = resolved.dir;
    this.#needsTokenTypes = needsTokenTypes;
  }

  get textsEncoded(): number {
    return this.#textsEncoded;
  }

  fingerprint(): Promise<string> {
    this.#fingerprint ??= (async () => {
      const hash = createHash('sha256');
      for (const path of [
        this.#resolved.onnxPath,
        join(this.dir, 'tokenizer.json'),
        join(this.dir, 'config.json'),
      ]) {
        await sha256File(path, hash);
      }
      return hash.digest('hex');
    })();
    return this.#fingerprint;
  }

  async dispose(): Promise<void> {
    await this.#model.dispose();
  }

  async encode(texts: readonly string[], options: EncodeOptions): Promise<Float32Array> {
    const where = 'SentenceEncoder.encode';
    if (!Array.isArray(texts))
      throw new InvalidEncoderOptionError('texts', where, 'an array of strings', texts);
    if (options.role !== 'query' && options.role !== 'passage') {
      throw new InvalidEncoderOptionError('role', where, "'query' or 'passage'", options.role);
    }
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    checkPositiveInt(batchSize, 'batchSize', where);
    texts.forEach((t, i) => {
      if (typeof t !== 'string') throw new InvalidInputError(i, where, t);
    });
    const { dim } = this;
    const n = texts.length;
    const out = new Float32Array(n * dim);
    if (n === 0) return out;
    const prefix = this.settings.prefixes === false ? '' : this.settings.prefixes[options.role];
    const inputs = texts.map((t) => prefix + t);

    // Cache: fill hits, keep the indices still to encode.
    const cache = options.cache;
    if (cache !== undefined && cache.dim !== dim) {
      throw new InvalidEncoderOptionError(
        'cache',
        where,
        `a cache of width ${dim} opened with openEmbeddingCache(root, encoder)`,
        `width ${cache.dim}`,
      );
    }
    const hashes = cache === undefined ? undefined : inputs.map(hashText);
    let todo: number[] = [];
    if (cache !== undefined && hashes !== undefined) {
      for (let i = 0; i < n; i++) {
        const hit = cache.get(hashes[i]!);
        if (hit === undefined) todo.push(i);
        else out.set(hit, i * dim);
      }
    } else {
      todo = Array.from({ length: n }, (_, i) => i);
    }
    let done = n - todo.length;
    options.onProgress?.(done, n);

    // Longest first (as sentence-transformers): batches of similar length pad little, and a
    // too-long batch fails at once rather than at the end.
    todo.sort((a, b) => inputs[b]!.length - inputs[a]!.length || a - b);
    let pending: number[] = [];
    for (let start = 0; start < todo.length; start += batchSize) {
      const rows = todo.slice(start, start + batchSize);
      const pooled = await this.#run(rows.map((i) => inputs[i]!));
      rows.forEach((i, r) => out.set(pooled.subarray(r * dim, (r + 1) * dim), i * dim));
      this.#textsEncoded += rows.length;
      done += rows.length;
      if (cache !== undefined) {
        pending.push(...rows);
        if (pending.length >= CACHE_FLUSH_TEXTS) {
          await this.#flush(cache, pending, hashes!, out);
          pending = [];
        }
      }
      options.onProgress?.(done, n);
    }
    if (cache !== undefined && pending.length > 0) await this.#flush(cache, pending, hashes!, out);
    return out;
  }

  async #flush(
    cache: EmbeddingCache,
    rows: readonly number[],
    hashes: readonly string[],
    out: Float32Array,
  ): Promise<void> {
    const { dim } = this;
    const vectors = new Float32Array(rows.length * dim);
    rows.forEach((i, r) => vectors.set(out.subarray(i * dim, (i + 1) * dim), r * dim));
    await cache.put(
      rows.map((i) => hashes[i]!),
      vectors,
    );
  }

  async #run(batch: readonly string[]): Promise<Float32Array> {
    const enc = this.#tokenizer.encodeBatch(batch, { maxLength: this.settings.maxLength });
    const dims = [enc.batchSize, enc.length];
    const feeds: Record<string, Tensor> = {
      input_ids: new Tensor('int64', toInt64(enc.inputIds), dims),
      attention_mask: new Tensor('int64', toInt64(enc.attentionMask), dims),
    };
    if (this.#needsTokenTypes)
      feeds['token_type_ids'] = new Tensor('int64', new BigInt64Array(enc.inputIds.length), dims);
    const result = (await this.#model(feeds)) as Record<string, Tensor | undefined>;
    const hidden = result['last_hidden_state'];
    const where = this.#resolved.onnxPath;
    if (hidden === undefined)
      throw new ModelOutputError(where, `the graph returned ${Object.keys(result).join(', ')}`);
    const shape = hidden.dims;
    if (
      !(hidden.data instanceof Float32Array) ||
      shape.length !== 3 ||
      shape[0] !== enc.batchSize ||
      shape[1] !== enc.length ||
      shape[2] !== this.dim
    ) {
      throw new ModelOutputError(
        where,
        `last_hidden_state is ${hidden.type} [${shape.join(', ')}] for a batch of [${dims.join(', ')}]`,
      );
    }
    const pooled = poolEmbeddings(hidden.data, enc.attentionMask, {
      batchSize: enc.batchSize,
      length: enc.length,
      hidden: this.dim,
      pooling: this.settings.pooling,
      normalize: this.settings.normalize,
    });
    hidden.dispose();
    return pooled;
  }
}

async function readConfig(dir: string): Promise<ModelConfig> {
  const path = join(dir, 'config.json');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ModelConfig;
  } catch (err) {
    throw new ModelFileCorruptError(path, 'a JSON model configuration', { cause: err });
  }
}

/**
 * Load a BERT-family sentence encoder (E5 by default) for inference with ONNX Runtime through
 * transformers.js (`@huggingface/transformers`).
 *
 * What an embedding is: `prefix + text` is tokenized (truncated to `maxLength` keeping `[SEP]`),
 * run through the ONNX graph, and its `last_hidden_state` mean-pooled over the attention mask
 * and L2-normalised — the recipe E5 and sentence-transformers use, so cosine = inner product.
 * The model files come from {@link resolveModelFolder} (a folder, or a hub id through the HF
 * cache; offline works from the cache with no network call), and transformers.js loads the
 * folder with `local_files_only`, so it never downloads anything itself.
 *
 * Relations: {@link DenseRetriever} wraps an encoder into a `Retriever`; {@link EmbeddingCache}
 * skips texts already encoded with the same settings.
 *
 * @throws {@link ModelFileMissingError}, {@link ModelFileCorruptError} for missing or broken files.
 * @throws {@link UnsupportedModelError} when config.json's `model_type` is not in
 *   {@link SUPPORTED_MODEL_TYPES} or the graph lacks the needed inputs/outputs.
 * @throws {@link InvalidEncoderOptionError} for bad options; `HubError`s for download problems.
 * @example
 * ```ts
 * const encoder = await loadSentenceEncoder({ model: 'fixtures/tiny-bert' });
 * const e = await encoder.encode(['how many people live in the city'], { role: 'query' });
 * console.log(encoder.dim, e.length, e.slice(0, 3));
 * // 32 32 Float32Array(3) [ 0.1148…, -0.0942…, -0.1249… ]   (the random tiny test model)
 * ```
 */
export async function loadSentenceEncoder(
  options: SentenceEncoderOptions = {},
): Promise<SentenceEncoder> {
  const where = 'loadSentenceEncoder';
  const prefixes = options.prefixes ?? E5_PREFIXES;
  checkPrefixes(prefixes);
  const pooling = options.pooling ?? 'mean';
  if (!POOLINGS.includes(pooling))
    throw new InvalidEncoderOptionError('pooling', where, `one of ${POOLINGS.join(', ')}`, pooling);
  const normalize = options.normalize ?? true;
  const requestedMax = options.maxLength ?? DEFAULT_MAX_LENGTH;
  checkPositiveInt(requestedMax, 'maxLength', where, 3);
  const threads = options.threads ?? availableParallelism();
  checkPositiveInt(threads, 'threads', where);
  if (options.spinWait !== undefined && typeof options.spinWait !== 'boolean') {
    throw new InvalidEncoderOptionError('spinWait', where, 'a boolean', options.spinWait);
  }
  const spin = options.spinWait === true ? '1' : '0';

  const resolved = await resolveModelFolder(options.model ?? DEFAULT_ENCODER_MODEL, options);
  const config = await readConfig(resolved.dir);
  if (typeof config.model_type !== 'string' || !SUPPORTED_MODEL_TYPES.includes(config.model_type)) {
    throw new UnsupportedModelError(
      join(resolved.dir, 'config.json'),
      `model_type ${JSON.stringify(config.model_type)} is not a supported encoder; expected one of ${SUPPORTED_MODEL_TYPES.join(', ')}. ` +
        'Use a BERT-family embedding model (E5, BGE, GTE, MiniLM).',
    );
  }
  const tokenizer = await loadTokenizer(resolved.dir);
  const caps = [
    requestedMax,
    tokenizer.modelMaxLength,
    typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : undefined,
  ];
  const maxLength = Math.min(...caps.filter((c): c is number => c !== undefined));

  const onnxFile = relative(resolved.dir, resolved.onnxPath).split('\\').join('/');
  const subfolder = onnxFile.includes('/') ? onnxFile.slice(0, onnxFile.lastIndexOf('/')) : '';
  const fileName = basename(onnxFile, '.onnx');
  const suffixStart = fileName.indexOf('_');
  let model: PreTrainedModel;
  try {
    model = await AutoModel.from_pretrained(resolved.dir, {
      local_files_only: true,
      dtype: resolved.dtype,
      subfolder,
      model_file_name: suffixStart < 0 ? fileName : fileName.slice(0, suffixStart),
      session_options: {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        extra: {
          session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } },
        },
      },
    });
  } catch (err) {
    throw new ModelFileCorruptError(resolved.onnxPath, 'an ONNX graph ONNX Runtime can load', {
      cause: err,
    });
  }
  const session = (
    model as unknown as {
      sessions: Record<string, { inputNames: string[]; outputNames: string[] } | undefined>;
    }
  ).sessions['model'];
  const inputNames = session?.inputNames ?? [];
  const outputNames = session?.outputNames ?? [];
  if (
    !inputNames.includes('input_ids') ||
    !inputNames.includes('attention_mask') ||
    !outputNames.includes('last_hidden_state')
  ) {
    await model.dispose();
    throw new UnsupportedModelError(
      resolved.onnxPath,
      `the graph has inputs [${inputNames.join(', ')}] and outputs [${outputNames.join(', ')}]; expected inputs input_ids, attention_mask ` +
        '(token_type_ids optional) and output last_hidden_state. Export it as a feature-extraction model.',
    );
  }
  const dim = typeof config.hidden_size === 'number' ? config.hidden_size : Number.NaN;
  if (!Number.isInteger(dim) || dim < 1) {
    await model.dispose();
    throw new ModelFileCorruptError(
      join(resolved.dir, 'config.json'),
      'a model configuration with an integer hidden_size',
    );
  }
  const settings: EncoderSettings = {
    model: resolved.model,
    revision: resolved.revision ?? 'local',
    source: resolved.source,
    dtype: resolved.dtype,
    maxLength,
    prefixes: prefixes === false ? false : { query: prefixes.query, passage: prefixes.passage },
    pooling,
    normalize,
    dim,
    onnxFile,
  };
  return new OnnxSentenceEncoder(
    model,
    tokenizer,
    resolved,
    settings,
    inputNames.includes('token_type_ids'),
  );
}
