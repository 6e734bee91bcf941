import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  downloadHubFile,
  downloadHubFiles,
  HubNotFoundError,
  HubOfflineError,
  type HubOptions,
} from '@rtk/hub';
import {
  InvalidEncoderOptionError,
  ModelFileCorruptError,
  ModelFileMissingError,
} from './errors.js';

/** The PyTorch weights file of a Hugging Face model folder. */
const SAFETENSORS_FILE = 'model.safetensors';

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

/** Files every model folder needs besides its weights. */
const METADATA_FILES = ['config.json', 'tokenizer_config.json', 'tokenizer.json'] as const;

/**
 * Files fetched from the hub when the repo has them: the tokenizer's extras, and the
 * sentence-transformers description (`modules.json`; the Pooling module's `config.json` it names
 * is fetched after it).
 */
export const OPTIONAL_MODEL_FILES: readonly string[] = [
  'special_tokens_map.json',
  'vocab.txt',
  'modules.json',
];

/**
 * Which weights a folder must have: `onnx` (the ONNX graph for `dtype`, for inference) or
 * `safetensors` (`model.safetensors`, the PyTorch weights the trainable `@rtk/bert` model loads).
 */
export type ModelFormat = 'onnx' | 'safetensors';

/** The valid {@link ModelFormat} values. */
export const MODEL_FORMATS: readonly ModelFormat[] = ['onnx', 'safetensors'];

/** Options for {@link resolveModelFolder}. */
export interface ResolveModelOptions {
  /** Which weights to fetch/check. Default `onnx`. */
  readonly format?: ModelFormat;
  /** ONNX weight variant to fetch/check (`format: 'onnx'` only). Default `fp32`. */
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
  /** Absolute folder holding config.json, the tokenizer files and the weights. */
  readonly dir: string;
  /** Which weights {@link weightsPath} holds. */
  readonly format: ModelFormat;
  /** Absolute path of the weights: the ONNX graph for the chosen dtype, or model.safetensors. */
  readonly weightsPath: string;
  /** What the caller asked for: the hub id, or the folder as given. */
  readonly model: string;
  /** `hub` when the files came through the hub cache, `local` for a folder. */
  readonly source: 'hub' | 'local';
  /** The hub commit the files belong to (the cache snapshot's name); undefined for local folders. */
  readonly revision: string | undefined;
  /** The ONNX variant (`fp32` for safetensors folders). */
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

async function resolveLocal(
  model: string,
  format: ModelFormat,
  dtype: EncoderDtype,
): Promise<ResolvedModel> {
  const dir = resolve(model);
  if (!(await isDirectory(dir))) {
    throw new ModelFileMissingError(
      dir,
      'model folder',
      `Pass an existing folder with config.json, tokenizer.json and ${format === 'onnx' ? 'onnx/model.onnx' : 'model.safetensors'}, or a hub id such as intfloat/e5-small-v2.`,
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
  const local = { dir, format, model, source: 'local', revision: undefined, dtype } as const;
  if (format === 'safetensors') {
    const weightsPath = join(dir, SAFETENSORS_FILE);
    if (await isFile(weightsPath)) return { ...local, weightsPath };
    throw new ModelFileMissingError(
      weightsPath,
      `PyTorch weights of model folder ${dir}`,
      'Training needs the weights as model.safetensors (ONNX-only repos such as Xenova/* cannot be trained); save them with save_pretrained(safe_serialization=True).',
    );
  }
  const suffix = ENCODER_DTYPES[dtype];
  for (const candidate of onnxCandidates(suffix)) {
    const weightsPath = join(dir, candidate);
    if (await isFile(weightsPath)) return { ...local, weightsPath };
  }
  throw new ModelFileMissingError(
    join(dir, onnxCandidates(suffix)[0]!),
    `ONNX graph for dtype ${dtype}`,
    `Neither ${onnxCandidates(suffix).join(' nor ')} exists in ${dir}. ` +
      (dtype === 'fp32'
        ? 'The folder has no model.safetensors to export one from either: add the weights, or export a graph elsewhere (rtk export, optimum-cli export onnx).'
        : 'Choose a dtype the folder has (fp32 is the usual one).'),
  );
}

/** Downloads a file if the repo has it; false when it does not (or, offline, is not cached). */
async function downloadOptional(
  ref: { repo: string; revision: string },
  path: string,
  hub: HubOptions,
): Promise<boolean> {
  try {
    await downloadHubFile({ repo: ref.repo, type: 'model', revision: ref.revision, path }, hub);
    return true;
  } catch (error) {
    if (error instanceof HubNotFoundError || error instanceof HubOfflineError) return false;
    throw error;
  }
}

/** The folder of the sentence-transformers Pooling module named by `modules.json`, if any. */
export async function poolingModulePath(dir: string): Promise<string | undefined> {
  const path = join(dir, 'modules.json');
  if (!(await isFile(path))) return undefined;
  let modules: unknown;
  try {
    modules = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ModelFileCorruptError(path, 'a sentence-transformers modules.json (JSON)', {
      cause: error,
    });
  }
  if (!Array.isArray(modules)) {
    throw new ModelFileCorruptError(path, 'a sentence-transformers modules.json (a JSON array)');
  }
  const pooling = (modules as { type?: unknown; path?: unknown }[]).find(
    (m) => m.type === 'sentence_transformers.models.Pooling',
  );
  return typeof pooling?.path === 'string' ? pooling.path : undefined;
}

async function resolveHub(
  model: string,
  format: ModelFormat,
  dtype: EncoderDtype,
  options: ResolveModelOptions,
): Promise<ResolvedModel> {
  const revision = options.revision ?? 'main';
  const hub = options.hub ?? {};
  // Metadata first: it fixes the commit, so every later file comes from the same snapshot.
  const dir = await downloadHubFiles({ repo: model, type: 'model', revision }, METADATA_FILES, hub);
  const commit = basename(dir);
  const ref = { repo: model, revision: /^[0-9a-f]{40}$/.test(commit) ? commit : revision };
  for (const path of OPTIONAL_MODEL_FILES) await downloadOptional(ref, path, hub);
  const poolingPath = await poolingModulePath(dir);
  if (poolingPath !== undefined) await downloadOptional(ref, `${poolingPath}/config.json`, hub);
  const resolved = { dir, format, model, source: 'hub', revision: commit, dtype } as const;
  if (format === 'safetensors') {
    const weightsPath = await downloadHubFile(
      { ...ref, type: 'model', path: SAFETENSORS_FILE },
      hub,
    );
    return { ...resolved, weightsPath };
  }
  const [preferred, fallback] = onnxCandidates(ENCODER_DTYPES[dtype]) as [string, string];
  let weightsPath: string;
  try {
    weightsPath = await downloadHubFile({ ...ref, type: 'model', path: preferred }, hub);
  } catch (first) {
    // intfloat/* repos keep model.onnx at the root, Xenova/* under onnx/: try the other place.
    if (!(first instanceof HubNotFoundError || first instanceof HubOfflineError)) throw first;
    try {
      weightsPath = await downloadHubFile({ ...ref, type: 'model', path: fallback }, hub);
    } catch (second) {
      if (second instanceof HubNotFoundError || second instanceof HubOfflineError) throw first;
      throw second;
    }
  }
  return { ...resolved, weightsPath };
}

/**
 * Turn a model reference into a folder on disk: a local folder is checked in place; a hub id
 * (`owner/name`) is fetched through `@rtk/hub` into the Hugging Face cache (atomic, resumable,
 * shared with Python `huggingface_hub`) — config.json, tokenizer_config.json, tokenizer.json,
 * the optional {@link OPTIONAL_MODEL_FILES} (and the sentence-transformers Pooling config that
 * `modules.json` names), and the weights: for `format: 'onnx'` the graph for `dtype`, from
 * `onnx/model{suffix}.onnx` or, failing that, the repo root; for `format: 'safetensors'`
 * `model.safetensors`. The one resolver of the toolkit: `@rtk/bert` loads through it too.
 *
 * A reference is a local folder when it starts with `.`, `/`, `~` or a drive letter, or names an
 * existing folder; anything else is a hub id. Offline (`hub.offline` or `HF_HUB_OFFLINE=1`)
 * makes no network call and serves the cached snapshot.
 *
 * @throws {@link ModelFileMissingError} a local folder or one of its files is missing.
 * @throws {@link InvalidEncoderOptionError} an unknown dtype or format.
 * @throws `HubError` subclasses from `@rtk/hub` (not found, unauthorised, unreachable, offline and not cached).
 *
 * @example
 * ```ts
 * const m = await resolveModelFolder('Xenova/e5-small-v2', { dtype: 'q8' });
 * console.log(m.source, m.weightsPath);
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
  const format = options.format ?? 'onnx';
  if (!MODEL_FORMATS.includes(format)) {
    throw new InvalidEncoderOptionError(
      'format',
      'resolveModelFolder',
      `one of ${MODEL_FORMATS.join(', ')}`,
      format,
    );
  }
  if (looksLikeLocalPath(model) || (await isDirectory(model)))
    return resolveLocal(model, format, dtype);
  return resolveHub(model, format, dtype, options);
}
