// The steps of the docs model's recipe that `rtk` itself does not do (see
// apps/bench/models/rtk-docs-mini/README.md and apps/bench/scripts/train-docs-mini.sh):
//
//   node apps/bench/dist/docs-model/recipe-cli.js vocab --pairs FILE --out DIR [--vocab-size N]
//   node apps/bench/dist/docs-model/recipe-cli.js init --tokenizer DIR --out DIR [--hidden …]
//   node apps/bench/dist/docs-model/recipe-cli.js head --data FILE --out FILE [--batches N]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { decimalOption, strictCommand, UsageError, userPath } from '@rtk/cli-kit';
import { loadPairsFile } from '@rtk/datasets';
import { parseBertConfig } from '@rtk/encoders';
import { writeSafetensors } from '@rtk/safetensors';
import { epochBatches, loadTrainingExamples, type TrainingExample } from '@rtk/training';
import { bertConfigJson, initBertTensors } from './init-bert.js';
import { bertTokenizerFiles, trainWordPiece } from './wordpiece.js';

const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
] as const;

const int = (flags: string, what: string, min: number, fallback: number): Option =>
  decimalOption(flags, what, { integer: true, min }, fallback);

async function vocab(flags: {
  pairs: string;
  out: string;
  vocabSize: number;
  minFrequency: number;
  maxLength: number;
}): Promise<void> {
  const pairs = await loadPairsFile(userPath(flags.pairs));
  // Each distinct text once: a passage paired with several queries counts once.
  const texts = new Set<string>();
  for (const p of pairs) {
    texts.add(p.query);
    texts.add(p.passage);
  }
  const tokens = trainWordPiece(texts, {
    vocabSize: flags.vocabSize,
    minFrequency: flags.minFrequency,
  });
  const out = userPath(flags.out);
  await mkdir(out, { recursive: true });
  for (const [name, text] of Object.entries(bertTokenizerFiles(tokens, flags.maxLength)))
    await writeFile(join(out, name), text);
  console.log(
    `wrote a ${tokens.length}-token WordPiece vocabulary from ${texts.size} texts to ${out}`,
  );
}

async function init(flags: {
  tokenizer: string;
  out: string;
  hidden: number;
  layers: number;
  heads: number;
  intermediate?: number;
  positions: number;
  seed: number;
}): Promise<void> {
  const source = userPath(flags.tokenizer);
  const vocabText = await readFile(join(source, 'vocab.txt'), 'utf8');
  const vocabSize = vocabText.split('\n').filter((l) => l !== '').length;
  if (flags.hidden % flags.heads !== 0)
    throw new UsageError(
      `--heads ${flags.heads} does not divide --hidden ${flags.hidden}`,
      '--heads',
    );
  const raw = bertConfigJson({
    vocabSize,
    hiddenSize: flags.hidden,
    numHiddenLayers: flags.layers,
    numAttentionHeads: flags.heads,
    intermediateSize: flags.intermediate ?? 4 * flags.hidden,
    maxPositionEmbeddings: flags.positions,
  });
  const out = userPath(flags.out);
  await mkdir(out, { recursive: true });
  for (const name of TOKENIZER_FILES)
    await writeFile(join(out, name), await readFile(join(source, name)));
  await writeFile(join(out, 'config.json'), `${JSON.stringify(raw, null, 2)}\n`);
  const tensors = initBertTensors(parseBertConfig(raw, join(out, 'config.json')), flags.seed);
  await writeSafetensors(join(out, 'model.safetensors'), tensors, { format: 'pt' });
  const params = tensors.reduce((n, t) => n + t.bytes.byteLength / 4, 0);
  console.log(`wrote a seeded (seed ${flags.seed}) random BERT, ${params} parameters, to ${out}`);
}

/**
 * The examples of a run's first `batches` batches (`rtk train`'s no-duplicates sampler, epoch 0),
 * arranged so that the same sampler over this file alone, with the same seed, yields the same
 * batches in the same order: a small file on which the run's first steps can be replayed.
 */
export function firstBatchesFile(
  examples: readonly TrainingExample[],
  options: { batchSize: number; batches: number; seed: number },
): TrainingExample[] {
  const sampler = { batchSize: options.batchSize, seed: options.seed, epoch: 0 } as const;
  const batches = epochBatches(examples, { ...sampler, sampler: 'no-duplicates' });
  if (
    batches.length < options.batches ||
    batches.slice(0, options.batches).some((b) => b.length !== options.batchSize)
  )
    throw new UsageError(
      `the data has fewer than ${options.batches} full batches of ${options.batchSize}`,
      '--batches',
    );
  const head = batches
    .slice(0, options.batches)
    .flat()
    .map((i) => examples[i]!);
  // Where the sampler's permutation of a file of head.length examples puts each position.
  const positions = epochBatches(head, { ...sampler, sampler: 'shuffle' }).flat();
  const file: TrainingExample[] = new Array<TrainingExample>(head.length);
  positions.forEach((slot, i) => (file[slot] = head[i]!));
  return file;
}

async function head(flags: {
  data: string;
  out: string;
  batchSize: number;
  batches: number;
  seed: number;
}): Promise<void> {
  const examples = await loadTrainingExamples(userPath(flags.data));
  const file = firstBatchesFile(examples, flags);
  const lines = file.map((e) => JSON.stringify({ query: e.query, passage: e.positive }));
  await writeFile(userPath(flags.out), `${lines.join('\n')}\n`);
  console.log(
    `wrote the ${file.length} examples of the first ${flags.batches} batches to ${flags.out}`,
  );
}

/** The recipe's command line: `vocab`, `init`, `head`. */
export function recipeCommand(): Command {
  const program = strictCommand('docs-model-recipe', 'Build the inputs of the docs model recipe.');
  program.addCommand(
    strictCommand(
      'vocab',
      'Train a WordPiece vocabulary on a pairs file; write the tokenizer files',
    )
      .addOption(new Option('--pairs <file>', 'Pairs file (query, passage)').makeOptionMandatory())
      .addOption(new Option('--out <dir>', 'Folder for the tokenizer files').makeOptionMandatory())
      .addOption(int('--vocab-size <n>', 'Tokens, special tokens included', 16, 4096))
      .addOption(int('--min-frequency <n>', 'Least count of a character or merge', 1, 2))
      .addOption(int('--max-length <tokens>', 'model_max_length of the tokenizer', 3, 128))
      .action(vocab),
  );
  program.addCommand(
    strictCommand('init', 'Write a seeded random BERT with the tokenizer of --tokenizer')
      .addOption(
        new Option('--tokenizer <dir>', 'Folder of the tokenizer files').makeOptionMandatory(),
      )
      .addOption(new Option('--out <dir>', 'Output model folder').makeOptionMandatory())
      .addOption(int('--hidden <n>', 'Hidden size', 1, 128))
      .addOption(int('--layers <n>', 'Layers', 1, 2))
      .addOption(int('--heads <n>', 'Attention heads', 1, 2))
      .addOption(
        decimalOption('--intermediate <n>', 'Feed-forward size (default 4 × hidden)', {
          integer: true,
          min: 1,
        }),
      )
      .addOption(int('--positions <n>', 'Position embeddings', 1, 128))
      .addOption(int('--seed <n>', 'Seed of the initialisation', 0, 42))
      .action(init),
  );
  program.addCommand(
    strictCommand('head', "Write the examples of rtk train's first batches, replayable alone")
      .addOption(new Option('--data <file>', 'The training file').makeOptionMandatory())
      .addOption(new Option('--out <file>', 'Output JSONL').makeOptionMandatory())
      .addOption(int('--batch-size <n>', 'rtk train --batch-size', 1, 32))
      .addOption(int('--batches <n>', 'Batches to keep', 1, 3))
      .addOption(int('--seed <n>', 'rtk train --seed', 0, 42))
      .action(head),
  );
  return program;
}
