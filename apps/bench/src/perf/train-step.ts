// `pnpm bench:perf train-step`: time of one training step of the trainable TF.js BERT
// (@rtk/bert) on the e5-small shape — @rtk/training's `createTrainStep`: forward of
// queries and passages, in-batch InfoNCE loss, backward, AdamW update — on every TF.js backend
// that starts here, next to the PyTorch reference `torch_bert_bench.py` run in the same go.
//
// Protocol (the reference's "contrastive" training step): batch B, queries of 32 and passages of
// 128 random token ids in [1000, vocab) with no padding, dropout on, CE over the B×B cosine
// matrix × 20 (our infoNceLoss, scale 20), AdamW lr 2e-5 / weight decay 0.01, no clipping; median
// of --repeats timed steps after --warmup untimed ones. Every backend runs in its own Node
// process, so a WASM heap overflow (4 GB) cannot poison the next measurement; when batch B does
// not fit, the step is measured at B/2 (repeatedly) against PyTorch at the same batch when the
// reference measured it (16 and 32 only).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
// Registers every gradient in the engine: tfjs-core's Node build has none (the losses need them).
import '@tensorflow/tfjs';
import { loadTrainableEncoder, type TokenBatch } from '@rtk/bert';
import { selectBackend, type TfjsBackendName } from '@rtk/tfjs';
import { mulberry32 } from '@rtk/datasets';
import { createTrainStep } from '@rtk/training';
import { reportResult, runPerfChild } from './_process.js';
import { defaultPython, streamPython } from './_python.js';
import { median } from './_stats.js';
import { parseTorchBenchLine, TORCH_BERT_BENCH } from './_torch-bert-bench.js';
import { defaultToolsDir, loadAverage, REPO_ROOT } from './_tools.js';

const HELP = `pnpm bench:perf train-step [options]

Seconds per training step (forward, InfoNCE, backward, AdamW) of the e5-small-shaped trainable
TF.js BERT, per backend, vs PyTorch's torch_bert_bench.py "contrastive" step.

  --model DIR          model folder (default $RTK_PERF_MODEL or .perf/e5-small-random)
  --backends LIST      TF.js backends to try, in order (default tensorflow,wasm,cpu; wasm runs
                       on $RTK_WASM_THREADS threads, default the machine's cores; those that
                       do not start are reported and skipped)
  --batch N            pairs per step (default 32, as the reference)
  --cpu-batch N        pairs per step on the pure-JS cpu backend (default 2: at ≈1 GFLOP/s a
                       batch-32 step takes many minutes)
  --query-length N     query tokens (default 32)
  --passage-length N   passage tokens (default 128)
  --repeats N          timed steps (default 3; cpu: 1)
  --warmup N           untimed steps first (default 1; cpu: 0)
  --checkpoint         gradient checkpointing in the encoder (one layer's activations in memory,
                       about one extra forward pass)
  --grad-cache N       gradient caching with mini-batches of N pairs, dropout masks replayed
                       (when a step runs out of memory it is retried with --checkpoint, then
                       also with gradient caching at half the batch, halved until it fits)
  --profile            also run one step under tf.profile and print the kernels that take the time
  --top N              kernels to list with --profile (default 15)
  --by-shape           with --profile, group kernels by name and input shapes
  --no-reference       skip PyTorch
  --tools DIR          shared tools folder (default $RTK_SHARED_TOOLS or ../shared/tools beside the repo)
  --python PATH        Python with torch (default $RTK_PYTHON or /usr/bin/python3)
`;

/** What one backend's child process reports back (one `RESULT {json}` line on stdout). */
interface ChildResult {
  readonly backend: string;
  readonly summary: string;
  readonly batch: number;
  /** Rows per mini-batch when the step used gradient caching; absent for a plain step. */
  readonly gradCache?: number;
  /** True when the encoder used gradient checkpointing. */
  readonly checkpoint?: boolean;
  readonly ok: boolean;
  readonly error?: string;
  readonly outOfMemory?: boolean;
  readonly stepSeconds?: readonly number[];
  readonly losses?: readonly number[];
  readonly trainableParameters?: number;
}

interface Settings {
  readonly model: string;
  readonly queryLength: number;
  readonly passageLength: number;
  readonly repeats: number;
  readonly warmup: number;
  readonly profile: boolean;
  readonly top: number;
  /** Group the profile by kernel name and input shapes. */
  readonly byShape: boolean;
  /** Mini-batch rows for gradient caching; 0 = a plain step. */
  readonly gradCache: number;
  /** Gradient checkpointing in the encoder (keeps one layer's activations). */
  readonly checkpoint: boolean;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || (n === 0 && name !== 'warmup')) {
    throw new Error(
      `--${name} must be an integer ≥ ${name === 'warmup' ? 0 : 1}, received "${value}"`,
    );
  }
  return n;
}

/** B rows of L random ids in [1000, vocab), all real tokens (the reference's batches). */
function randomBatch(
  next: () => number,
  batchSize: number,
  length: number,
  vocab: number,
): TokenBatch {
  const inputIds = new Int32Array(batchSize * length);
  for (let i = 0; i < inputIds.length; i++)
    inputIds[i] = 1000 + Math.floor(next() * (vocab - 1000));
  return { inputIds, attentionMask: new Int32Array(batchSize * length).fill(1), batchSize, length };
}

function isOutOfMemory(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /out of bounds|out of memory|Array buffer allocation failed|Cannot enlarge memory|Aborted\(|RangeError/i.test(
    text,
  );
}

/** Runs in the child process: one backend, one batch size. */
async function measure(
  backend: TfjsBackendName,
  batch: number,
  settings: Settings,
): Promise<ChildResult> {
  const selection = await selectBackend({ prefer: [backend] });
  const encoder = await loadTrainableEncoder(settings.model, { seed: 0 });
  try {
    const vocab = encoder.config.vocabSize;
    const next = mulberry32(1234);
    const queries = randomBatch(next, batch, settings.queryLength, vocab);
    const passages = randomBatch(next, batch, settings.passageLength, vocab);
    // AdamW lr 2e-5 / weight decay 0.01, no clipping, dropout on (seeded per pass), as the reference.
    const trainer = createTrainStep(encoder, {
      loss: { name: 'info-nce', scale: 20 },
      learningRate: 2e-5,
      weightDecay: 0.01,
      maxGradNorm: null,
      checkpoint: settings.checkpoint,
      ...(settings.gradCache > 0 ? { gradCache: settings.gradCache } : {}),
    });
    const variables = encoder.trainableVariables();
    const step = (): number => trainer.step({ queries, passages }).loss;
    const losses: number[] = [];
    const stepSeconds: number[] = [];
    for (let i = 0; i < settings.warmup + settings.repeats; i++) {
      const started = performance.now();
      losses.push(step());
      if (i >= settings.warmup) stepSeconds.push((performance.now() - started) / 1000);
      process.stderr.write(
        `  ${backend} B=${batch} step ${i + 1}/${settings.warmup + settings.repeats}` +
          `${i < settings.warmup ? ' (warmup)' : ''}: ${((performance.now() - started) / 1000).toFixed(2)} s, loss ${losses.at(-1)!.toFixed(4)}\n`,
      );
    }
    if (settings.profile) {
      await printProfile(
        backend,
        `${batch}${settings.checkpoint ? ', checkpointing' : ''}` +
          (settings.gradCache > 0
            ? `, gradient caching with mini-batch ${settings.gradCache}`
            : ''),
        step,
        settings.top,
        settings.byShape,
      );
    }
    trainer.dispose();
    return {
      backend,
      summary: selection.summary,
      batch,
      ...(settings.gradCache > 0 ? { gradCache: settings.gradCache } : {}),
      ...(settings.checkpoint ? { checkpoint: true } : {}),
      ok: true,
      stepSeconds,
      losses,
      trainableParameters: variables.reduce((n, v) => n + v.size, 0),
    };
  } finally {
    encoder.dispose();
  }
}

/** One step under tf.profile; kernels grouped by name, largest total time first. */
async function printProfile(
  backend: string,
  batch: string,
  step: () => number,
  top: number,
  byShape = false,
): Promise<void> {
  const started = performance.now();
  const info = await tf.profile(() => {
    step();
  });
  const wall = (performance.now() - started) / 1000;
  const byName = new Map<string, { ms: number; calls: number }>();
  let total = 0;
  const backendName = tf.getBackend();
  for (const k of info.kernels) {
    // tf.profile also lists the scopes around kernels (customGrad ops, `*__op` wrappers); their
    // time contains their kernels' time, so only registered kernels are counted.
    if (tf.getKernel(k.name, backendName) === undefined) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const key = byShape
      ? `${k.name} ${k.inputShapes.map((shape) => `[${shape?.join('×') ?? ''}]`).join(' ')}`
      : k.name;
    const entry = byName.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    byName.set(key, entry);
    total += ms;
  }
  const rows = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top);
  const lines = [
    `tf.profile of one step, ${backend} B=${batch}: ${[...byName.values()].reduce((n, e) => n + e.calls, 0)} kernel calls, ${(total / 1000).toFixed(2)} s in kernels ` +
      `of ${wall.toFixed(2)} s wall (profiling adds a sync per kernel), peak ${(info.peakBytes / 2 ** 20).toFixed(0)} MiB`,
    `  ${'kernel'.padEnd(22)} ${'calls'.padStart(6)} ${'seconds'.padStart(8)} ${'share'.padStart(6)}`,
    ...rows.map(
      ([name, { ms, calls }]) =>
        `  ${name.padEnd(22)} ${String(calls).padStart(6)} ${(ms / 1000).toFixed(3).padStart(8)} ${((100 * ms) / total).toFixed(1).padStart(5)}%`,
    ),
  ];
  console.log(lines.join('\n'));
}

/** Options of one measurement: the parent reads them and passes them on to each child process. */
const STEP_OPTIONS = {
  batch: { type: 'string' },
  model: { type: 'string' },
  'query-length': { type: 'string' },
  'passage-length': { type: 'string' },
  repeats: { type: 'string' },
  warmup: { type: 'string' },
  profile: { type: 'boolean', default: false },
  top: { type: 'string' },
  'by-shape': { type: 'boolean', default: false },
  'grad-cache': { type: 'string' },
  checkpoint: { type: 'boolean', default: false },
} as const;

async function child(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { child: { type: 'string' }, ...STEP_OPTIONS },
  });
  const backend = values.child as TfjsBackendName;
  const batch = positiveInt('batch', values.batch, 32);
  let result: ChildResult;
  try {
    result = await measure(backend, batch, {
      model: values.model!,
      queryLength: positiveInt('query-length', values['query-length'], 32),
      passageLength: positiveInt('passage-length', values['passage-length'], 128),
      repeats: positiveInt('repeats', values.repeats, 3),
      warmup: positiveInt('warmup', values.warmup, 1),
      profile: values.profile,
      top: positiveInt('top', values.top, 15),
      byShape: values['by-shape'],
      gradCache: positiveInt('grad-cache', values['grad-cache'], 0),
      checkpoint: values.checkpoint,
    });
  } catch (error) {
    result = {
      backend,
      summary: '',
      batch,
      ...(values['grad-cache'] === undefined ? {} : { gradCache: Number(values['grad-cache']) }),
      ...(values.checkpoint ? { checkpoint: true } : {}),
      ok: false,
      error: (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300),
      outOfMemory: isOutOfMemory(error),
    };
  }
  reportResult(result);
}

/**
 * Runs the reference's training measurements (after its short inference part) until it has
 * printed the contrastive step of every wanted batch size, then stops it.
 */
async function torchReference(
  python: string,
  tool: string,
  repeats: number,
  warmup: number,
  batches: readonly number[],
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const dir = mkdtempSync(join(tmpdir(), 'rtk-train-step-'));
  const args = [
    '-u',
    tool,
    '--configs',
    'small',
    '--repeats',
    String(repeats),
    '--repeats-inf',
    '1',
  ];
  try {
    await streamPython(
      { python, args: [...args, '--warmup', String(warmup), '--out', join(dir, 'torch.json')] },
      (line, stop) => {
        const m = parseTorchBenchLine(line);
        if (m?.kind === 'train' && m.mode === 'contrastive') {
          out.set(m.batch, m.seconds);
          console.log(`  torch: ${line.trim()}`);
        }
        // The reference measures batches 16 and 32 only.
        if (batches.every((b) => out.has(b) || (b !== 32 && b !== 16))) stop();
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** `pnpm bench:perf train-step [options]` (see HELP). */
export async function run(argv: readonly string[]): Promise<void> {
  if (argv.includes('--child')) return child(argv);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...STEP_OPTIONS,
      backends: { type: 'string' },
      'cpu-batch': { type: 'string' },
      'no-reference': { type: 'boolean', default: false },
      tools: { type: 'string' },
      python: { type: 'string' },
    },
  });
  const model = resolve(
    values.model ?? process.env.RTK_PERF_MODEL ?? join(REPO_ROOT, '.perf/e5-small-random'),
  );
  if (!existsSync(join(model, 'model.safetensors')) || !existsSync(join(model, 'config.json'))) {
    throw new Error(
      `no model at ${model} (needs config.json, model.safetensors and tokenizer files). Make one with ` +
        'make_bert_fixture.py --layers 12 --hidden 384 --heads 12 --intermediate 1536 --vocab-size 30522 --max-pos 512, ' +
        'or pass --model DIR.',
    );
  }
  const backends = (values.backends ?? 'tensorflow,wasm,cpu')
    .split(',')
    .map((b) => b.trim()) as TfjsBackendName[];
  const batch = positiveInt('batch', values.batch, 32);
  const cpuBatch = positiveInt('cpu-batch', values['cpu-batch'], 2);
  const gradCache =
    values['grad-cache'] === undefined ? 0 : positiveInt('grad-cache', values['grad-cache'], 0);
  const queryLength = positiveInt('query-length', values['query-length'], 32);
  const passageLength = positiveInt('passage-length', values['passage-length'], 128);
  const tools = values.tools ?? defaultToolsDir();
  const python = values.python ?? defaultPython();
  const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')) as Record<
    string,
    unknown
  >;

  console.log(
    `train-step: model ${model} (${String(config.num_hidden_layers)} layers, hidden ${String(config.hidden_size)}), ` +
      `B=${batch}, query ${queryLength} + passage ${passageLength} tokens; load average ${loadAverage()}`,
  );

  let reference = new Map<number, number>();
  const repeatsRef = positiveInt('repeats', values.repeats, 3);
  const warmupRef = positiveInt('warmup', values.warmup, 1);
  if (!values['no-reference']) {
    if (queryLength !== 32 || passageLength !== 128) {
      console.log('  torch: skipped (the reference measures only query 32 / passage 128 tokens)');
    } else {
      console.log(
        `PyTorch reference (${join(tools, TORCH_BERT_BENCH)}, 2 threads; its inference part runs first):`,
      );
      reference = await torchReference(
        python,
        join(tools, TORCH_BERT_BENCH),
        repeatsRef,
        warmupRef,
        [batch, batch / 2],
      );
    }
  }

  const results: ChildResult[] = [];
  for (const backend of backends) {
    const isCpu = backend === 'cpu';
    const b = isCpu ? Math.min(cpuBatch, batch) : batch;
    // Out of memory: plain → checkpointing → checkpointing + gradient caching at B/2, B/4, …
    let mini = isCpu ? 0 : gradCache;
    let checkpoint = values.checkpoint;
    for (;;) {
      const args = [
        '--child',
        backend,
        '--batch',
        String(b),
        '--model',
        model,
        '--query-length',
        String(queryLength),
        '--passage-length',
        String(passageLength),
        '--repeats',
        String(isCpu ? positiveInt('repeats', values.repeats, 1) : repeatsRef),
        '--warmup',
        String(isCpu ? positiveInt('warmup', values.warmup, 0) : warmupRef),
        ...(mini > 0 ? ['--grad-cache', String(mini)] : []),
        ...(checkpoint ? ['--checkpoint'] : []),
        ...(values.profile
          ? [
              '--profile',
              '--top',
              String(positiveInt('top', values.top, 15)),
              ...(values['by-shape'] ? ['--by-shape'] : []),
            ]
          : []),
      ];
      const label =
        `B=${b}` +
        (checkpoint ? ', gradient checkpointing' : '') +
        (mini > 0 ? `, gradient caching with mini-batch ${mini}` : '');
      console.log(`TF.js ${backend}, ${label}:`);
      const result = ((await runPerfChild('train-step', args)) as ChildResult | undefined) ?? {
        backend,
        summary: '',
        batch: b,
        ...(mini > 0 ? { gradCache: mini } : {}),
        ...(checkpoint ? { checkpoint: true } : {}),
        ok: false,
        error: 'the process died without a result (killed, or out of memory)',
        outOfMemory: true,
      };
      results.push(result);
      if (result.ok) {
        console.log(`  ${result.summary}`);
        break;
      }
      console.log(`  failed: ${result.error ?? 'unknown error'}`);
      const next = mini > 0 ? Math.floor(mini / 2) : Math.floor(b / 2);
      if (result.outOfMemory === true && !isCpu && (!checkpoint || next >= 1)) {
        const heap = backend === 'wasm' ? ' (4 GB WASM heap)' : '';
        if (!checkpoint) {
          console.log(
            `  ${label} does not fit in memory on ${backend}${heap}; retrying with gradient checkpointing`,
          );
          checkpoint = true;
        } else {
          console.log(
            `  ${label} does not fit in memory on ${backend}${heap}; retrying with gradient caching, mini-batch ${next}`,
          );
          mini = next;
        }
        continue;
      }
      break;
    }
  }

  console.log(`\nResults (median of timed steps; load average now ${loadAverage()}):`);
  console.log(
    `  ${'engine'.padEnd(22)} ${'batch'.padStart(5)} ${'s/step'.padStart(8)} ${'pairs/s'.padStart(8)} ${'vs torch'.padStart(16)}`,
  );
  for (const [b, s] of [...reference.entries()].sort((x, y) => y[0] - x[0])) {
    console.log(
      `  ${'pytorch (2 threads)'.padEnd(22)} ${String(b).padStart(5)} ${s.toFixed(3).padStart(8)} ${(b / s).toFixed(2).padStart(8)} ${'1.00×'.padStart(16)}`,
    );
  }
  for (const r of results) {
    if (!r.ok || r.stepSeconds === undefined) {
      console.log(
        `  ${`tfjs ${r.backend}${r.checkpoint === true ? ' ckpt' : ''}${r.gradCache === undefined ? '' : ` gc${r.gradCache}`}`.padEnd(22)} ${String(r.batch).padStart(5)}   ${r.outOfMemory === true ? 'out of memory' : 'did not run'}`,
      );
      continue;
    }
    const s = median(r.stepSeconds);
    const ref = reference.get(r.batch);
    // Without a same-batch reference (cpu's small batch), compare per-pair time against the
    // largest reference batch: only indicative, since per-pair cost grows with batch in neither.
    const largest = [...reference.entries()].sort((x, y) => y[0] - x[0])[0];
    const ratio =
      ref !== undefined
        ? `${(s / ref).toFixed(2)}×`
        : largest !== undefined
          ? `${(s / r.batch / (largest[1] / largest[0])).toFixed(1)}× per pair*`
          : 'n/a';
    console.log(
      `  ${`tfjs ${r.backend}${r.checkpoint === true ? ' ckpt' : ''}${r.gradCache === undefined ? '' : ` gc${r.gradCache}`}`.padEnd(22)} ${String(r.batch).padStart(5)} ${s.toFixed(3).padStart(8)} ${(r.batch / s).toFixed(2).padStart(8)} ${ratio.padStart(16)}`,
    );
  }
  if (results.some((r) => r.gradCache !== undefined && r.ok)) {
    console.log(
      '  gcN: gradient caching with mini-batches of N pairs (same loss and batch, ≈ one extra forward pass)',
    );
  }
  if (results.some((r) => r.checkpoint === true && r.ok)) {
    console.log(
      '  ckpt: gradient checkpointing (each layer recomputed in the backward pass, ≈ one extra forward pass)',
    );
  }
  if (results.some((r) => r.ok && !reference.has(r.batch)) && reference.size > 0) {
    console.log(
      "  * no PyTorch run at that batch: ratio of seconds per pair against PyTorch's largest batch (indicative only)",
    );
  }
  const failed = results.filter((r) => !r.ok && r.outOfMemory !== true);
  if (failed.length > 0) {
    console.log(`  did not start: ${failed.map((r) => r.backend).join(', ')} (reasons above)`);
  }
}
