import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { firstLine } from '@rtk/errors';
import { HubNotFoundError } from '@rtk/hub';
import { readSafetensors } from '@rtk/safetensors';
import { AutoModel, Tensor, type PreTrainedModel } from '@huggingface/transformers';
import {
  E5_PREFIXES,
  TEXT_ROLES,
  type EmbedOptions,
  type TextEmbedder,
  type TextPrefixes,
} from '@rtk/retrieval';
import { BERT_ONNX_OPSET } from './bert-onnx-graph.js';
import {
  InvalidEncoderOptionError,
  InvalidInputError,
  ModelFileCorruptError,
  ModelFileMissingError,
  ModelOutputError,
  OnnxExportError,
  UnsupportedModelError,
} from './errors.js';
import { EXPORT_DTYPES, exportOnnxFromWeights, readBertConfig } from './export-onnx.js';
import {
  ENCODER_DTYPES,
  resolveModelFolder,
  type EncoderDtype,
  type ResolveModelOptions,
  type ResolvedModel,
} from './model-source.js';
import { poolEmbeddings, POOLINGS, type Pooling } from './pooling.js';
import { readPoolingConfig } from './pooling-config.js';
import { loadTokenizer, type TextTokenizer } from './tokenizer.js';
import { graphSignature } from './_transformers-internals.js';

/** The default model: English E5 small v2 (384 dimensions, 33M parameters). */
export const DEFAULT_ENCODER_MODEL = 'intfloat/e5-small-v2';

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

/** Options for {@link loadSentenceEncoder}. */
export interface SentenceEncoderOptions extends ResolveModelOptions {
  /** Hub id (`owner/name`) or model folder. Default {@link DEFAULT_ENCODER_MODEL}. */
  readonly model?: string;
  /** Role prefixes; default `E5_PREFIXES` (`@rtk/retrieval`); `false` for models trained without them. */
  readonly prefixes?: TextPrefixes | false;
  /**
   * `mean`, `cls` or `max`. Default: what the folder's sentence-transformers config says
   * (`modules.json` → the Pooling module's `config.json`), else `mean` (E5). Recorded in
   * `settings.pooling`, and where it came from in `settings.poolingSource`.
   */
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
  /**
   * When the model has `model.safetensors` but no usable ONNX graph (none for the dtype, or one
   * without the inputs/outputs needed), a BERT graph is exported from the weights into this
   * folder (one subfolder per export, keyed by model, revision and the sha256 of config.json and
   * model.safetensors) and used. Default: beside the snapshots in the Hugging Face cache
   * (`models--owner--name/rtk-onnx/`) for hub models, `os.tmpdir()/rtk-onnx-exports` for local
   * folders. `fp32` and `q8` only.
   */
  readonly exportCacheDir?: string;
  /** Where messages go (an export made or reused); default `hub.onLog`. */
  readonly onLog?: (message: string) => void;
}

/** Everything that determines an embedding, recorded with results and used as the cache key. */
export interface EncoderSettings {
  readonly model: string;
  /** Hub commit for hub models; `local` for folders ({@link SentenceEncoder.fingerprint} hashes the files either way). */
  readonly revision: string;
  readonly source: 'hub' | 'local';
  readonly dtype: EncoderDtype;
  readonly maxLength: number;
  readonly prefixes: TextPrefixes | false;
  readonly pooling: Pooling;
  /**
   * Where {@link pooling} came from: `option` (passed to {@link loadSentenceEncoder}),
   * `sentence-transformers` (the folder's Pooling config, as sentence-transformers reads it) or
   * `default` (neither: `mean`).
   */
  readonly poolingSource: 'option' | 'sentence-transformers' | 'default';
  readonly normalize: boolean;
  /** Embedding width. */
  readonly dim: number;
  /** The ONNX file, relative to the model folder. */
  readonly onnxFile: string;
  /** Present when the graph was exported from `model.safetensors` (the repo had no usable one). */
  readonly exported?: true;
}

/**
 * A loaded sentence encoder (see {@link loadSentenceEncoder}): a `TextEmbedder` of
 * `@rtk/retrieval`, so `DenseRetriever` and the embedding cache take it.
 */
export interface SentenceEncoder extends TextEmbedder {
  readonly settings: EncoderSettings;
  /** The model id or folder (`settings.model`). */
  readonly name: string;
  /** Embedding width (384 for e5-small). */
  readonly dim: number;
  /**
   * sha256 of the settings and of the ONNX graph, tokenizer.json, config.json (and the Pooling
   * config when one was read), computed once at load: it changes whenever the vectors would.
   */
  readonly fingerprint: string;
  /** Folder the model was loaded from. */
  readonly dir: string;
  /** How many texts went through the model since loading. */
  readonly textsEncoded: number;
  /**
   * Embed texts: one row of {@link dim} float32 values per text, in input order, whatever order
   * the batches ran in. `role` picks the prefix (default `query`, see `EmbedOptions`);
   * `batchSize` texts per ONNX run (default 32; texts are grouped by length, so padding stays
   * small); `onProgress(done, total)` after each batch. An empty array returns `[]` without
   * running the model; an empty string is encoded as `[CLS] [SEP]` (plus the prefix).
   */
  encode(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
  /** Release the ONNX session. */
  dispose(): Promise<void>;
}

const DEFAULT_MAX_LENGTH = 512;
const DEFAULT_BATCH_SIZE = 32;

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
  readonly name: string;
  readonly dim: number;
  readonly dir: string;
  readonly fingerprint: string;
  #textsEncoded = 0;
  readonly #model: PreTrainedModel;
  readonly #tokenizer: TextTokenizer;
  readonly #resolved: ResolvedModel;
  readonly #needsTokenTypes: boolean;

  constructor(
    model: PreTrainedModel,
    tokenizer: TextTokenizer,
    resolved: ResolvedModel,
    settings: EncoderSettings,
    needsTokenTypes: boolean,
    fingerprint: string,
  ) {
    this.#model = model;
    this.#tokenizer = tokenizer;
    this.#resolved = resolved;
    this.settings = settings;
    this.name = settings.model;
    this.dim = settings.dim;
    this.dir = resolved.dir;
    this.fingerprint = fingerprint;
    this.#needsTokenTypes = needsTokenTypes;
  }

  get textsEncoded(): number {
    return this.#textsEncoded;
  }

  async dispose(): Promise<void> {
    await this.#model.dispose();
  }

  async encode(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const where = 'SentenceEncoder.encode';
    if (!Array.isArray(texts))
      throw new InvalidEncoderOptionError('texts', where, 'an array of strings', texts);
    const role = options.role ?? 'query';
    if (!TEXT_ROLES.includes(role)) {
      throw new InvalidEncoderOptionError('role', where, "'query' or 'passage'", options.role);
    }
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    checkPositiveInt(batchSize, 'batchSize', where);
    texts.forEach((t, i) => {
      if (typeof t !== 'string') throw new InvalidInputError(i, where, t);
    });
    const { dim } = this;
    const n = texts.length;
    const out = new Array<Float32Array>(n);
    if (n === 0) return out;
    const prefix = this.settings.prefixes === false ? '' : this.settings.prefixes[role];
    const inputs = texts.map((t) => prefix + t);
    let done = 0;
    options.onProgress?.(done, n);

    // Longest first (as sentence-transformers): batches of similar length pad little, and a
    // too-long batch fails at once rather than at the end.
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => inputs[b]!.length - inputs[a]!.length || a - b);
    for (let start = 0; start < n; start += batchSize) {
      const rows = order.slice(start, start + batchSize);
      const pooled = await this.#run(rows.map((i) => inputs[i]!));
      rows.forEach((i, r) => {
        out[i] = pooled.slice(r * dim, (r + 1) * dim);
      });
      this.#textsEncoded += rows.length;
      done += rows.length;
      options.onProgress?.(done, n);
    }
    return out;
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
    const where = this.#resolved.weightsPath;
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
 * run through the ONNX graph, and its `last_hidden_state` pooled (mean over the attention mask
 * unless `pooling` or the folder's sentence-transformers config says otherwise) and
 * L2-normalised — the recipe E5 and sentence-transformers use, so cosine = inner product.
 * The model files come from {@link resolveModelFolder} (a folder, or a hub id through the HF
 * cache; offline works from the cache with no network call), and transformers.js loads the
 * folder with `local_files_only`, so it never downloads anything itself.
 *
 * Relations: the encoder is a `TextEmbedder` of `@rtk/retrieval`: its `DenseRetriever` wraps it
 * into a `Retriever`, its `openEmbeddingCache` / `embedWithCache` skip texts already encoded
 * with the same fingerprint; `@rtk/bert`'s `TrainableEncoder` computes the same vectors in
 * TensorFlow.js.
 *
 * @throws {@link ModelFileMissingError}, {@link ModelFileCorruptError} for missing or broken files.
 * @throws {@link UnsupportedModelError} when config.json's `model_type` is not in
 *   {@link SUPPORTED_MODEL_TYPES} or the graph lacks the needed inputs/outputs.
 * @throws {@link InvalidEncoderOptionError} for bad options; `HubError`s for download problems.
 * @example
 * ```ts
 * const encoder = await loadSentenceEncoder({ model: 'fixtures/tiny-bert' });
 * const [e] = await encoder.encode(['how many people live in the city'], { role: 'query' });
 * console.log(encoder.dim, e!.length, e!.slice(0, 3));
 * // 32 32 Float32Array(3) [ 0.1148…, -0.0942…, -0.1249… ]   (the random tiny test model)
 * ```
 */
export async function loadSentenceEncoder(
  options: SentenceEncoderOptions = {},
): Promise<SentenceEncoder> {
  const where = 'loadSentenceEncoder';
  const prefixes = options.prefixes ?? E5_PREFIXES;
  checkPrefixes(prefixes);
  if (options.pooling !== undefined && !POOLINGS.includes(options.pooling)) {
    throw new InvalidEncoderOptionError(
      'pooling',
      where,
      `one of ${POOLINGS.join(', ')}`,
      options.pooling,
    );
  }
  const normalize = options.normalize ?? true;
  const requestedMax = options.maxLength ?? DEFAULT_MAX_LENGTH;
  checkPositiveInt(requestedMax, 'maxLength', where, 3);
  const threads = options.threads ?? availableParallelism();
  checkPositiveInt(threads, 'threads', where);
  if (options.spinWait !== undefined && typeof options.spinWait !== 'boolean') {
    throw new InvalidEncoderOptionError('spinWait', where, 'a boolean', options.spinWait);
  }
  const spin = options.spinWait === true ? '1' : '0';

  const modelRef = options.model ?? DEFAULT_ENCODER_MODEL;
  const log = options.onLog ?? options.hub?.onLog;
  let resolved: ResolvedModel;
  let exported = false;
  try {
    resolved = await resolveModelFolder(modelRef, { ...options, format: 'onnx' });
  } catch (error) {
    const missing = error instanceof ModelFileMissingError || error instanceof HubNotFoundError;
    const fallback = missing
      ? await exportedGraph(modelRef, options, `${firstLine(error)}`, log)
      : undefined;
    if (fallback === undefined) throw error;
    resolved = fallback;
    exported = true;
  }
  const config = await readConfig(resolved.dir);
  const fromFolder =
    options.pooling === undefined ? await readPoolingConfig(resolved.dir) : undefined;
  const pooling = options.pooling ?? fromFolder?.pooling ?? 'mean';
  const poolingSource =
    options.pooling !== undefined
      ? 'option'
      : fromFolder !== undefined
        ? 'sentence-transformers'
        : 'default';
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

  const sessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: {
      session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } },
    },
  } as const;
  let loaded = await loadGraph(resolved, sessionOptions);
  if (!fits(loaded.inputNames, loaded.outputNames) && !exported) {
    // A graph that does not fit (another task's outputs, say): export one from the weights if
    // the repo has them, else say what is wrong with this one.
    const why = `the graph ${loaded.onnxFile} has inputs [${loaded.inputNames.join(', ')}] and outputs [${loaded.outputNames.join(', ')}]`;
    const fallback = await exportedGraph(modelRef, options, why, log).catch(() => undefined);
    if (fallback !== undefined) {
      await loaded.model.dispose();
      resolved = fallback;
      exported = true;
      loaded = await loadGraph(resolved, sessionOptions);
    }
  }
  const { model, inputNames, outputNames, onnxFile } = loaded;
  if (!fits(inputNames, outputNames)) {
    await model.dispose();
    throw new UnsupportedModelError(
      resolved.weightsPath,
      `the graph has inputs [${inputNames.join(', ')}] and outputs [${outputNames.join(', ')}]; expected inputs input_ids, attention_mask ` +
        '(token_type_ids optional) and output last_hidden_state. Export it as a feature-extraction model (rtk export, if it is a BERT model with model.safetensors).',
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
    poolingSource,
    normalize,
    dim,
    onnxFile,
    ...(exported ? { exported: true as const } : {}),
  };
  // Settings first, then every file the vectors depend on.
  const hash = createHash('sha256').update(JSON.stringify(settings));
  const files = [
    resolved.weightsPath,
    join(resolved.dir, 'tokenizer.json'),
    join(resolved.dir, 'config.json'),
  ];
  if (fromFolder !== undefined) files.push(fromFolder.file);
  for (const path of files) await sha256File(path, hash);
  return new OnnxSentenceEncoder(
    model,
    tokenizer,
    resolved,
    settings,
    inputNames.includes('token_type_ids'),
    hash.digest('hex'),
  );
}

const fits = (inputs: readonly string[], outputs: readonly string[]): boolean =>
  inputs.includes('input_ids') &&
  inputs.includes('attention_mask') &&
  outputs.includes('last_hidden_state');

interface LoadedGraph {
  readonly model: PreTrainedModel;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Relative to the model folder, `/`-separated. */
  readonly onnxFile: string;
}

/** Open the folder's ONNX graph through transformers.js (local files only). */
async function loadGraph(
  resolved: ResolvedModel,
  sessionOptions: Record<string, unknown>,
): Promise<LoadedGraph> {
  const onnxFile = relative(resolved.dir, resolved.weightsPath).split('\\').join('/');
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
      session_options: sessionOptions,
    });
  } catch (err) {
    throw new ModelFileCorruptError(resolved.weightsPath, 'an ONNX graph ONNX Runtime can load', {
      cause: err,
    });
  }
  try {
    return { model, ...graphSignature(model), onnxFile };
  } catch (error) {
    await model.dispose();
    throw error;
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await sha256File(path, hash);
  return hash.digest('hex');
}

/**
 * The model's ONNX graph exported from its `model.safetensors` (see `exportCacheDir`), made now
 * or reused from an earlier export; undefined when the model has no such weights (or the dtype
 * is one the exporter does not write). A configuration that is not BERT throws
 * `BertConfigError`.
 */
async function exportedGraph(
  model: string,
  options: SentenceEncoderOptions,
  why: string,
  log: ((message: string) => void) | undefined,
): Promise<ResolvedModel | undefined> {
  const dtype = options.dtype ?? 'fp32';
  if (!(EXPORT_DTYPES as readonly string[]).includes(dtype)) return undefined;
  let weights: ResolvedModel;
  try {
    weights = await resolveModelFolder(model, { ...options, format: 'safetensors' });
  } catch {
    return undefined;
  }
  const configPath = join(weights.dir, 'config.json');
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        model: weights.model,
        revision: weights.revision ?? 'local',
        opset: BERT_ONNX_OPSET,
        config: await sha256Of(configPath),
        weights: await sha256Of(weights.weightsPath),
      }),
    )
    .digest('hex')
    .slice(0, 32);
  const root =
    options.exportCacheDir ??
    (weights.source === 'hub'
      ? join(dirname(dirname(weights.dir)), 'rtk-onnx')
      : join(tmpdir(), 'rtk-onnx-exports'));
  const dir = join(root, key);
  const weightsPath = join(dir, 'onnx', `model${ENCODER_DTYPES[dtype]}.onnx`);
  const resolved: ResolvedModel = { ...weights, dir, format: 'onnx', weightsPath, dtype };
  const label = `${model}${weights.revision === undefined ? '' : `@${weights.revision.slice(0, 12)}`}`;
  if (await isFile(weightsPath)) {
    log?.(
      `${label}: no usable ONNX graph (${why}); using the graph exported earlier from model.safetensors in ${dir}`,
    );
    return resolved;
  }
  const config = await readBertConfig(weights.dir);
  const file = await readSafetensors(weights.weightsPath);
  try {
    await exportOnnxFromWeights(
      { config, tensors: file.tensors, filesFrom: weights.dir, source: weights.weightsPath },
      dir,
      { dtype: dtype as 'fp32' | 'q8' },
    );
  } catch (error) {
    // Another process may have finished the same export first: use it.
    if (!(error instanceof OnnxExportError && (await isFile(weightsPath)))) throw error;
  }
  log?.(`${label}: no usable ONNX graph (${why}); exported one from model.safetensors to ${dir}`);
  return resolved;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
