// `pnpm bench:perf mine`: what hard-negative mining costs on top of the search it needs.
//
// Dense: the NumPy oracle mine_reference.py generates queries, a corpus with near-duplicate bait
// and 1–3 positives a query (10k × 100k × 384 by default). We time (a) the exact top-k search of
// the same sizes that mining needs (DenseIndex, k = rangeMax + maxPositives, and k = 10 as in
// `bench:perf dense-search`), and (b) mineHardNegativesFromEmbeddings with the window 10–50,
// 5 negatives and both margins: the search plus positive scores, guards, window and sampling.
// Target: (b) ≤ 1.10 × (a). Correctness against the oracle is a unit test
// (packages/mining/src/mine-embeddings.test.ts), not part of this run.
//
// BM25: mineHardNegatives over the real-text pairs of `bench:perf tfidf`
// (node packages/tfidf/scripts/make-perf-pairs.mjs → .perf/tfidf-pairs.jsonl), same settings;
// reported as queries/s (index time apart).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadJsonlPairs } from '@rtk/datasets';
import {
  mineHardNegatives,
  mineHardNegativesFromEmbeddings,
  type HardNegativeOptions,
} from '@rtk/mining';
import { DenseIndex, jsKernel, type InnerProductKernel } from '@rtk/retrieval';
import { createOnnxKernel } from '@rtk/retrieval/onnxruntime';
import { Bm25Retriever } from '@rtk/tfidf';
import { defaultPython, runPythonJson } from './_python.js';
import { defaultToolsDir, loadAverage, REPO_ROOT } from './_tools.js';

const HELP = `pnpm bench:perf mine [options]

Hard-negative mining against the exact top-k search it needs (dense), and BM25 mining queries/s.

  --queries N        dense queries (default 10000)
  --corpus N         dense corpus (default 100000)
  --dim N            dimension (default 384)
  --seed N           seed of the oracle's generator (default 0)
  --threads N        ONNX Runtime intra-op threads (default 2)
  --engine NAME      onnx (default) | js
  --pairs FILE       real-text pairs for BM25 (default .perf/tfidf-pairs.jsonl)
  --bm25-limit N     at most N pairs for BM25 (default 50000)
  --skip NAME        dense | bm25
  --tools DIR        shared tools folder (default $RTK_SHARED_TOOLS or ../shared/tools beside the repo)
  --python PATH      Python with NumPy (default $RTK_PYTHON or /usr/bin/python3)
  --work-dir DIR     where the oracle writes the vectors (default: a folder in the OS temp dir)
`;

/** The settings of the target: window 10–50, 5 negatives, margins on. */
const SETTINGS: HardNegativeOptions = {
  rangeMin: 10,
  rangeMax: 50,
  numNegatives: 5,
  absoluteMargin: 0,
  relativeMargin: 0.05,
};

function readF32(path: string): Float32Array {
  return new Float32Array(new Uint8Array(readFileSync(path)).buffer);
}

const seconds = (t0: number): number => (performance.now() - t0) / 1000;

async function dense(
  values: Record<string, string | boolean | undefined>,
  int: (n: string) => number,
): Promise<void> {
  const nq = int('queries');
  const n = int('corpus');
  const dim = int('dim');
  const seed = int('seed');
  const threads = int('threads');
  const tool = join(String(values.tools), 'mine_reference.py');
  if (!existsSync(tool))
    throw new Error(`oracle not found: ${tool}; pass --tools DIR or set RTK_SHARED_TOOLS`);
  const dir = String(values['work-dir'] ?? join(tmpdir(), `rtk-mine-${nq}x${n}x${dim}-s${seed}`));
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'positives.json'))) {
    console.log(`generating ${nq} × ${n} × ${dim} with ${tool} …`);
    const gen = `import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__"); print("{}")`;
    runPythonJson({
      python: String(values.python),
      args: [
        '-c',
        gen,
        tool,
        '--generate',
        dir,
        '--queries',
        String(nq),
        '--corpus',
        String(n),
        '--dim',
        String(dim),
        '--seed',
        String(seed),
      ],
    });
  }
  const queries = readF32(join(dir, 'queries.f32'));
  const corpus = readF32(join(dir, 'corpus.f32'));
  const { positives } = JSON.parse(readFileSync(join(dir, 'positives.json'), 'utf8')) as {
    positives: number[][];
  };
  const maxPositives = positives.reduce((m, p) => Math.max(m, p.length), 0);
  let kernel: InnerProductKernel = jsKernel;
  let release = async (): Promise<void> => {};
  if (values.engine === 'onnx') {
    const onnx = await createOnnxKernel({ threads });
    kernel = onnx;
    release = () => onnx.release();
  }
  const k = SETTINGS.rangeMax! + maxPositives;
  console.log(`kernel ${kernel.name}; load ${loadAverage()}`);

  let t0 = performance.now();
  await new DenseIndex(corpus, { dim, metric: 'dot', kernel }).search(queries, { k: 10 });
  const search10 = seconds(t0);
  console.log(`exact top-10 search: ${search10.toFixed(2)} s; load ${loadAverage()}`);
  t0 = performance.now();
  await new DenseIndex(corpus, { dim, metric: 'dot', kernel }).search(queries, { k });
  const searchK = seconds(t0);
  console.log(`exact top-${k} search: ${searchK.toFixed(2)} s; load ${loadAverage()}`);
  t0 = performance.now();
  const mined = await mineHardNegativesFromEmbeddings(
    { queries, corpus, dim, positives },
    { ...SETTINGS, metric: 'dot', kernel },
  );
  const mining = seconds(t0);
  console.log(`mining: ${mining.toFixed(2)} s; load ${loadAverage()}`);
  await release();
  const s = mined.stats;
  console.log('');
  console.log(
    `dense mining, ${nq} queries × ${n} passages, dim ${dim}, window 10–50, 5 negatives, absoluteMargin 0, relativeMargin 0.05, ${threads} threads`,
  );
  console.log('| step | seconds | queries/s |');
  console.log('|---|---:|---:|');
  console.log(
    `| exact top-10 search (DenseIndex) | ${search10.toFixed(2)} | ${(nq / search10).toFixed(0)} |`,
  );
  console.log(
    `| exact top-${k} search (DenseIndex, the depth mining needs) | ${searchK.toFixed(2)} | ${(nq / searchK).toFixed(0)} |`,
  );
  console.log(
    `| mineHardNegativesFromEmbeddings | ${mining.toFixed(2)} | ${(nq / mining).toFixed(0)} |`,
  );
  console.log('');
  console.log(
    `ratio mining / top-${k} search: ${(mining / searchK).toFixed(2)} (target ≤ 1.10); mining / top-10 search: ${(mining / search10).toFixed(2)}`,
  );
  console.log(
    `removed: positives ${s.removed.positives}, absoluteMargin ${s.removed.absoluteMargin}, relativeMargin ${s.removed.relativeMargin}; queries short ${s.queriesShort}; negatives ${s.negativesChosen}`,
  );
}

async function bm25(
  values: Record<string, string | boolean | undefined>,
  int: (n: string) => number,
): Promise<void> {
  const path = String(values.pairs);
  if (!existsSync(path)) {
    console.log(
      `BM25: ${path} not found; make it with node packages/tfidf/scripts/make-perf-pairs.mjs (skipped)`,
    );
    return;
  }
  const pairs = (await loadJsonlPairs(path)).slice(0, int('bm25-limit'));
  const retriever = new Bm25Retriever();
  let indexed = 0;
  const t0 = performance.now();
  const mined = await mineHardNegatives(pairs, {
    retriever,
    ...SETTINGS,
    // The last index progress call marks the end of indexing.
    onProgress: (stage) => {
      if (stage === 'index') indexed = performance.now();
    },
  });
  const total = seconds(t0);
  const index = ((indexed || t0) - t0) / 1000;
  const s = mined.stats;
  console.log('');
  console.log(
    `BM25 mining over ${path}: ${s.pairs} pairs, ${s.queries} queries, ${s.corpusSize} passages; load ${loadAverage()}`,
  );
  console.log('| step | seconds | rate |');
  console.log('|---|---:|---:|');
  console.log(
    `| index (Bm25Retriever) | ${index.toFixed(2)} | ${(s.corpusSize / index).toFixed(0)} passages/s |`,
  );
  console.log(
    `| search + guards + sampling | ${(total - index).toFixed(2)} | ${(s.queries / (total - index)).toFixed(0)} queries/s |`,
  );
  console.log(
    `removed: positives ${s.removed.positives}, absoluteMargin ${s.removed.absoluteMargin}, relativeMargin ${s.removed.relativeMargin}; queries searched deeper ${s.deeperSearches}; queries short ${s.queriesShort}`,
  );
}

/** Entry point called by `perf.ts`. */
export async function run(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      queries: { type: 'string', default: '10000' },
      corpus: { type: 'string', default: '100000' },
      dim: { type: 'string', default: '384' },
      seed: { type: 'string', default: '0' },
      threads: { type: 'string', default: '2' },
      engine: { type: 'string', default: 'onnx' },
      pairs: { type: 'string', default: join(REPO_ROOT, '.perf/tfidf-pairs.jsonl') },
      'bm25-limit': { type: 'string', default: '50000' },
      skip: { type: 'string' },
      tools: { type: 'string', default: defaultToolsDir() },
      python: { type: 'string', default: defaultPython() },
      'work-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const int = (name: string): number => {
    const text = String(values[name as keyof typeof values]);
    const v = Number(text);
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`--${name} must be an integer ≥ 0; received ${text}`);
    return v;
  };
  if (values.engine !== 'onnx' && values.engine !== 'js')
    throw new Error(`--engine must be onnx or js; received ${values.engine}`);
  if (values.skip !== undefined && values.skip !== 'dense' && values.skip !== 'bm25')
    throw new Error(`--skip must be dense or bm25; received ${values.skip}`);
  if (values.skip !== 'dense') await dense(values, int);
  if (values.skip !== 'bm25') await bm25(values, int);
}
