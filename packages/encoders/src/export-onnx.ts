import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFolderAtomic } from '@rtk/files';
import { readSafetensors, type SafetensorsTensor } from '@rtk/safetensors';
import { parseBertConfig, type BertConfig } from './bert-config.js';
import { buildBertOnnxModel, type BertOnnxDtype } from './bert-onnx-graph.js';
import {
  InvalidEncoderOptionError,
  ModelFileCorruptError,
  ModelFileMissingError,
  OnnxExportError,
} from './errors.js';
import { poolingModulePath, resolveModelFolder, type ResolveModelOptions } from './model-source.js';

/** The dtypes {@link exportOnnx} writes: `fp32` (`onnx/model.onnx`) and `q8` (also `onnx/model_quantized.onnx`). */
export const EXPORT_DTYPES: readonly BertOnnxDtype[] = ['fp32', 'q8'];

/**
 * Files copied from the source folder when present, besides `config.json` (always written): the
 * tokenizer and the sentence-transformers description, so the exported folder pools the same way.
 * `tokenizer.json` and `tokenizer_config.json` are required.
 */
export const EXPORT_COPIED_FILES: readonly string[] = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
  'modules.json',
  'sentence_bert_config.json',
  'config_sentence_transformers.json',
  '1_Pooling/config.json',
];
const REQUIRED_FILES = ['tokenizer.json', 'tokenizer_config.json'];

/** Options for {@link exportOnnx} and {@link exportOnnxFromWeights}. */
export interface ExportOnnxOptions {
  /** `fp32` (default) or `q8` (writes `onnx/model_quantized.onnx` beside `onnx/model.onnx`). */
  readonly dtype?: BertOnnxDtype;
  /** Replace a non-empty output folder. Default false (throws before any work). */
  readonly overwrite?: boolean;
}

/** What an export wrote. */
export interface OnnxExportResult {
  /** The output folder (absolute). */
  readonly dir: string;
  /** Files written, relative to {@link dir}, in `/` form. */
  readonly files: readonly string[];
  readonly dtype: BertOnnxDtype;
}

/** A BERT model in memory: its configuration, weights and the folder holding its tokenizer. */
export interface BertWeightsSource {
  /** `config.json` (its `raw` object is written back unchanged). */
  readonly config: BertConfig;
  /** The weights by Hugging Face name (`SafetensorsFile.tensors`, or a trained model's current values). */
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** Folder to copy {@link EXPORT_COPIED_FILES} from. */
  readonly filesFrom: string;
  /** Where the weights came from, for messages. */
  readonly source?: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function checkOptions(options: ExportOnnxOptions, where: string): BertOnnxDtype {
  const dtype = options.dtype ?? 'fp32';
  if (!EXPORT_DTYPES.includes(dtype)) {
    throw new InvalidEncoderOptionError(
      'dtype',
      where,
      `one of ${EXPORT_DTYPES.join(', ')}`,
      options.dtype,
    );
  }
  if (options.overwrite !== undefined && typeof options.overwrite !== 'boolean') {
    throw new InvalidEncoderOptionError('overwrite', where, 'a boolean', options.overwrite);
  }
  return dtype;
}

async function checkTarget(target: string, overwrite: boolean): Promise<void> {
  if (!(await exists(target))) return;
  const entries = await readdir(target).catch(() => undefined);
  if (entries === undefined) {
    throw new OnnxExportError(target, 'exists and is not a folder; choose another output folder.');
  }
  if (entries.length > 0 && !overwrite) {
    throw new OnnxExportError(
      target,
      'exists and is not empty; pass overwrite (rtk export --overwrite) to replace it, or choose a new folder.',
    );
  }
}

/**
 * Write an ONNX model folder from weights in memory — the graph of `buildBertOnnxModel`, the
 * configuration and the tokenizer files — so that `loadSentenceEncoder({ model: outDir })` and
 * transformers.js' `pipeline('feature-extraction', outDir)` load it. This is what `@rtk/bert`'s
 * `exportTrainableEncoderOnnx` calls with a fine-tuned model's current weights.
 *
 * The folder is complete or absent: everything is written into a temporary folder beside it,
 * which is renamed into place. The graph is built (and the weights and output folder checked)
 * before anything is written.
 *
 * @throws {@link OnnxExportError} for weights that do not fit the configuration, an output
 *   folder that is taken (without `overwrite`) or a failed write.
 * @throws {@link ModelFileMissingError} when `filesFrom` lacks tokenizer.json or tokenizer_config.json.
 */
export async function exportOnnxFromWeights(
  source: BertWeightsSource,
  outDir: string,
  options: ExportOnnxOptions = {},
): Promise<OnnxExportResult> {
  const dtype = checkOptions(options, 'exportOnnxFromWeights');
  const target = resolve(outDir);
  await checkTarget(target, options.overwrite === true);
  for (const file of REQUIRED_FILES) {
    const path = join(source.filesFrom, file);
    if (!(await exists(path))) {
      throw new ModelFileMissingError(
        path,
        `tokenizer of ${source.filesFrom}`,
        'An exported model needs its tokenizer files.',
      );
    }
  }
  const graphs: [string, Uint8Array][] = [
    [
      'onnx/model.onnx',
      buildBertOnnxModel(source.config, source.tensors, {
        dtype: 'fp32',
        source: source.source ?? source.filesFrom,
      }),
    ],
  ];
  if (dtype === 'q8') {
    graphs.push([
      'onnx/model_quantized.onnx',
      buildBertOnnxModel(source.config, source.tensors, {
        dtype: 'q8',
        source: source.source ?? source.filesFrom,
      }),
    ]);
  }
  const copied = [...EXPORT_COPIED_FILES];
  const pooling = await poolingModulePath(source.filesFrom);
  if (pooling !== undefined && !copied.includes(`${pooling}/config.json`))
    copied.push(`${pooling}/config.json`);

  const files: string[] = ['config.json'];
  try {
    await writeFolderAtomic(target, async (temp) => {
      await mkdir(join(temp, 'onnx'), { recursive: true });
      await writeFile(join(temp, 'config.json'), `${JSON.stringify(source.config.raw, null, 2)}\n`);
      for (const file of copied) {
        const from = join(source.filesFrom, file);
        if (!(await exists(from))) continue;
        await mkdir(dirname(join(temp, file)), { recursive: true });
        await copyFile(from, join(temp, file));
        files.push(file);
      }
      for (const [file, bytes] of graphs) {
        await writeFile(join(temp, file), bytes);
        files.push(file);
      }
    });
  } catch (error) {
    throw new OnnxExportError(
      target,
      `writing the export failed (${String(error)}); nothing was changed at the target.`,
      { cause: error },
    );
  }
  return { dir: target, files, dtype };
}

/** Read and validate a BERT folder's config.json. */
export async function readBertConfig(dir: string): Promise<BertConfig> {
  const path = join(dir, 'config.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ModelFileCorruptError(path, 'a JSON model configuration', { cause: error });
  }
  return parseBertConfig(raw, path);
}

/** Options for {@link exportOnnx}: the export's, plus how to find a hub model. */
export interface ExportOnnxModelOptions
  extends ExportOnnxOptions, Pick<ResolveModelOptions, 'revision' | 'hub'> {}

/**
 * Export a BERT model (a folder with `config.json`, `model.safetensors` and the tokenizer, or a
 * hub id, fetched through the Hugging Face cache) to an ONNX model folder: `onnx/model.onnx`
 * (plus `onnx/model_quantized.onnx` for `dtype: 'q8'`), `config.json` and the tokenizer files.
 * No Python and no tracing: the graph is written from the configuration and the weights
 * (see `buildBertOnnxModel`). Everything is checked before a file is written — a folder
 * without weights, a configuration that is not BERT, an unsupported activation, weights that do
 * not match — and the output folder is complete or absent.
 *
 * @throws {@link ModelFileMissingError} (no model.safetensors, no tokenizer), {@link BertConfigError},
 *   {@link OnnxExportError}, `@rtk/safetensors` errors for a corrupt weights file, `HubError`s.
 * @example
 * ```ts
 * const out = await exportOnnx('fixtures/tiny-bert', join(tmpdir(), 'tiny-onnx'), { dtype: 'q8' });
 * out.files; // config.json, tokenizer.json, …, onnx/model.onnx, onnx/model_quantized.onnx
 * ```
 */
export async function exportOnnx(
  model: string,
  outDir: string,
  options: ExportOnnxModelOptions = {},
): Promise<OnnxExportResult> {
  checkOptions(options, 'exportOnnx');
  await checkTarget(resolve(outDir), options.overwrite === true);
  const resolved = await resolveModelFolder(model, {
    format: 'safetensors',
    ...(options.revision === undefined ? {} : { revision: options.revision }),
    ...(options.hub === undefined ? {} : { hub: options.hub }),
  });
  const config = await readBertConfig(resolved.dir);
  const file = await readSafetensors(resolved.weightsPath);
  return exportOnnxFromWeights(
    { config, tensors: file.tensors, filesFrom: resolved.dir, source: resolved.weightsPath },
    outDir,
    options,
  );
}
