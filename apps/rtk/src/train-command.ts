import type { Command } from 'commander';
import { Option } from 'commander';
import {
  addBackendOptions,
  backendOptions,
  checkOutputs,
  chooseModel,
  decimalOption,
  given,
  parseDecimal,
  progressBar,
  strictCommand,
  UsageError,
  userCwd,
  userPath,
  type BackendFlags,
  type OutputTarget,
} from '@rtk/cli-kit';
import { datasetFromPairs, loadPairsFile, type RetrievalDataset } from '@rtk/datasets';
import type { FineTuneEvaluationRecord, FineTuneOptions, TrainLoss } from '@rtk/training';

/** The losses `--loss` names, and what they are in `@rtk/training`. */
export const TRAIN_LOSS_FLAGS = ['infonce', 'triplet', 'contrastive'] as const;

/** The flags of `rtk train`, as commander parses them. */
export interface TrainFlags {
  readonly model: string;
  readonly data: string;
  readonly loss: (typeof TRAIN_LOSS_FLAGS)[number];
  readonly out: string;
  readonly batchSize: number;
  readonly lr: number;
  readonly warmup: number;
  readonly steps?: number;
  readonly epochs?: number;
  readonly negatives?: number;
  readonly scale?: number;
  readonly symmetric?: boolean;
  readonly margin?: number;
  readonly distance?: 'cosine' | 'euclidean';
  readonly weightDecay: number;
  readonly maxGradNorm: number;
  readonly gradAccumulation: number;
  readonly gradCache?: number;
  readonly freezeEmbeddings: boolean;
  readonly freezeLayers: number;
  readonly evalData?: string;
  readonly evalEvery?: number;
  readonly evalSteps?: number[];
  readonly checkpointEvery?: number;
  readonly checkpointSteps?: number[];
  readonly keepLast?: number;
  readonly maxQueryLength: number;
  readonly maxPassageLength: number;
  readonly seed: number;
  readonly dropout: 'default' | '0';
  readonly logBatches?: string;
  readonly queryPrefix?: string;
  readonly passagePrefix?: string;
  readonly offline: boolean;
  readonly backend?: BackendFlags['backend'];
  readonly gpu: boolean;
}

function stepList(flag: string): (text: string) => number[] {
  return (text) =>
    text.split(',').map((part) => parseDecimal(part.trim(), { flag, integer: true, min: 1 }));
}

/** The `rtk train` command's flags (no action yet). */
export function trainFlagsCommand(): Command {
  const int = (flags: string, what: string, min: number, defaultValue?: number): Option =>
    decimalOption(flags, what, { integer: true, min }, defaultValue);
  const command = strictCommand(
    'train',
    'Fine-tune a BERT/E5 model on (query, positive[, negatives]) JSONL; checkpoints, automatic resume.',
  )
    .addOption(
      new Option(
        '--model <id-or-folder>',
        'Starting model: a folder, else a hub id (needs model.safetensors)',
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--data <file>',
        'Training JSONL: pairs, triplets or n-tuples (negative_1, …)',
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option('--loss <name>', 'Loss').choices([...TRAIN_LOSS_FLAGS]).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--out <dir>',
        'Output folder: checkpoint-<step>/, final/, train-log.jsonl',
      ).makeOptionMandatory(),
    )
    .addOption(int('--batch-size <n>', 'Examples per batch', 1, 8))
    .addOption(
      decimalOption(
        '--lr <rate>',
        'Peak learning rate (2e-5 or 0.00002)',
        { min: 0, minInclusive: false, exponent: true },
        5e-5,
      ),
    )
    .addOption(
      decimalOption(
        '--warmup <ratio-or-steps>',
        'Warmup: a ratio of the run below 1, else steps',
        { min: 0 },
        0,
      ),
    )
    .addOption(int('--steps <n>', 'Optimiser steps (default: --epochs passes)', 1))
    .addOption(int('--epochs <n>', 'Passes over the data when --steps is not given (default 3)', 1))
    .addOption(
      int(
        '--negatives <n>',
        'Hard negatives per example (triplet: 1; contrastive: default the fewest any example has; infonce: at most n, default the most any has, and an example with fewer or none trains on those it has)',
        0,
      ),
    )
    .addOption(
      decimalOption('--scale <s>', 'InfoNCE: similarity scale (default 20)', {
        min: 0,
        minInclusive: false,
      }),
    )
    .addOption(new Option('--symmetric', 'InfoNCE: add the passage-to-query term'))
    .addOption(
      decimalOption('--margin <m>', 'Triplet/contrastive margin (default 0.5)', { min: 0 }),
    )
    .addOption(
      new Option('--distance <d>', 'Triplet distance (default cosine)').choices([
        'cosine',
        'euclidean',
      ]),
    )
    .addOption(
      decimalOption('--weight-decay <λ>', 'AdamW weight decay', { min: 0, exponent: true }, 0),
    )
    .addOption(
      decimalOption(
        '--max-grad-norm <n>',
        'Global-norm clipping',
        { min: 0, minInclusive: false },
        1,
      ),
    )
    .addOption(int('--grad-accumulation <n>', 'Batches per optimiser step', 1, 1))
    .addOption(
      int('--grad-cache <rows>', 'GradCache mini-batch rows (big batches in little memory)', 1),
    )
    .addOption(new Option('--freeze-embeddings', 'Do not train the embeddings').default(false))
    .addOption(int('--freeze-layers <n>', 'Do not train the lowest N layers', 0, 0))
    .addOption(
      new Option(
        '--eval-data <file>',
        'Pairs file evaluated during training (Recall@K, MRR, nDCG)',
      ),
    )
    .addOption(int('--eval-every <n>', 'Evaluate every N steps (and at step 0)', 1))
    .addOption(
      new Option('--eval-steps <list>', 'Evaluate after these steps, e.g. 50,100,150').argParser(
        stepList('--eval-steps'),
      ),
    )
    .addOption(int('--checkpoint-every <n>', 'Checkpoint every N steps', 1))
    .addOption(
      new Option('--checkpoint-steps <list>', 'Checkpoint after these steps').argParser(
        stepList('--checkpoint-steps'),
      ),
    )
    .addOption(int('--keep-last <n>', 'Keep only the newest N checkpoints', 1))
    .addOption(int('--max-query-length <tokens>', 'Query token limit', 3, 32))
    .addOption(int('--max-passage-length <tokens>', 'Passage token limit', 3, 128))
    .addOption(
      decimalOption(
        '--seed <n>',
        'Seed of shuffling and dropout, in [0, 2147483647]',
        { integer: true, min: 0, max: 2 ** 31 - 1 },
        42,
      ),
    )
    .addOption(
      new Option('--dropout <setting>', "Dropout: the model's (default) or 0 (off)")
        .choices(['default', '0'])
        .default('default'),
    )
    .addOption(
      new Option('--log-batches <file>', "Write each step's texts, as tokenised, as JSONL"),
    )
    .addOption(
      new Option(
        '--query-prefix <text>',
        "Text before each query (E5 models: default 'query: '; others: none)",
      ),
    )
    .addOption(
      new Option(
        '--passage-prefix <text>',
        "Text before each passage (E5 models: default 'passage: '; others: none)",
      ),
    )
    .addOption(
      new Option(
        '--offline',
        'No network: --model must be a folder or in the Hugging Face cache',
      ).default(false),
    );
  return addBackendOptions(command);
}

function lossOf(flags: TrainFlags, command: Command): TrainLoss {
  const only = (attribute: string, flag: string, loss: string): void => {
    if (
      given(command, attribute) &&
      flags.loss !== loss &&
      !(attribute === 'margin' && flags.loss !== 'infonce')
    )
      throw new UsageError(`${flag} does not apply to --loss ${flags.loss}`, flag);
  };
  only('scale', '--scale', 'infonce');
  only('symmetric', '--symmetric', 'infonce');
  only('distance', '--distance', 'triplet');
  only('margin', '--margin', 'triplet');
  switch (flags.loss) {
    case 'infonce':
      return {
        name: 'info-nce',
        ...(flags.scale === undefined ? {} : { scale: flags.scale }),
        ...(flags.symmetric === true ? { symmetric: true } : {}),
      };
    case 'triplet':
      return {
        name: 'triplet',
        ...(flags.margin === undefined ? {} : { margin: flags.margin }),
        ...(flags.distance === undefined ? {} : { distance: flags.distance }),
      };
    default:
      return {
        name: 'contrastive',
        ...(flags.margin === undefined ? {} : { margin: flags.margin }),
      };
  }
}

async function run(flags: TrainFlags, command: Command): Promise<void> {
  if (flags.steps !== undefined && flags.epochs !== undefined)
    throw new UsageError('give --steps or --epochs, not both', '--epochs');
  if (flags.warmup >= 1 && !Number.isInteger(flags.warmup))
    throw new UsageError(
      `--warmup: a ratio below 1 or a whole number of steps, got ${flags.warmup}`,
      '--warmup',
    );
  for (const [attribute, flag] of [
    ['evalEvery', '--eval-every'],
    ['evalSteps', '--eval-steps'],
  ] as const) {
    if (given(command, attribute) && flags.evalData === undefined)
      throw new UsageError(`${flag} needs --eval-data`, flag);
  }
  const loss = lossOf(flags, command);
  const backend = backendOptions(flags);
  if (flags.offline) process.env.HF_HUB_OFFLINE = '1';
  const choice = await chooseModel(flags, userCwd());
  const out = userPath(flags.out);
  const targets: OutputTarget[] = [{ flag: '--out', dir: out }];
  if (flags.logBatches !== undefined)
    targets.push({ flag: '--log-batches', file: userPath(flags.logBatches) });
  await checkOutputs(targets);

  // Loaded once the command line is settled: TF.js takes a second or more to load, which
  // `rtk --help` and a wrong flag should not wait for.
  const [
    { createOnnxEmbedder, loadTrainableEncoder },
    { fineTune, loadTrainingExamples, planFineTune },
  ] = await Promise.all([import('@rtk/bert'), import('@rtk/training')]);
  const examples = await loadTrainingExamples(userPath(flags.data));
  let dataset: RetrievalDataset | undefined;
  if (flags.evalData !== undefined)
    dataset = datasetFromPairs(await loadPairsFile(userPath(flags.evalData)), {
      name: flags.evalData,
    });
  const options: FineTuneOptions = {
    loss,
    learningRate: flags.lr,
    batchSize: flags.batchSize,
    ...(flags.steps === undefined ? {} : { steps: flags.steps }),
    ...(flags.epochs === undefined ? {} : { epochs: flags.epochs }),
    warmup: flags.warmup,
    weightDecay: flags.weightDecay,
    maxGradNorm: flags.maxGradNorm,
    gradientAccumulation: flags.gradAccumulation,
    ...(flags.gradCache === undefined ? {} : { gradCache: flags.gradCache }),
    ...(flags.negatives === undefined ? {} : { negatives: flags.negatives }),
    dropout: flags.dropout === 'default',
    seed: flags.seed,
    maxQueryLength: flags.maxQueryLength,
    maxPassageLength: flags.maxPassageLength,
    freeze: { embeddings: flags.freezeEmbeddings, layers: flags.freezeLayers },
    outputDir: out,
    ...(flags.checkpointEvery === undefined ? {} : { checkpointEvery: flags.checkpointEvery }),
    ...(flags.checkpointSteps === undefined ? {} : { checkpointSteps: flags.checkpointSteps }),
    ...(flags.keepLast === undefined ? {} : { keepLast: flags.keepLast }),
    ...(flags.logBatches === undefined ? {} : { logBatches: userPath(flags.logBatches) }),
    ...(dataset === undefined
      ? {}
      : {
          evaluation: {
            dataset,
            // The fast path: the current weights exported to ONNX, encoded by ONNX Runtime.
            embedder: (model) => createOnnxEmbedder(model),
            ...(flags.evalEvery === undefined ? {} : { everySteps: flags.evalEvery }),
            ...(flags.evalSteps === undefined ? {} : { atSteps: flags.evalSteps }),
          },
        }),
  };
  const model = await loadTrainableEncoder(choice.model, {
    prefixes: choice.prefixes === false ? { query: '', passage: '' } : choice.prefixes,
    backend,
  });
  try {
    // Every setting against the data before any step (a batch larger than the data, …).
    const plan = planFineTune(model, examples, options);
    console.error(
      `rtk train: ${examples.length} examples, ${plan.totalSteps} steps of ${plan.batchSize} (${plan.batchSampler} batches), warmup ${plan.warmupSteps}, lr ${plan.learningRate}, ${plan.dropout ? 'dropout on' : 'dropout off'}, prefixes ${JSON.stringify(plan.prefixes)}`,
    );
    const bar = progressBar('train', 'steps');
    let stopped = false;
    const result = await fineTune(model, examples, {
      ...options,
      onResume: (step, from) => console.error(`rtk train: resuming from ${from} (step ${step})`),
      onStep: (r, total) =>
        bar.update(r.step, total, `loss ${r.loss.toFixed(4)} lr ${r.lr.toExponential(2)}`),
      // fineTune refuses an evaluation callback without an evaluation (no --eval-data).
      ...(options.evaluation === undefined
        ? {}
        : {
            onEvaluation: (e: FineTuneEvaluationRecord) => {
              if (e.step > 0 || !stopped)
                console.error(
                  `rtk train: step ${e.step}: ${['Recall@1', 'Recall@10', 'MRR']
                    .filter((k) => k in e.metrics)
                    .map((k) => `${k} ${e.metrics[k]!.toFixed(4)}`)
                    .join(', ')}`,
                );
            },
          }),
    }).finally(() => {
      stopped = true;
      bar.stop();
    });
    const last = result.history.at(-1);
    console.log(
      `\nTrained ${result.steps} steps${result.resumedFrom > 0 ? ` (resumed from step ${result.resumedFrom})` : ''}; last loss ${last?.loss.toFixed(4) ?? '–'}.`,
    );
    if (result.evaluations.length > 0) {
      const keys = ['Recall@1', 'Recall@3', 'Recall@10', 'MRR', 'ndcg@10'].filter(
        (k) => k in result.evaluations[0]!.metrics,
      );
      const rows = [
        `| Step | ${keys.join(' | ')} |`,
        `|---|${keys.map(() => '---|').join('')}`,
        ...result.evaluations.map(
          (e) => `| ${e.step} | ${keys.map((k) => e.metrics[k]!.toFixed(4)).join(' | ')} |`,
        ),
      ];
      console.log(`\n${rows.join('\n')}`);
    }
    console.log(
      `\nWrote ${result.finalModel} (evaluate it with: rtk eval --model ${result.finalModel} --data …)`,
    );
  } finally {
    model.dispose();
  }
}

/** `rtk train`: flags, checks, and the action. */
export function trainCommand(): Command {
  return trainFlagsCommand().action((flags: TrainFlags, self: Command) => run(flags, self));
}
