import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  downloadHubFile,
  downloadHubFiles,
  HubNotFoundError,
  HubOfflineError,
  type HubOptions,
} from '@rtk/hub';
import { InvalidEncoderOptionError, ModelFileMissingError } from './errors.js';

/**
 * ONNX weight variants a model folder may carry, as transformers.js names them: the dtype and
 * the file-name suffix (`onnx/model{suffix}.onnx`). Only variants with float32 inputs/outputs,
 * which ONNX Runtime runs on CPU, are listed.
 */
export const ENCODER_DTYPES: Readonly<Record<EncoderDtype, string>> = Object.freeze({
  fp32: '',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  bnb4: '_bnb4',
});

/**
 * Weight variant: `fp32` (full precision, the default), `q8` (dynamic 8-bit quantisation,
 * `model_quantized.onnx`, about 4× smaller), `int8`/`uint8`, `q4`/`bnb4` (4-bit weights).
 */
export type EncoderDtype = 'fp32' | 'q8' | 'int8' | 'uint8' | 'q4' | 'bnb4';

/** Files the encoder needs besides the ONNX graph. */
const METADATA_FILES = ['config.json', 'tokenizer_config.json', 'tokenizer.json'] as const;

/** Options for {@link resolveModelFolder}. */
export interface ResolveModelOptions {
  /** Weight variant to fetch/check. Default `fp32`. */
  readonly dtype?: EncoderDtype;
  /** Branch, tag or commit of a hub model. Default `main`. Ignored for local folders. */
  readonly revision?: string;
  /**
   * How to reach the hub: endpoint (default `HF_ENDPOINT`), token (`HF_TOKEN`), cache folder
   * (`HF_HUB_CACHE`/`HF_HOME`), offline (`HF_HUB_OFFLINE=1`: cache only, no network call).
   */
  readonly hub?: HubOptions;
}

/** A model folder on disk, ready to load. */
export interface ResolvedModel {
  /** Absolute folder holding config.json, the tokenizer files and the ONNX graph. */
  readonly dir: string;
  /** Absolute path of the ONNX graph for the chosen dtype. */
  readonly onnxPath: string;
  /** What the caller asked for: the hub id, or the folder as given. */
  readonly model: string;
  /** `hub` when the files came through the hub cache, `local` for a folder. */
  readonly source: 'hub' | 'local';
  /** The hub commit the files belong to (the cache snapshot's name); undefined for local folders. */
  readonly revision: string | undefined;
  readonly dtype: EncoderDtype;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Where a folder keeps the graph: `onnx/model{suffix}.onnx` (transformers.js layout) or at the root. */
function onnxCandidates(suffix: string): readonly string[] {
  return [`onnx/model${suffix}.onnx`, `model${suffix}.onnx`];
}

function checkDtype(dtype: unknown): asserts dtype is EncoderDtype {
  if (typeof dtype !== 'string' || !Object.hasOwn(ENCODER_DTYPES, dtype)) {
    throw new InvalidEncoderOptionError(
      'dtype',
      'resolveModelFolder',
      `one of ${Object.keys(ENCODER_DTYPES).join(', ')}`,
      dtype,
    );
  }
}

/** Hub ids look like `owner/name` (or a legacy bare `name`) and are not paths that exist here. */
function looksLikeLocalPath(model: string): boolean {
  return (
    model.startsWith('.') ||
    model.startsWith('/') ||
    model.startsWith('~') ||
    /^[A-Za-z]:[\\/]/.test(model) ||
    model.includes('\\')
  );
}

async function resolveLocal(model: string, dtype: EncoderDtype): Promise<ResolvedModel> {
  const dir = resolve(model);
  if (!(await isDirectory(dir))) {
    throw new ModelFileMissingError(
      dir,
      'model folder',
      'Pass an existing folder with config.json, tokenizer.json and onnx/model.onnx, or a hub id such as intfloat/e5-small-v2.',
    );
  }
  for (const file of METADATA_FILES) {
    const path = join(dir, file);
    if (!(await isFile(path))) {
      throw new ModelFileMissingError(
        path,
        `model folder ${dir}`,
        `A Hugging Face model folder needs ${METADATA_FILES.join(', ')}.`,
      );
    }
  }
  const suffix = ENCODER_DTYPES[dtype];
  for (const candidate of onnxCandidates(suffix)) {
    const onnxPath = join(dir, candidate);
    if (await isFile(onnxPath))
      return { dir, onnxPath, model, source: 'local', revision: undefined, dtype };
  }
  throw new ModelFileMissingError(
    join(dir, onnxCandidates(suffix)[0]!),
    `ONNX graph for dtype ${dtype}`,
    `Neither ${onnxCandidates(suffix).join(' nor ')} exists in ${dir}. ` +
      (dtype === 'fp32'
        ? 'Export the model to ONNX (optimum-cli export onnx).'
        : 'Choose a dtype the folder has (fp32 is the usual one).'),
  );
}

async function resolveHub(
  model: string,
  dtype: EncoderDtype,
  options: ResolveModelOptions,
): Promise<ResolvedModel> {
  const revision = options.revision ?? 'main';
  const hub = options.hub ?? {};
  // Metadata first: it fixes the commit, so the graph below comes from the same snapshot.
  const dir = await downloadHubFiles({ repo: model, type: 'model', revision }, METADATA_FILES, hub);
  const commit = basename(dir);
  const [preferred, fallback] = onnxCandidates(ENCODER_DTYPES[dtype]) as [string, string];
  let onnxPath: string;
  try {
    onnxPath = await downloadHubFile(
      { repo: model, type: 'model', revision: commit, path: preferred },
      hub,
    );
  } catch (first) {
    // intfloat/* repos keep model.onnx at the root, Xenova/* under onnx/: try the other place.
    if (!(first instanceof HubNotFoundError || first instanceof HubOfflineError)) throw first;
    try {
      onnxPath = await downloadHubFile(
        { repo: model, type: 'model', revision: commit, path: fallback },
        hub,
      );
    } catch (second) {
      if (second instanceof HubNotFoundError || second instanceof HubOfflineError) throw first;
      throw second;
    }
  }
  return { dir, onnxPath, model, source: 'hub', revision: commit, dtype };
}

/**
 * Turn a model reference into a folder on disk: a local folder is checked in place; a hub id
 * (`owner/name`) is fetched through `@rtk/hub` into the Hugging Face cache (atomic, resumable,
 * shared with Python `huggingface_hub`) — config.json, tokenizer_config.json, tokenizer.json and
 * the ONNX graph for `dtype`, from `onnx/model{suffix}.onnx` or, failing that, the repo root.
 *
 * A reference is a local folder when it starts with `.`, `/`, `~` or a drive letter, or names an
 * existing folder; anything else is a hub id. Offline (`hub.offline` or `HF_HUB_OFFLINE=1`)
 * makes no network call and serves the cached snapshot.
 *
 * @throws {@link ModelFileMissingError} a local folder or one of its files is missing.
 * @throws {@link InvalidEncoderOptionError} an unknown dtype.
 * @throws `HubError` subclasses from `@rtk/hub` (not found, unauthorised, unreachable, offline and not cached).
 *
 * @example
 * ```ts
 * const m = await resolveModelFolder('Xenova/e5-small-v2', { dtype: 'q8' });
 * console.log(m.source, m.onnxPath);
 * // hub /home/me/.cache/huggingface/hub/models--Xenova--e5-small-v2/snapshots/<commit>/onnx/model_quantized.onnx
 * ```
 */
export async function resolveModelFolder(
  model: string,
  options: ResolveModelOptions = {},
): Promise<ResolvedModel> {
  if (typeof model !== 'string' || model.length === 0) {
    throw new InvalidEncoderOptionError(
      'model',
      'resolveModelFolder',
      'a hub id (owner/name) or a model folder path',
      model,
    );
  }
  const dtype = options.dtype ?? 'fp32';
  checkDtype(dtype);
  if (looksLikeLocalPath(model) || (await isDirectory(model))) return resolveLocal(model, dtype);
  return resolveHub(model, dtype, options);
}
