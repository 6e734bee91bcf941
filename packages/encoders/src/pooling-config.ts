import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFileCorruptError, UnsupportedModelError } from './errors.js';
import { poolingModulePath } from './model-source.js';
import type { Pooling } from './pooling.js';

/** The pooling a sentence-transformers model folder asks for, and the file that says so. */
export interface PoolingConfig {
  readonly pooling: Pooling;
  /** The Pooling module's config.json (absolute path). */
  readonly file: string;
}

/** sentence-transformers' Pooling config keys this package runs, and the pooling each means. */
const SUPPORTED_MODES: Readonly<Record<string, Pooling>> = {
  pooling_mode_mean_tokens: 'mean',
  pooling_mode_cls_token: 'cls',
  pooling_mode_max_tokens: 'max',
};

/** Modes sentence-transformers has that this package does not run. */
const UNSUPPORTED_MODES = [
  'pooling_mode_mean_sqrt_len_tokens',
  'pooling_mode_weightedmean_tokens',
  'pooling_mode_lasttoken',
] as const;

/**
 * Read the pooling of a sentence-transformers model folder as sentence-transformers does:
 * `modules.json` names the `sentence_transformers.models.Pooling` module's folder (usually
 * `1_Pooling`), whose `config.json` sets one `pooling_mode_*` flag. Returns `undefined` when the
 * folder has no `modules.json` or no Pooling module (a plain transformers folder).
 *
 * @throws {@link ModelFileCorruptError} for unreadable JSON or a missing Pooling config;
 *   {@link UnsupportedModelError} when the config asks for a mode other than mean, cls or max,
 *   or for several at once (sentence-transformers would concatenate them).
 * @example
 * ```ts
 * await readPoolingConfig('e5-small-v2'); // { pooling: 'mean', file: '…/1_Pooling/config.json' }
 * ```
 */
export async function readPoolingConfig(dir: string): Promise<PoolingConfig | undefined> {
  const modulePath = await poolingModulePath(dir);
  if (modulePath === undefined) return undefined;
  const file = join(dir, modulePath, 'config.json');
  const expected = 'a sentence-transformers Pooling config (JSON with pooling_mode_* flags)';
  let config: Record<string, unknown>;
  try {
    await stat(file);
    config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ModelFileCorruptError(file, expected, { cause: error });
  }
  const unsupported = UNSUPPORTED_MODES.filter((mode) => config[mode] === true);
  const chosen = Object.entries(SUPPORTED_MODES).filter(([mode]) => config[mode] === true);
  if (unsupported.length > 0 || chosen.length !== 1) {
    throw new UnsupportedModelError(
      file,
      `pooling modes [${[...chosen.map(([m]) => m), ...unsupported].join(', ')}] are set; ` +
        `expected exactly one of ${Object.keys(SUPPORTED_MODES).join(', ')}. ` +
        'Pass `pooling` to loadSentenceEncoder to override the folder.',
    );
  }
  return { pooling: chosen[0]![1], file };
}
