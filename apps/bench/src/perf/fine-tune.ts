// `pnpm bench:perf fine-tune`: what the fine-tuning loop (`fineTune` of @rtk/training: batch
// sampling, prefixes, tokenisation, the step log) adds to the training step it drives, on the
// e5-small shape. Two child processes on the same backend and settings: `plain` times
// `createTrainStep` on batches tokenised beforehand (what `bench:perf train-step` times), `loop`
// times `fineTune` over the same texts as JSONL-style examples; both report the median seconds per
// step after the warmup steps and the peak resident memory (RSS, sampled at every step).
//
// Texts are words of the model's vocabulary (one token each), 30 a query and 126 a passage, so
// queries fill 32 tokens and passages 128 with [CLS]/[SEP], as train-step's random ids do.
// Dropout on, InfoNCE scale 20, AdamW lr 2e-5, weight decay 0.01, no clipping; no prefixes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs';
import { loadTrainableEncoder } from '@rtk/bert';
import { mulberry32 } from '@rtk/datasets';
import { selectBackend, type TfjsBackendName } from '@rtk/tfjs';
import { createTrainStep, fineTune, type TrainingExample } from '@rtk/training';
import { reportResult, runPerfChild } from './_process.js';
import { median } from './_stats.js';
import { loadAverage, REPO_ROOT } from './_tools.js';

const HELP = `pnpm bench:perf fine-tune [options]

Seconds per step of fineTune (the loop) vs createTrainStep on pre-tokenised batches (the step of
bench:perf train-step), same backend, model, batch and lengths; peak RSS of each.

  --model DIR     model folder (default $RTK_PERF_MODEL or .perf/e5-small-random)
  --backend NAME  TF.js backend (default wasm)
  --batch N       pairs per step (default 32)
  --steps N       steps per run (default 20)
  --warmup N      leading steps left out of the median (default 2)
`;

interface Result {
  readonly mode: string;
  readonly backend: string;
  readonly stepSeconds: number[];
  readonly peakRssMiB: number;
}

function texts(vocabFile: string, count: number, words: number, seed: number): string[] {
  const vocab = readFileSync(vocabFile, 'utf8')
    .split('\n')
    .filter((w) => /^[a-z]{2,}$/.test(w));
  const random = mulberry32(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: words }, () => vocab[Math.floor(random() * vocab.length)]!).join(' '),
  );
}

async function child(mode: string, model: string, backend: string, batch: number, steps: number) {
  await selectBackend({ prefer: [backend as TfjsBackendName], log: () => {} });
  const encoder = await loadTrainableEncoder(model, {
    prefixes: { query: '', passage: '' },
    backend: { log: () => {} },
  });
  const n = batch * steps;
  const vocab = join(model, 'vocab.txt');
  const queries = texts(vocab, n, 30, 1);
  const passages = texts(vocab, n, 126, 2);
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const options = {
    loss: { name: 'info-nce', scale: 20 },
    learningRate: 2e-5,
    weightDecay: 0.01,
    maxGradNorm: null,
    seed: 0,
  } as const;
  const stepSeconds: number[] = [];
  if (mode === 'plain') {
    const trainer = createTrainStep(encoder, options);
    const batches = Array.from({ length: steps }, (_, s) => ({
      queries: encoder.tokenizer.encodeBatch(queries.slice(s * batch, (s + 1) * batch), {
        maxLength: 32,
      }),
      passages: encoder.tokenizer.encodeBatch(passages.slice(s * batch, (s + 1) * batch), {
        maxLength: 128,
      }),
    }));
    for (const b of batches) {
      const started = performance.now();
      trainer.step(b);
      stepSeconds.push((performance.now() - started) / 1000);
      sample();
    }
    trainer.dispose();
  } else {
    const examples: TrainingExample[] = queries.map((q, i) => ({
      query: q,
      positive: passages[i]!,
      negatives: [],
    }));
    const out = mkdtempSync(join(tmpdir(), 'rtk-fine-tune-bench-'));
    let last = performance.now();
    try {
      await fineTune(encoder, examples, {
        ...options,
        batchSize: batch,
        steps,
        schedule: 'constant',
        batchSampler: 'shuffle',
        maxQueryLength: 32,
        maxPassageLength: 128,
        outputDir: out,
        onStep: () => {
          const now = performance.now();
          stepSeconds.push((now - last) / 1000);
          last = now;
          sample();
        },
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  encoder.dispose();
  const result: Result = { mode, backend, stepSeconds, peakRssMiB: peak / 2 ** 20 };
  reportResult(result);
}

/** `pnpm bench:perf fine-tune [options]` (see HELP). */
export async function run(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      model: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      batch: { type: 'string', default: '32' },
      steps: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '2' },
      mode: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const model = resolve(
    values.model ?? process.env.RTK_PERF_MODEL ?? join(REPO_ROOT, '.perf', 'e5-small-random'),
  );
  const batch = Number(values.batch);
  const steps = Number(values.steps);
  const warmup = Number(values.warmup);
  for (const [flag, v] of [
    ['--batch', batch],
    ['--steps', steps],
    ['--warmup', warmup],
  ] as const)
    if (!Number.isInteger(v) || v < 0 || (flag !== '--warmup' && v < 1))
      throw new Error(`${flag}: a whole number, got ${v}`);
  if (warmup >= steps) throw new Error('--warmup: fewer than --steps');
  if (values.mode !== undefined) return child(values.mode, model, values.backend, batch, steps);
  console.log(
    `fine-tune: ${model}, backend ${values.backend}, batch ${batch}, ${steps} steps (median of the last ${steps - warmup}), load average ${loadAverage()}`,
  );
  const results: Result[] = [];
  for (const mode of ['plain', 'loop']) {
    const r = (await runPerfChild('fine-tune', [...argv, '--mode', mode])) as Result | undefined;
    if (r === undefined) throw new Error(`the ${mode} run died without a result`);
    results.push(r);
  }
  const [plain, loop] = results.map((r) => ({
    ...r,
    median: median(r.stepSeconds.slice(warmup)),
  })) as [Result & { median: number }, Result & { median: number }];
  console.log('| run | s/step (median) | steps/s | peak RSS MiB |\n|---|---|---|---|');
  for (const r of [plain, loop])
    console.log(
      `| ${r.mode === 'plain' ? 'createTrainStep (pre-tokenised)' : 'fineTune (the loop)'} | ${r.median.toFixed(3)} | ${(1 / r.median).toFixed(3)} | ${r.peakRssMiB.toFixed(0)} |`,
    );
  console.log(
    `loop / step: ${(loop.median / plain.median).toFixed(3)}× (overhead ${(100 * (loop.median / plain.median - 1)).toFixed(1)} %)`,
  );
}
