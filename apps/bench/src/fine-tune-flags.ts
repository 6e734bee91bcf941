/**
 * The flags of tasks 4–5. Defaults follow the study where it says (step grids, losses, random
 * negatives for task 4) and sentence-transformers where it does not: its trainer's batch size,
 * learning rate, warmup, decay and clipping; TripletLoss's euclidean distance and margin 5;
 * MultipleNegativesRankingLoss's scale 20; the window and relative margin of its
 * `mine_hard_negatives` example for Natural Questions (range 10–50, relative margin 0.05).
 */
import { Option, type Command } from 'commander';
import { addBackendOptions, decimalOption, UsageError, type BackendFlags } from '@rtk/cli-kit';
import { PAIRED_TESTS, type PairedTestName } from '@rtk/evaluation';
import { STUDY_CONTRASTIVE_STEPS } from './report/study.js';
import { scaleSteps } from './tasks/fine-tune.js';
import { MINE_WITH, type MineWith } from './tasks/fine-tune-tasks.js';

/** Tasks 4–5 flags as commander parses them. */
export interface FineTuneFlags extends BackendFlags {
  readonly trainBatchSize: number;
  readonly lr: number;
  readonly warmup: number;
  readonly weightDecay: number;
  readonly maxGradNorm: number;
  readonly margin: number;
  readonly distance: 'euclidean' | 'cosine';
  readonly scale: number;
  readonly maxQueryLength: number;
  readonly maxPassageLength: number;
  readonly dropout: 'default' | '0';
  readonly stepScale: number;
  readonly mineWith: MineWith;
  readonly rangeMin: number;
  readonly rangeMax: number;
  readonly relativeMargin: number;
  readonly absoluteMargin?: number;
  readonly maxScore?: number;
  readonly sampling: 'top' | 'random';
  readonly significance: PairedTestName;
  readonly maxP: number;
  readonly remineEvery?: number;
}

/**
 * Checks `--remine-every` against the rest of the command line, before any work: it needs task 5,
 * and a value below the longest hard-negative run (the contrastive grid's last step, scaled), or
 * no run would ever mine again.
 */
export function checkRemineEvery(flags: FineTuneFlags, tasks: readonly number[]): void {
  const n = flags.remineEvery;
  if (n === undefined) return;
  if (!tasks.includes(5))
    throw new UsageError(
      `--remine-every re-mines task 5's hard negatives; add 5 to --task (got ${tasks.join(',')})`,
      '--remine-every',
    );
  const last = scaleSteps(STUDY_CONTRASTIVE_STEPS, flags.stepScale).at(-1)!;
  if (n >= last)
    throw new UsageError(
      `--remine-every ${n}: no run would mine again (the longest hard-negative run has ${last} steps); give a value below ${last}`,
      '--remine-every',
    );
}

/** Add the tasks 4–5 flags to `command`. */
export function addFineTuneOptions(command: Command): Command {
  command
    .addOption(
      decimalOption(
        '--train-batch-size <n>',
        'Tasks 4–5: pairs per optimiser step (sentence-transformers trainer: 8)',
        { integer: true, min: 1 },
        8,
      ),
    )
    .addOption(
      decimalOption(
        '--lr <x>',
        'Tasks 4–5: peak learning rate (sentence-transformers trainer: 5e-5)',
        { min: 0, minInclusive: false },
        5e-5,
      ),
    )
    .addOption(
      decimalOption(
        '--warmup <x>',
        'Tasks 4–5: warmup, a ratio of the run below 1 or a number of steps from 1 (trainer: 0)',
        { min: 0 },
        0,
      ),
    )
    .addOption(
      decimalOption(
        '--weight-decay <x>',
        'Tasks 4–5: AdamW weight decay (trainer: 0)',
        { min: 0 },
        0,
      ),
    )
    .addOption(
      decimalOption(
        '--max-grad-norm <x>',
        'Tasks 4–5: global-norm clipping (trainer: 1)',
        { min: 0, minInclusive: false },
        1,
      ),
    )
    .addOption(
      decimalOption(
        '--margin <x>',
        "Triplet margin (sentence-transformers' TripletLoss: 5, euclidean)",
        { min: 0 },
        5,
      ),
    )
    .addOption(
      new Option('--distance <name>', 'Triplet distance')
        .choices(['euclidean', 'cosine'])
        .default('euclidean'),
    )
    .addOption(
      decimalOption(
        '--scale <x>',
        'Contrastive (InfoNCE) scale (MultipleNegativesRankingLoss: 20)',
        { min: 0, minInclusive: false },
        20,
      ),
    )
    .addOption(
      decimalOption(
        '--max-query-length <n>',
        'Tasks 4–5: query tokens when training',
        { integer: true, min: 2 },
        32,
      ),
    )
    .addOption(
      decimalOption(
        '--max-passage-length <n>',
        'Tasks 4–5: passage tokens when training',
        { integer: true, min: 2 },
        128,
      ),
    )
    .addOption(
      new Option('--dropout <mode>', "Tasks 4–5: 'default' (the config's) or 0 (off)")
        .choices(['default', '0'])
        .default('default'),
    )
    .addOption(
      decimalOption(
        '--step-scale <x>',
        "Multiply the study's step grids (50/100/150, 150/…/600) by this, e.g. 0.1 for a quick run",
        { min: 0, minInclusive: false },
        1,
      ),
    )
    .addOption(
      new Option('--mine-with <retriever>', 'Task 5: who mines the hard negatives')
        .choices([...MINE_WITH])
        .default('dense'),
    )
    .addOption(
      decimalOption(
        '--range-min <n>',
        'Task 5: skip this many top candidates',
        { integer: true, min: 0 },
        10,
      ),
    )
    .addOption(
      decimalOption(
        '--range-max <n>',
        'Task 5: consider candidates up to this rank',
        { integer: true, min: 1 },
        50,
      ),
    )
    .addOption(
      decimalOption(
        '--relative-margin <x>',
        'Task 5: drop a candidate scoring above (1 − x) × the positive (0 for none)',
        { min: 0 },
        0.05,
      ),
    )
    .addOption(
      decimalOption(
        '--absolute-margin <x>',
        'Task 5: drop a candidate within x of the positive',
        {},
      ),
    )
    .addOption(decimalOption('--max-score <x>', 'Task 5: drop a candidate scoring above x', {}))
    .addOption(
      new Option('--sampling <how>', 'Task 5: the best survivor (top) or a random one')
        .choices(['top', 'random'])
        .default('top'),
    )
    .addOption(
      decimalOption(
        '--remine-every <n>',
        'Task 5: mine the hard negatives again every n steps with the weights being trained (default: once, before training)',
        { integer: true, min: 1 },
      ),
    )
    .addOption(
      new Option(
        '--significance <test>',
        'Paired test of each checkpoint against Initial (ranx: student)',
      )
        .choices([...PAIRED_TESTS])
        .default('student'),
    )
    .addOption(
      decimalOption(
        '--max-p <x>',
        'Significance level of that test (ranx: 0.01)',
        { min: 0, max: 1, minInclusive: false, maxInclusive: false },
        0.01,
      ),
    );
  return addBackendOptions(command, 'Tasks 4–5: ');
}
