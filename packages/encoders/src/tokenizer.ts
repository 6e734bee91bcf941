import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import {
  InvalidEncoderOptionError,
  InvalidInputError,
  ModelFileCorruptError,
  ModelFileMissingError,
} from './errors.js';

/**
 * Token ids of a batch of texts, row-major `[batchSize, length]`, right-padded with the pad id
 * to the longest text in the batch. `token_type_ids` are all 0 for single texts and are not
 * stored.
 */
export interface EncodedBatch {
  /** `batchSize × length` token ids, row `i` for `texts[i]`. */
  readonly inputIds: Int32Array;
  /** `batchSize × length`: 1 for a real token, 0 for padding. */
  readonly attentionMask: Int32Array;
  readonly batchSize: number;
  /** Length of every row: the longest tokenized text of the batch (after truncation). */
  readonly length: number;
}

/** Options for {@link TextTokenizer.encodeBatch}. */
export interface EncodeBatchOptions {
  /**
   * Longest row in tokens, special tokens included (integer ≥ 3 for BERT). Longer texts are truncated,
   * keeping `[CLS]` first and `[SEP]` last.
   */
  readonly maxLength: number;
}

/** A WordPiece/BPE tokenizer loaded from a Hugging Face model folder. */
export interface TextTokenizer {
  /** Tokenize `texts` (with `[CLS]`/`[SEP]`), truncate to `maxLength`, right-pad to the longest. */
  encodeBatch(texts: readonly string[], options: EncodeBatchOptions): EncodedBatch;
  /** `model_max_length` from tokenizer_config.json; undefined when unset or a placeholder (≥ 1e6). */
  readonly modelMaxLength: number | undefined;
}

/** transformers.js writes 1e30 (Python's `int(1e30)`) when a tokenizer has no limit. */
const NO_LIMIT = 1_000_000;

async function readJson(path: string, what: string, fix: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ModelFileMissingError(path, what, fix, { cause: err });
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ModelFileCorruptError(path, 'JSON', { cause: err });
  }
}

/**
 * How many special tokens the tokenizer's post-processor puts before and after a single text
 * (`[CLS]` … `[SEP]`: 1 and 1), found by encoding a probe with and without them.
 */
function specialTemplate(tokenizer: PreTrainedTokenizer): { prefix: number; suffix: number } {
  const probe = 'a';
  const bare = tokenizer(probe, { add_special_tokens: false, return_tensor: false }).input_ids;
  const full = tokenizer(probe, { add_special_tokens: true, return_tensor: false }).input_ids;
  for (let at = 0; at + bare.length <= full.length; at++) {
    if (bare.every((id, j) => full[at + j] === id))
      return { prefix: at, suffix: full.length - at - bare.length };
  }
  return { prefix: 0, suffix: 0 };
}

class HfTextTokenizer implements TextTokenizer {
  readonly modelMaxLength: number | undefined;
  readonly #tokenizer: PreTrainedTokenizer;
  readonly #suffix: number;
  readonly #specials: number;

  constructor(tokenizer: PreTrainedTokenizer, modelMaxLength: number | undefined) {
    this.#tokenizer = tokenizer;
    this.modelMaxLength = modelMaxLength;
    const { prefix, suffix } = specialTemplate(tokenizer);
    this.#suffix = suffix;
    this.#specials = prefix + suffix;
  }

  /**
   * Token ids of one text with special tokens, truncated as Python `transformers` does: the text
   * loses its tail, the special tokens stay. (transformers.js' own `truncation` cuts the whole
   * sequence, dropping the final `[SEP]`.)
   */
  #encodeOne(text: string, maxLength: number): number[] {
    const ids = this.#tokenizer(text, { add_special_tokens: true, return_tensor: false }).input_ids;
    if (ids.length <= maxLength) return ids;
    return [...ids.slice(0, maxLength - this.#suffix), ...ids.slice(ids.length - this.#suffix)];
  }

  encodeBatch(texts: readonly string[], options: EncodeBatchOptions): EncodedBatch {
    const { maxLength } = options;
    if (!Number.isInteger(maxLength) || maxLength < Math.max(2, this.#specials + 1)) {
      throw new InvalidEncoderOptionError(
        'maxLength',
        'encodeBatch',
        `an integer ≥ ${Math.max(2, this.#specials + 1)} (room for the special tokens and one text token)`,
        maxLength,
      );
    }
    texts.forEach((t, i) => {
      if (typeof t !== 'string') throw new InvalidInputError(i, 'encodeBatch', t);
    });
    const batchSize = texts.length;
    if (batchSize === 0)
      return {
        inputIds: new Int32Array(0),
        attentionMask: new Int32Array(0),
        batchSize: 0,
        length: 0,
      };
    // Tokenize unpadded and pad here: one copy into the typed arrays, no intermediate tensors.
    const rows = texts.map((t) => this.#encodeOne(t, maxLength));
    let length = 0;
    for (const r of rows) length = Math.max(length, r.length);
    const pad = this.#tokenizer.pad_token_id;
    const inputIds = new Int32Array(batchSize * length).fill(pad);
    const attentionMask = new Int32Array(batchSize * length);
    rows.forEach((r, i) => {
      inputIds.set(r, i * length);
      attentionMask.fill(1, i * length, i * length + r.length);
    });
    return { inputIds, attentionMask, batchSize, length };
  }
}

/**
 * Load the tokenizer of a Hugging Face model folder (`tokenizer.json` and
 * `tokenizer_config.json`) through transformers.js, without any network access.
 *
 * The tokenizer class comes from `tokenizer_class` in tokenizer_config.json (BertTokenizer for
 * E5 and the fixture), so token ids match the Python `transformers` fast tokenizer.
 *
 * @param modelDir - Folder holding tokenizer.json and tokenizer_config.json (e.g. what
 *   {@link resolveModelFolder} returns).
 * @returns A {@link TextTokenizer}; reuse it, loading parses the whole vocabulary.
 * @throws {@link ModelFileMissingError} when either file is absent.
 * @throws {@link ModelFileCorruptError} when a file is not JSON or not a tokenizer definition.
 *
 * @example
 * ```ts
 * const tok = await loadTokenizer('fixtures/tiny-bert');
 * const b = tok.encodeBatch(['query: what is a debian package', ''], { maxLength: 512 });
 * console.log(b.batchSize, b.length, Array.from(b.inputIds.subarray(9, 18)));
 * // 2 9 [ 2, 3, 0, 0, 0, 0, 0, 0, 0 ]
 * ```
 */
export async function loadTokenizer(modelDir: string): Promise<TextTokenizer> {
  const dir = resolve(modelDir);
  const fix =
    'Point at a Hugging Face model folder with tokenizer.json and tokenizer_config.json ' +
    '(download them with the model, or re-save the tokenizer with `tokenizer.save_pretrained`).';
  const tokenizerJsonPath = join(dir, 'tokenizer.json');
  const configPath = join(dir, 'tokenizer_config.json');
  // Read both ourselves first so a missing or broken file gets a clear error naming it.
  const tokenizerJson = await readJson(tokenizerJsonPath, 'tokenizer definition', fix);
  const config = await readJson(configPath, 'tokenizer configuration', fix);
  if (typeof tokenizerJson !== 'object' || tokenizerJson === null || !('model' in tokenizerJson)) {
    throw new ModelFileCorruptError(
      tokenizerJsonPath,
      'a tokenizers-library definition (an object with `model`)',
    );
  }
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  } catch (err) {
    throw new ModelFileCorruptError(tokenizerJsonPath, 'a tokenizer transformers.js can load', {
      cause: err,
    });
  }
  const raw =
    typeof config === 'object' && config !== null
      ? (config as Record<string, unknown>)['model_max_length']
      : undefined;
  const modelMaxLength =
    typeof raw === 'number' && Number.isFinite(raw) && raw > 0 && raw < NO_LIMIT ? raw : undefined;
  return new HfTextTokenizer(tokenizer, modelMaxLength);
}
