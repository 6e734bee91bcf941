import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { downloadHubFile, downloadHubFiles, HubNotFoundError, type HubOptions } from '@rtk/hub';
import { selectBackend, type SelectBackendOptions } from '../backend.js';
import { readSafetensors } from '../safetensors.js';
import { loadTokenizer, type TextTokenizer } from '../tokenizer.js';
import { parseBertConfig } from './config.js';
import { EncoderInputError, ModelFileError } from './errors.js';
import {
  E5_PREFIXES,
  TrainableEncoder,
  type FreezeOptions,
  type TextPrefixes,
} from './trainable-encoder.js';
import { ensureGradients } from './_gradients.js';
import { loadBertWeights } from './_weights.js';

/** Files a trainable model needs (downloaded from the hub, required in a folder). */
export const TRAINABLE_MODEL_FILES: readonly string[] = [
  'config.json',
  'model.safetensors',
  'tokenizer.json',
  'tokenizer_config.json',
];

/** Tokenizer files copied along when present (downloaded from the hub when the repo has them). */
export const OPTIONAL_TOKENIZER_FILES: readonly string[] = ['special_tokens_map.json', 'vocab.txt'];

/** Options for {@link loadTrainableEncoder}. */
export interface LoadTrainableEncoderOptions {
  /** Hub revision (branch, tag, commit) when `source` is a hub id. Default `main`. */
  readonly revision?: string;
  /** Hub endpoint, token, cache folder, offline mode (see `@rtk/hub`). */
  readonly hub?: HubOptions;
  /** Prefixes for queries and passages. Default {@link E5_PREFIXES}. */
  readonly prefixes?: TextPrefixes;
  /**
   * Default token limit, special tokens included. Default: the smallest of
   * `model_max_length` (tokenizer_config.json), `max_position_embeddings` and 512.
   */
  readonly maxLength?: number;
  /** Seed of the dropout masks. Default 0. */
  readonly seed?: number;
  /** Parameters to freeze right away (see {@link TrainableEncoder.freeze}). */
  readonly freeze?: FreezeOptions;
  /** A tokenizer already loaded from the same folder (shared with the inference encoder). */
  readonly tokenizer?: TextTokenizer;
  /**
   * How to pick a TF.js backend when none is active yet (see `selectBackend`: `prefer`, `gpu`,
   * `threads`, `log`). Its summary line (which backend runs, and why faster ones did not load)
   * goes to `log`, by default stderr; pass `log: () => {}` to silence it.
   */
  readonly backend?: SelectBackendOptions;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function resolveModelDir(
  source: string,
  options: LoadTrainableEncoderOptions,
): Promise<string> {
  if (await isDirectory(source)) return resolve(source);
  if (source.startsWith('.') || source.startsWith('/') || !/^[\w.-]+\/[\w.-]+$/.test(source)) {
    throw new ModelFileError(
      source,
      'not a folder, and not a hub id of the form owner/name. Pass a Hugging Face model folder (config.json, model.safetensors, tokenizer files) or a hub id such as intfloat/e5-small-v2.',
    );
  }
  const ref = { repo: source, type: 'model' as const, revision: options.revision ?? 'main' };
  const dir = await downloadHubFiles(ref, TRAINABLE_MODEL_FILES, options.hub);
  // The snapshot folder is named after the commit: fetch the optional files at that commit.
  const commit = basename(dir);
  for (const path of OPTIONAL_TOKENIZER_FILES) {
    try {
      await downloadHubFile(
        { ...ref, revision: /^[0-9a-f]{40}$/.test(commit) ? commit : ref.revision, path },
        options.hub,
      );
    } catch (error) {
      if (!(error instanceof HubNotFoundError)) throw error;
    }
  }
  return dir;
}

/**
 * Load a trainable BERT encoder (`TrainableEncoder`) from a Hugging Face model folder or hub id:
 * `config.json` (validated by `parseBertConfig`), `model.safetensors` (any dtype convertible
 * to float32; names with or without a `bert.` prefix; LayerNorm `weight`/`bias` or
 * `gamma`/`beta`) and the tokenizer files, read with the inference path's `loadTokenizer`.
 * A hub id downloads through `@rtk/hub` (cache, `HF_ENDPOINT`, `HF_TOKEN`, offline mode).
 *
 * If no TF.js backend is active yet, {@link selectBackend} picks one first (`options.backend`) and
 * says which on stderr.
 *
 * @param source - A folder path, or a hub id `owner/name` (e.g. `intfloat/e5-small-v2`, which
 *   ships model.safetensors; `Xenova/*` repos ship only ONNX and cannot be trained).
 * @throws {@link ModelFileError} for a missing/unreadable file; `BertConfigError`,
 *   `BertWeightsError`, `SafetensorsCorruptError` for bad contents; `@rtk/hub` errors for
 *   downloads.
 * @example
 * ```ts
 * const encoder = await loadTrainableEncoder('fixtures/tiny-bert', { freeze: { embeddings: true } });
 * encoder.config.numHiddenLayers; // 2
 * encoder.trainableVariables().length; // 24 (2 layers × 12; embeddings frozen)
 * ```
 */
export async function loadTrainableEncoder(
  source: string,
  options: LoadTrainableEncoderOptions = {},
): Promise<TrainableEncoder> {
  const dir = await resolveModelDir(source, options);
  const configPath = join(dir, 'config.json');
  const weightsPath = join(dir, 'model.safetensors');
  let configText: string;
  try {
    configText = await readFile(configPath, 'utf8');
  } catch (error) {
    throw new ModelFileError(
      configPath,
      `cannot be read (${String(error)}); a model folder needs config.json.`,
      {
        cause: error,
      },
    );
  }
  let rawConfig: unknown;
  try {
    rawConfig = JSON.parse(configText);
  } catch (error) {
    throw new ModelFileError(configPath, `is not valid JSON (${String(error)}).`, { cause: error });
  }
  const config = parseBertConfig(rawConfig, configPath);
  try {
    await stat(weightsPath);
  } catch (error) {
    throw new ModelFileError(
      weightsPath,
      'missing; training needs the PyTorch weights as model.safetensors (ONNX-only repos such as Xenova/* cannot be trained).',
      { cause: error },
    );
  }
  const tokenizer = options.tokenizer ?? (await loadTokenizer(dir));
  const limit = Math.min(tokenizer.modelMaxLength ?? 512, config.maxPositionEmbeddings, 512);
  const maxLength = options.maxLength ?? limit;
  if (!Number.isInteger(maxLength) || maxLength < 3 || maxLength > config.maxPositionEmbeddings) {
    throw new EncoderInputError(
      'loadTrainableEncoder',
      'maxLength',
      `expected an integer in [3, ${config.maxPositionEmbeddings}], received ${String(maxLength)}.`,
    );
  }
  if (tf.engine().backendName == null) {
    await selectBackend({ log: (line) => console.error(line), ...options.backend });
  }
  await ensureGradients();
  const file = await readSafetensors(weightsPath);
  const { weights, layout } = loadBertWeights(file, config, weightsPath);
  const encoder = new TrainableEncoder({
    config,
    weights,
    layout,
    tokenizer,
    modelDir: dir,
    prefixes: options.prefixes ?? E5_PREFIXES,
    maxLength,
    seed: options.seed ?? 0,
  });
  if (options.freeze !== undefined) encoder.freeze(options.freeze);
  return encoder;
}
