#!/usr/bin/env node
// Regenerates the fine-tuning goldens: for each case of fixtures/finetune-cases.json, runs
// fineTune (the built package, CPU backend, dropout off) on fixtures/finetune-train.jsonl with
// logBatches -> fixtures/finetune-batches-<case>.jsonl, then replays that log in PyTorch with
// torch_finetune_reference.py -> fixtures/finetune-golden-<case>.json.
//
//   cd packages/training && pnpm build && \
//     node scripts/make-finetune-golden.mjs /path/to/folder/with/torch_finetune_reference.py
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { loadTrainableEncoder } from '@rtk/bert';
import { fineTune, loadTrainingExamples } from '../dist/index.js';

const tools = process.argv[2];
if (!tools) throw new Error('usage: make-finetune-golden.mjs TOOLS_DIR');
await tf.setBackend('cpu');
const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const { data, evalTexts, cases } = JSON.parse(
  readFileSync(join(fixtures, 'finetune-cases.json'), 'utf8'),
);
const examples = await loadTrainingExamples(join(fixtures, data));
for (const c of cases) {
  const model = await loadTrainableEncoder(join(fixtures, c.model), { seed: 0 });
  const batches = join(fixtures, `finetune-batches-${c.name}.jsonl`);
  const result = await fineTune(model, examples, { ...c.options, logBatches: batches });
  model.dispose();
  const o = c.options;
  const warmup = o.warmup < 1 ? Math.ceil(o.warmup * o.steps) : o.warmup;
  const golden = execFileSync(
    '/usr/bin/python3',
    [
      join(tools, 'torch_finetune_reference.py'),
      '--model',
      join(fixtures, c.model),
      '--batches',
      batches,
      ...c.reference,
      '--lr',
      String(o.learningRate),
      '--warmup',
      String(warmup),
      '--total-steps',
      String(o.steps),
      '--weight-decay',
      String(o.weightDecay),
      '--max-grad-norm',
      String(o.maxGradNorm),
      '--max-query-length',
      String(o.maxQueryLength),
      '--max-passage-length',
      String(o.maxPassageLength),
      '--eval-texts',
      join(fixtures, evalTexts),
    ],
    {
      encoding: 'utf8',
      env: Object.fromEntries(
        Object.entries(process.env).filter(
          ([k]) => k !== 'OPENBLAS_CORETYPE' && k !== 'OPENBLAS_L2_SIZE',
        ),
      ),
    },
  );
  const parsed = JSON.parse(golden);
  parsed.model = `fixtures/${c.model}`;
  writeFileSync(join(fixtures, `finetune-golden-${c.name}.json`), `${JSON.stringify(parsed)}\n`);
  const worst = Math.max(
    ...parsed.steps.map(
      (s, i) => Math.abs(s.loss - result.history[i].loss) / Math.max(1e-12, Math.abs(s.loss)),
    ),
  );
  console.log(
    `${c.name}: ${parsed.steps.length} steps, max grad norm ${Math.max(...parsed.steps.map((s) => s.grad_norm)).toFixed(3)}, worst relative loss difference ${worst.toExponential(2)}`,
  );
}
