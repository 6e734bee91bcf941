// `pnpm bench:perf encode`: sentence-encoding throughput of @rtk/encoders (transformers.js +
// ONNX Runtime) against the PyTorch reference `torch_bert_bench.py`, on the same encoder shape.
//
// Protocol (the reference's): batch 32, sequence lengths 64/128/256, every token real (no
// padding), median of --repeats timed batches after --warmup untimed ones; texts/s = 32 / median.
// Ours times the whole `encoder.encode(texts)` call — tokenizing, the ONNX run, mean pooling and
// normalisation — on texts built to tokenize to exactly L tokens; the reference times its
// forward pass, pooling included, on random ids. The reference runs in the same go with the same
// thread count (it fixes torch.set_num_threads(2)); its training measurements are skipped by
// stopping it once its inference lines are printed.
//
// Side by side (unless --no-export), the same model's graph written by our exporter (exportOnnx,
// from config.json + model.safetensors) is timed with the same protocol, its batches alternating
// with the PyTorch-exported graph's so both see the same machine load.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  exportOnnx,
  loadSentenceEncoder,
  loadTokenizer,
  type EncoderDtype,
  type SentenceEncoder,
} from '@rtk/encoders';
import { progressBar } from '@rtk/cli-kit';
import { defaultPython, streamPython } from './_python.js';
import { median } from './_stats.js';
import { parseTorchBenchLine, TORCH_BERT_BENCH } from './_torch-bert-bench.js';
import { defaultToolsDir, loadAverage, REPO_ROOT } from './_tools.js';

const HELP = `pnpm bench:perf encode [options]

Texts/s of encode() at batch 32 for sequence lengths 64, 128, 256, ours vs PyTorch.

  --model DIR        model folder (default $RTK_PERF_MODEL or .perf/e5-small-random; make it with
                     make_bert_fixture.py --layers 12 --hidden 384 --heads 12 --intermediate 1536
                     --vocab-size 30522 --max-pos 512)
  --lengths LIST     sequence lengths (default 64,128,256)
  --batch N          texts per batch (default 32)
  --threads N        ONNX Runtime intra-op threads (default 2, as the reference)
  --dtype NAME       ONNX weights: fp32 (default) | q8 | …
  --spin             let ONNX Runtime's idle threads spin-wait (default off, like the
                     reference's OMP_WAIT_POLICY=PASSIVE)
  --repeats N        timed batches per length (default 7, as the reference)
  --warmup N         untimed batches per length (default 1)
  --corpus N         also encode N mixed-length passages end to end with a progress bar (default 0)
  --no-reference     skip PyTorch
  --no-export        skip our exported graph (default: timed beside the folder's onnx/ graph)
  --tools DIR        shared tools folder (default $RTK_SHARED_TOOLS or ../shared/tools beside the repo)
  --python PATH      Python with torch (default $RTK_PYTHON or /usr/bin/python3)
`;

// Single-token words of the BERT vocabularies (make_bert_fixture.py's word list and the real one).
const WORDS = [
  'the',
  'city',
  'music',
  'people',
  'river',
  'world',
  'team',
  'game',
  'school',
  'water',
  'book',
  'film',
];

function textOfTokens(tokens: number, shift: number): string {
  return Array.from({ length: tokens - 2 }, (_, i) => WORDS[(i + shift) % WORDS.length]!).join(' ');
}

/** Runs the reference until it has printed the inference line of every length, then stops it. */
async function torchReference(
  python: string,
  tool: string,
  lengths: readonly number[],
  repeats: number,
  warmup: number,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const args = ['-u', tool, '--configs', 'small', '--repeats-inf', String(repeats)];
  await streamPython(
    {
      python,
      args: [
        ...args,
        '--warmup',
        String(warmup),
        '--out',
        join(REPO_ROOT, '.perf', 'torch_bert_bench.json'),
      ],
    },
    (line, stop) => {
      const m = parseTorchBenchLine(line);
      if (m?.kind === 'infer' && m.config === 'small' && m.batch === 32) {
        out.set(m.length, m.seconds);
        console.log(`  PyTorch L=${m.length}: ${m.seconds} s/batch`);
      }
      // The reference measures 64, 128 and 256 (in that order), then trains: stop before that.
      if (lengths.every((l) => out.has(l)) || out.has(256)) stop();
    },
  );
  return out;
}

export async function run(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      model: {
        type: 'string',
        default: process.env['RTK_PERF_MODEL'] ?? join(REPO_ROOT, '.perf', 'e5-small-random'),
      },
      lengths: { type: 'string', default: '64,128,256' },
      batch: { type: 'string', default: '32' },
      threads: { type: 'string', default: '2' },
      dtype: { type: 'string', default: 'fp32' },
      repeats: { type: 'string', default: '7' },
      warmup: { type: 'string', default: '1' },
      corpus: { type: 'string', default: '0' },
      'no-reference': { type: 'boolean', default: false },
      'no-export': { type: 'boolean', default: false },
      spin: { type: 'boolean', default: false },
      tools: { type: 'string', default: defaultToolsDir() },
      python: { type: 'string', default: defaultPython() },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const lengths = values.lengths.split(',').map(Number);
  const batch = Number(values.batch);
  const threads = Number(values.threads);
  const repeats = Number(values.repeats);
  const warmup = Number(values.warmup);
  const corpusSize = Number(values.corpus);
  if (!existsSync(join(values.model, 'config.json'))) {
    throw new Error(
      `${values.model} is not a model folder; make it with make_bert_fixture.py (see --help).`,
    );
  }
  const load = loadAverage();
  console.log(
    `model ${values.model}, batch ${batch}, threads ${threads}, spin-wait ${values.spin ? 'on' : 'off'}, dtype ${values.dtype}; load average ${load}`,
  );

  const encoder = await loadSentenceEncoder({
    model: values.model,
    prefixes: false,
    threads,
    spinWait: values.spin,
    dtype: values.dtype as EncoderDtype,
    maxLength: Math.max(...lengths),
  });
  const tokenizer = await loadTokenizer(encoder.dir);
  const ours = new Map<number, number>();
  const exportedTimes = new Map<number, number>();
  let exported: SentenceEncoder | undefined;
  const scratch = await mkdtemp(join(tmpdir(), 'rtk-bench-export-'));
  try {
    if (!values['no-export']) {
      const t0 = performance.now();
      const out = await exportOnnx(values.model, join(scratch, 'model'), {
        dtype: values.dtype === 'q8' ? 'q8' : 'fp32',
      });
      console.log(
        `  exported the graph from model.safetensors in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      exported = await loadSentenceEncoder({
        model: out.dir,
        prefixes: false,
        threads,
        spinWait: values.spin,
        dtype: values.dtype as EncoderDtype,
        maxLength: Math.max(...lengths),
      });
    }
    for (const L of lengths) {
      const texts = Array.from({ length: batch }, (_, i) => textOfTokens(L, i));
      const enc = tokenizer.encodeBatch(texts, { maxLength: L });
      if (enc.length !== L || enc.attentionMask.some((m) => m === 0))
        throw new Error(`bench texts do not tokenize to ${L} tokens (got ${enc.length})`);
      const encoders = exported === undefined ? [encoder] : [encoder, exported];
      for (const e of encoders)
        for (let i = 0; i < warmup; i++)
          await e.encode(texts, { role: 'passage', batchSize: batch });
      const times: number[][] = encoders.map(() => []);
      for (let i = 0; i < repeats; i++) {
        for (const [j, e] of encoders.entries()) {
          const t0 = performance.now();
          await e.encode(texts, { role: 'passage', batchSize: batch });
          times[j]!.push((performance.now() - t0) / 1000);
        }
      }
      ours.set(L, median(times[0]!));
      console.log(`  ours    L=${L}: ${median(times[0]!).toFixed(4)} s/batch`);
      if (exported !== undefined) {
        exportedTimes.set(L, median(times[1]!));
        console.log(`  ours, exported graph L=${L}: ${median(times[1]!).toFixed(4)} s/batch`);
      }
    }
    if (corpusSize > 0) {
      // Mixed lengths (16–256 tokens), shuffled: exercises length sorting and the progress bar.
      const texts = Array.from({ length: corpusSize }, (_, i) =>
        textOfTokens(16 + ((i * 7919) % 241), i),
      );
      const bar = progressBar('encode passages', 'texts');
      const t0 = performance.now();
      await encoder.encode(texts, { role: 'passage', batchSize: batch, onProgress: bar.update });
      bar.stop();
      const s = (performance.now() - t0) / 1000;
      console.log(
        `  end to end: ${corpusSize} passages of 16–256 tokens in ${s.toFixed(1)} s → ${((s * 10_000) / corpusSize / 60).toFixed(1)} min per 10k`,
      );
    }
  } finally {
    await encoder.dispose();
    await exported?.dispose();
    await rm(scratch, { recursive: true, force: true });
  }

  let reference = new Map<number, number>();
  if (!values['no-reference']) {
    const tool = join(values.tools, TORCH_BERT_BENCH);
    console.log(`PyTorch reference: ${tool} (torch.set_num_threads(2)) …`);
    reference = await torchReference(values.python, tool, lengths, repeats, warmup);
  }

  console.log('');
  console.log(
    `encode throughput, batch ${batch}, ${threads} threads, spin-wait ${values.spin ? 'on' : 'off'}, ${encoder.settings.dtype}, load average before ${load}, after ${loadAverage()}`,
  );
  console.log(
    '| seq len | ours s/batch | ours texts/s | ours min per 10k texts | PyTorch texts/s | ratio ours/PyTorch |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const L of lengths) {
    const s = ours.get(L)!;
    const r = reference.get(L);
    const ratio = r === undefined ? '–' : (batch / s / (32 / r)).toFixed(2);
    console.log(
      `| ${L} | ${s.toFixed(4)} | ${(batch / s).toFixed(1)} | ${(10_000 / (batch / s) / 60).toFixed(1)} | ${r === undefined ? '–' : (32 / r).toFixed(1)} | ${ratio} |`,
    );
  }
  if (exportedTimes.size > 0) {
    console.log('');
    console.log(
      'our exported graph (exportOnnx) beside the PyTorch-exported one, same run, batches alternating',
    );
    console.log(
      '| seq len | exported s/batch | exported texts/s | exported/torch-ONNX speed | exported/PyTorch |',
    );
    console.log('|---:|---:|---:|---:|---:|');
    for (const L of lengths) {
      const x = exportedTimes.get(L)!;
      const r = reference.get(L);
      console.log(
        `| ${L} | ${x.toFixed(4)} | ${(batch / x).toFixed(1)} | ${(ours.get(L)! / x).toFixed(3)} | ${r === undefined ? '–' : (r / x).toFixed(2)} |`,
      );
    }
  }
  const r128 = reference.get(128);
  const s128 = ours.get(128);
  if (r128 !== undefined && s128 !== undefined)
    console.log(`ratio at length 128: ${(r128 / s128).toFixed(2)} (target ≥ 1.0)`);
}
