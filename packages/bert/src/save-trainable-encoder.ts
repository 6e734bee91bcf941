import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFolderAtomic } from '@rtk/files';
import { serializeSafetensors } from '@rtk/safetensors';
import { ModelSaveError } from './errors.js';
import type { TrainableEncoder } from './trainable-encoder.js';

/**
 * Files copied unchanged from the loaded folder when present: the tokenizer and the
 * sentence-transformers description (so `SentenceTransformer(folder)` pools the same way).
 * `onnx/` is deliberately not copied: it would hold the weights from before fine-tuning.
 */
export const COPIED_MODEL_FILES: readonly string[] = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
  'modules.json',
  'sentence_bert_config.json',
  'config_sentence_transformers.json',
  '1_Pooling/config.json',
];

/** Options for {@link saveTrainableEncoder}. */
export interface SaveTrainableEncoderOptions {
  /** Replace a non-empty target folder. Default false (throws instead). */
  readonly overwrite?: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Save the encoder as a Hugging Face model folder: `config.json` (as loaded), the tokenizer
 * files ({@link COPIED_MODEL_FILES}) and `model.safetensors` holding the current weights under
 * the original tensor names (`bert.` prefix and `gamma`/`beta` kept), in the original order,
 * as F32, with unused tensors such as the pooler written back unchanged. PyTorch
 * (`BertModel.from_pretrained`), sentence-transformers and `loadTrainableEncoder` read it.
 *
 * Atomic: everything is written to a temporary folder beside the target, which is then renamed
 * into place, so an interrupted save never leaves a half-written model.
 *
 * @param dir - Target folder; created with its parents.
 * @throws {@link ModelSaveError} when `dir` is a non-empty folder and `overwrite` is not set, or a
 *   write or rename fails.
 * @example
 * ```ts
 * await saveTrainableEncoder(encoder, 'runs/e5-nq', { overwrite: true });
 * const again = await loadTrainableEncoder('runs/e5-nq'); // identical embeddings
 * ```
 */
export async function saveTrainableEncoder(
  encoder: TrainableEncoder,
  dir: string,
  options: SaveTrainableEncoderOptions = {},
): Promise<void> {
  const target = resolve(dir);
  const present = await exists(target);
  if (present && !options.overwrite) {
    const entries = await readdir(target).catch(() => ['(not a folder)']);
    if (entries.length > 0) {
      throw new ModelSaveError(
        target,
        'exists and is not empty; pass { overwrite: true } to replace it, or choose a new folder.',
      );
    }
  }
  // Serialize first: a disposed encoder or bad weights fail before anything touches the disk.
  const bytes = serializeSafetensors(
    encoder.layout.entries.map((entry) => entry()),
    encoder.layout.metadata,
  );
  try {
    await writeFolderAtomic(target, async (temp) => {
      await writeFile(
        join(temp, 'config.json'),
        `${JSON.stringify(encoder.config.raw, null, 2)}\n`,
      );
      for (const file of COPIED_MODEL_FILES) {
        const from = join(encoder.modelDir, file);
        if (!(await exists(from))) continue;
        await mkdir(dirname(join(temp, file)), { recursive: true });
        await copyFile(from, join(temp, file));
      }
      await writeFile(join(temp, 'model.safetensors'), bytes);
    });
  } catch (error) {
    throw new ModelSaveError(
      target,
      `saving failed (${String(error)}); nothing was changed at the target.`,
      { cause: error },
    );
  }
}
