import { Option, type Command } from 'commander';
import {
  addModelOptions,
  beirOptions,
  decimalOption,
  requireWith,
  seedOption,
  strictCommand,
  UsageError,
  type ModelFlags,
} from '@rtk/cli-kit';
import {
  InvalidMiningOptionError,
  NEGATIVE_FORMATS,
  resolveMiningSettings,
  SAMPLINGS,
  type NegativeFormat,
  type Sampling,
} from '@rtk/mining';
import { SPARSE_RETRIEVERS } from './eval-flags.js';

/** The flags of `rtk mine`, as commander parses them (numbers already checked). */
export interface MineFlags extends Omit<ModelFlags, 'model'> {
  readonly data?: string;
  readonly beir?: string;
  readonly split: string;
  readonly with: string;
  readonly rangeMin: number;
  readonly rangeMax?: number;
  readonly absoluteMargin?: number;
  readonly relativeMargin?: number;
  readonly maxScore?: number;
  readonly minScore?: number;
  readonly numNegatives: number;
  readonly sampling: Sampling;
  readonly format: NegativeFormat;
  readonly keepPairs: boolean;
  readonly seed: number;
  readonly offline: boolean;
  readonly embeddingCache?: string;
  readonly out?: string;
}

/** `--with random`: seeded random negatives, no retriever. */
export const RANDOM = 'random';

/** Each mining option's flag, for messages. */
const FLAG_OF: Readonly<Record<string, string>> = {
  rangeMin: '--range-min',
  rangeMax: '--range-max',
  absoluteMargin: '--absolute-margin',
  relativeMargin: '--relative-margin',
  maxScore: '--max-score',
  minScore: '--min-score',
  numNegatives: '--num-negatives',
  sampling: '--sampling',
  seed: '--seed',
};

/** Flags that only mean something for a dense model. */
const MODEL_ONLY = [
  'revision',
  'dtype',
  'maxLength',
  'batchSize',
  'queryPrefix',
  'passagePrefix',
  'pooling',
  'embeddingCache',
];
const kebab = (a: string): string => `--${a.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Flags of hard mining that `--with random` has no use for. */
const HARD_ONLY = [
  'keepPairs',
  'rangeMin',
  'rangeMax',
  'absoluteMargin',
  'relativeMargin',
  'maxScore',
  'minScore',
  'sampling',
];

/** The `rtk mine` command's flags (no action yet). */
export function mineFlagsCommand(): Command {
  const [beir, split] = beirOptions() as [Option, Option];
  const score = (flag: string, what: string): Option => decimalOption(flag, what, {});
  const command = strictCommand(
    'mine',
    'Mine hard (or random) negatives for (query, positive) pairs and write them as JSONL triplets or n-tuples.',
  )
    .addOption(
      new Option(
        '--data <file>',
        'Pairs file (JSONL/CSV/parquet, query and passage columns)',
      ).conflicts('beir'),
    )
    .addOption(beir)
    .addOption(split)
    .addOption(
      new Option(
        '--with <retriever>',
        `Who ranks the candidates: ${SPARSE_RETRIEVERS.join(', ')}, a dense model (folder or hub id), or ${RANDOM} (seeded random negatives)`,
      ),
    )
    .addOption(
      decimalOption(
        '--range-min <n>',
        'Survivors skipped at the top of each ranking',
        { integer: true, min: 0 },
        0,
      ),
    )
    .addOption(
      decimalOption(
        '--range-max <n>',
        'Survivors kept from the top (default: derived as sentence-transformers does)',
        {
          integer: true,
          min: 1,
        },
      ),
    )
    .addOption(
      score('--absolute-margin <x>', 'Drop candidates with score + x > the lowest positive score'),
    )
    .addOption(
      score('--relative-margin <x>', 'Drop candidates with score > positive − |positive|·x'),
    )
    .addOption(score('--max-score <x>', 'Drop candidates scoring above x'))
    .addOption(score('--min-score <x>', 'Drop candidates scoring below x'))
    .addOption(
      decimalOption('--num-negatives <n>', 'Negatives per query', { integer: true, min: 1 }, 3),
    )
    .addOption(
      new Option('--sampling <how>', 'Take the window’s best, or draw among them')
        .choices([...SAMPLINGS])
        .default('top'),
    )
    .addOption(
      new Option(
        '--format <format>',
        'triplet: {query, positive, negative} rows; ntuple: {query, positive, negative_1..n}',
      )
        .choices([...NEGATIVE_FORMATS])
        .default('triplet'),
    )
    .addOption(
      new Option(
        '--keep-pairs',
        'Keep the pairs of queries left without a negative as {query, positive} rows (short n-tuples keep the negatives they have): the mixed data rtk train --loss infonce trains on',
      ).default(false),
    )
    .addOption(seedOption('Seed of random sampling and random negatives, in [0, 4294967295]'));
  // --with names the model: only the encoder flags.
  return addModelOptions(command, { modelFlag: false })
    .addOption(new Option('--embedding-cache <dir>', 'Reuse and store embeddings in this folder'))
    .addOption(
      new Option(
        '--offline',
        'No network: the model must be a folder or in the Hugging Face cache',
      ).default(false),
    )
    .addOption(new Option('--out <file>', 'Write the negatives here (JSONL, atomically)'));
}

/** What `--with` names, with the flags it brings. */
export type MineSource =
  | { readonly kind: 'random' }
  | { readonly kind: 'sparse'; readonly name: 'tfidf' | 'bm25' }
  | { readonly kind: 'model'; readonly model: string };

/**
 * The checks commander cannot express, all before any data is read: a source, a retriever, an
 * output; model flags only with a model; hard-mining flags not with `--with random`; and the
 * mining settings themselves (`--range-min` ≥ `--range-max`, more negatives than the window, …).
 *
 * @throws {@link UsageError} naming the flag.
 */
export function checkMineFlags(flags: MineFlags, command: Command): MineSource {
  if (flags.data === undefined && flags.beir === undefined)
    throw new UsageError('choose the data: --data PAIRS_FILE or --beir DIR');
  if (flags.with === undefined)
    throw new UsageError(
      `choose who ranks: --with ${SPARSE_RETRIEVERS.join('|')}|${RANDOM}|MODEL`,
      '--with',
    );
  if (flags.out === undefined)
    throw new UsageError('--out FILE is required (the negatives, JSONL)', '--out');
  requireWith(
    command,
    { attribute: 'split', flag: '--split' },
    { attribute: 'beir', flag: '--beir' },
  );
  const source: MineSource =
    flags.with === RANDOM
      ? { kind: 'random' }
      : (SPARSE_RETRIEVERS as readonly string[]).includes(flags.with)
        ? { kind: 'sparse', name: flags.with as 'tfidf' | 'bm25' }
        : { kind: 'model', model: flags.with };
  const given = (a: string): boolean => {
    const s = command.getOptionValueSource(a);
    return s !== undefined && s !== 'default' && s !== 'implied';
  };
  if (source.kind !== 'model') {
    for (const a of MODEL_ONLY)
      if (given(a)) throw new UsageError(`${kebab(a)} needs --with MODEL`, kebab(a));
  }
  if (source.kind === 'random') {
    for (const a of HARD_ONLY)
      if (given(a))
        throw new UsageError(`${kebab(a)} has no effect with --with ${RANDOM}`, kebab(a));
    return source;
  }
  try {
    // The window does not depend on the data once --range-max is given, and a derived one is
    // always wide enough, so checking with one positive per query settles every setting now.
    resolveMiningSettings(flags, 1, 'rtk mine');
  } catch (error) {
    if (error instanceof InvalidMiningOptionError) {
      const flag = FLAG_OF[error.option] ?? error.option;
      throw new UsageError(
        `${flag}: ${error.message.replace(/^rtk mine: option \w+ /, '')}`,
        flag,
        { cause: error },
      );
    }
    throw error;
  }
  return source;
}
