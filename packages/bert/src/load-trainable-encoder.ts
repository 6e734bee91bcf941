import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadTokenizer, resolveModelFolder, type TextTokenizer } from '@rtk/encoders';
import type { HubOptions } from '@rtk/hub';
import { E5_PREFIXES, type TextPrefixes } from '@rtk/retrieval';
import { readSafetensors } from '@rtk/safetensors';
import { ensureGradients, selectBackend, type SelectBackendOptions } from '@rtk/tfjs';
import { parseBertConfig } from '@rtk/encoders';
import { EncoderInputError, ModelFileError } from './errors.js';
import { TrainableEncoder, type FreezeOptions } from './trainable-encoder.js';
import { loadBertWeights } from './_weights.js';

/** Options for {@link loadTrainableEncoder}. */
export interface LoadTrainableEncoderOptions {
  /** Hub revision (branch, tag, commit) when `source` is a hub id. Default `main`. */
  readonly revision?: string;
  /** Hub endpoint, token, cache folder, offline mode (see `@rtk/hub`). */
  readonly hub?: HubOptions;
  /** Prefixes for queries and passages. Default `E5_PREFIXES` of `@rtk/retrieval`. */
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

/**
 * Load a trainable BERT encoder (`TrainableEncoder`) from a Hugging Face model folder or hub id:
 * `config.json` (validated by `parseBertConfig`), `model.safetensors` (any dtype convertible
 * to float32; names with or without a `bert.` prefix; LayerNorm `weight`/`bias` or
 * `gamma`/`beta`) and the tokenizer files, read with `@rtk/encoders`' `loadTokenizer`. The
 * folder comes from `@rtk/encoders`' `resolveModelFolder` (`format: 'safetensors'`), the
 * toolkit's one model-folder resolver: a hub id downloads through `@rtk/hub` (cache,
 * `HF_ENDPOINT`, `HF_TOKEN`, offline mode), a folder is checked in place.
 *
 * If no TF.js backend is active yet, {@link selectBackend} picks one first (`options.backend`) and
 * says which on stderr.
 *
 * @param source - A folder path, or a hub id `owner/name` (e.g. `intfloat/e5-small-v2`, which
 *   ships model.safetensors; `Xenova/*` repos ship only ONNX and cannot be trained).
 * @throws `ModelFileMissingError` (`@rtk/encoders`) for a missing folder or file;
 *   {@link ModelFileError} for an unreadable config.json; `BertConfigError`, `BertWeightsError`,
 *   `SafetensorsCorruptError` (`@rtk/safetensors`) for bad contents; `@rtk/hub` errors for
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
  const resolved = await resolveModelFolder(source, {
    format: 'safetensors',
    ...(options.revision === undefined ? {} : { revision: options.revision }),
    ...(options.hub === undefined ? {} : { hub: options.hub }),
  });
  const { dir, weightsPath } = resolved;
  const configPath = join(dir, 'config.json');
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
    name: resolved.model,
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
