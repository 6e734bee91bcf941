import { stat } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { Option, type Command } from 'commander';
import {
  ENCODER_DTYPES,
  POOLINGS,
  resolveModelFolder,
  type EncoderDtype,
  type Pooling,
} from '@rtk/encoders/options';
import { E5_PREFIXES, type TextPrefixes } from '@rtk/retrieval';
import { HubNotFoundError, HubOfflineError } from '@rtk/hub';
import { decimalOption } from './program.js';
import { ModelUnavailableError, UsageError } from './errors.js';

/** Where a `--model` argument points. */
export type ModelLocation =
  | { readonly kind: 'folder'; readonly path: string }
  | { readonly kind: 'hub'; readonly id: string };

/** A model argument turned into a location plus the recipe it is run with. */
export interface ModelChoice {
  readonly location: ModelLocation;
  /** What to pass as `model` to `loadSentenceEncoder`: the absolute folder or the hub id. */
  readonly model: string;
  /** True for the E5 family (see {@link isE5Model}); only then is the model labelled E5. */
  readonly e5: boolean;
  /** Role prefixes: E5's by default for E5 models, else the flags' (or none: `false`). */
  readonly prefixes: TextPrefixes | false;
  /** `--pooling`, or undefined: the encoder then decides (the model's own config). */
  readonly pooling: Pooling | undefined;
}

/** The model flags {@link addModelOptions} defines, as commander parses them. */
export interface ModelFlags {
  readonly model?: string;
  readonly revision: string;
  readonly dtype: EncoderDtype;
  readonly maxLength: number;
  readonly batchSize: number;
  readonly queryPrefix?: string;
  readonly passagePrefix?: string;
  readonly pooling?: Pooling;
}

/** Hub ids: `name` or `owner/name`, letters, digits, `-`, `_`, `.` (Hugging Face's rule). */
const HUB_ID = /^(?:[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/;

/** E5 repositories: `intfloat/e5-*`, `Xenova/e5-*`, and `multilingual-e5-*` under either. */
const E5_OWNERS = new Set(['intfloat', 'xenova']);
const isE5Name = (name: string): boolean => /^(?:multilingual-)?e5-/i.test(name);

/**
 * Whether a model reference is an E5 model, which wants `query: ` / `passage: ` prefixes: hub
 * ids `intfloat/e5-*`, `Xenova/e5-*`, `…/multilingual-e5-*`; a folder named like one
 * (`e5-small-v2`, `multilingual-e5-base`), or a Hugging Face cache snapshot of one
 * (`…/models--intfloat--e5-small-v2/snapshots/<commit>`). Anything else is not E5.
 */
export function isE5Model(location: ModelLocation): boolean {
  if (location.kind === 'hub') {
    const [owner, name] = location.id.includes('/') ? location.id.split('/') : ['', location.id];
    return (
      isE5Name(name ?? '') &&
      (E5_OWNERS.has((owner ?? '').toLowerCase()) || /multilingual-e5/i.test(name ?? ''))
    );
  }
  const parts = location.path.split(sep).filter((p) => p !== '');
  const cached = parts.findLast((p) => p.startsWith('models--'));
  if (cached !== undefined) {
    const [owner, ...rest] = cached.slice('models--'.length).split('--');
    return isE5Model({ kind: 'hub', id: `${owner ?? ''}/${rest.join('--')}` });
  }
  return isE5Name(basename(location.path));
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where a `--model` argument points: a folder when `cwd`/`model` is an existing folder (with or
 * without `./`), else a hub id. Something path-shaped (`./x`, `/x`, `~/x`, `a/b/c`) that is not a
 * folder is an error, never a hub lookup.
 *
 * @throws {@link UsageError} for a missing folder or a malformed hub id.
 */
export async function locateModel(model: string, cwd: string): Promise<ModelLocation> {
  const path = resolve(cwd, model);
  if (model !== '' && (await isDirectory(path))) return { kind: 'folder', path };
  if (!HUB_ID.test(model)) {
    throw new UsageError(
      `--model: ${JSON.stringify(model)} is neither an existing folder (looked for ${path}) nor a hub id such as intfloat/e5-small-v2`,
      '--model',
    );
  }
  return { kind: 'hub', id: model };
}

/**
 * Turns the model flags into a {@link ModelChoice}. E5 models get {@link E5_PREFIXES} unless a
 * prefix flag overrides a side; other models get exactly the prefix flags (a missing side is
 * empty), or no prefixes at all. Pooling is `--pooling` or left to the encoder.
 */
export async function chooseModel(
  flags: Pick<ModelFlags, 'queryPrefix' | 'passagePrefix' | 'pooling'> & { readonly model: string },
  cwd: string,
): Promise<ModelChoice> {
  const location = await locateModel(flags.model, cwd);
  const e5 = isE5Model(location);
  const given = flags.queryPrefix !== undefined || flags.passagePrefix !== undefined;
  const base = e5 ? E5_PREFIXES : { query: '', passage: '' };
  const prefixes =
    e5 || given
      ? { query: flags.queryPrefix ?? base.query, passage: flags.passagePrefix ?? base.passage }
      : false;
  return {
    location,
    model: location.kind === 'folder' ? location.path : location.id,
    e5,
    prefixes,
    pooling: flags.pooling,
  };
}

/**
 * With `--offline`, checks before any work that the model can be used without the network: a
 * folder must hold a complete model, a hub id must be in the local cache. Throws instead of
 * falling back to any other model.
 *
 * @throws {@link ModelUnavailableError} for a hub id that is not cached; the encoders' own
 *   `ModelFileMissingError` for an incomplete folder.
 */
export async function checkModelOffline(
  choice: ModelChoice,
  flags: Pick<ModelFlags, 'dtype' | 'revision'>,
): Promise<void> {
  try {
    await resolveModelFolder(choice.model, {
      dtype: flags.dtype,
      revision: flags.revision,
      hub: { offline: true },
    });
  } catch (error) {
    if (error instanceof HubOfflineError || error instanceof HubNotFoundError) {
      throw new ModelUnavailableError(
        choice.model,
        `--model ${choice.model} (dtype ${flags.dtype}, revision ${flags.revision}) is not in the local Hugging Face cache and --offline forbids downloading it. ` +
          'Run once without --offline to fetch it, point HF_HUB_CACHE at a cache that has it, or pass a model folder.',
        { cause: error },
      );
    }
    throw error;
  }
}

/** Options of {@link addModelOptions}. */
export interface AddModelOptionsOptions {
  /** Default of `--model`; none by default (the flag is then optional and unset). */
  readonly defaultModel?: string;
  /** Description of `--model`. */
  readonly modelDescription?: string;
  /**
   * Whether to add `--model` itself (default true); false for a command that names the model
   * another way (`rtk mine --with MODEL`) and only wants the encoder flags.
   */
  readonly modelFlag?: boolean;
}

/**
 * Adds the encoder flags to `command`: `--model`, `--revision`, `--dtype`, `--max-length`,
 * `--batch-size`, `--query-prefix`, `--passage-prefix`, `--pooling`. Numbers are plain-decimal
 * integers ≥ 1; dtype and pooling are checked against the encoders' own lists.
 */
export function addModelOptions(command: Command, options: AddModelOptionsOptions = {}): Command {
  const model = new Option(
    '--model <id-or-folder>',
    options.modelDescription ?? 'Encoder: a model folder, else a hub id',
  );
  if (options.defaultModel !== undefined) model.default(options.defaultModel);
  if (options.modelFlag !== false) command.addOption(model);
  return command
    .addOption(new Option('--revision <rev>', 'Hub revision of the model').default('main'))
    .addOption(
      new Option('--dtype <dtype>', 'ONNX weights')
        .choices(Object.keys(ENCODER_DTYPES))
        .default('fp32'),
    )
    .addOption(
      decimalOption(
        '--max-length <tokens>',
        'Encoder max tokens (truncation)',
        { integer: true, min: 1 },
        512,
      ),
    )
    .addOption(
      decimalOption('--batch-size <n>', 'Encoder batch size', { integer: true, min: 1 }, 32),
    )
    .addOption(
      new Option(
        '--query-prefix <text>',
        "Text put before each query (E5 models: default 'query: '; others: none)",
      ),
    )
    .addOption(
      new Option(
        '--passage-prefix <text>',
        "Text put before each passage (E5 models: default 'passage: '; others: none)",
      ),
    )
    .addOption(
      new Option(
        '--pooling <how>',
        "Pooling (default: the encoder's default for the model)",
      ).choices([...POOLINGS]),
    );
}
