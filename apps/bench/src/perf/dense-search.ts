// `pnpm bench:perf dense-search`: exact top-k dense search, ours (@rtk/retrieval) against the NumPy
// reference `dense_search_bench.py` (BLAS matmul + argpartition) on the same saved vectors.
//
// Steps: (1) the reference generates seeded unit vectors, saves them and times its search; FAISS's
// exact IndexFlatIP (the same script with --engine faiss, the same vectors) is the second reference;
// (2) we load those vectors and time DenseIndex.search with the chosen kernel; (3) a NumPy run of
// the same algorithm writes its top-k ids, which are compared query by query with ours (a
// difference counts as tie-level noise when the swapped documents' exact float64 scores differ by
// less than --tie-tolerance); (4) one table with times, queries/s, peak memory and the ratio.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { InnerProductKernel, TopK } from '@rtk/retrieval';
import { DenseIndex, jsKernel } from '@rtk/retrieval';
import { createOnnxKernel } from '@rtk/retrieval/onnxruntime';
import { defaultPython, runPythonJson } from './_python.js';
import { defaultToolsDir } from './_tools.js';

const HELP = `pnpm bench:perf dense-search [options]

Exact top-k of --queries over --corpus random unit vectors (dimension --dim), ours vs NumPy.

  --queries N         query vectors (default 10000)
  --corpus N          corpus vectors (default 100000)
  --dim N             dimension (default 384)
  --k N               results per query (default 10)
  --seed N            seed of the reference's generator (default 0)
  --threads N         threads for both sides: ONNX Runtime intra-op, OpenBLAS/OMP (default 2)
  --engine NAME       onnx (default) | js
  --metric NAME       dot (default; the reference scores inner products of unit vectors) | cosine
  --query-block N     DenseIndex queryBlockSize (default: the library default)
  --corpus-block N    DenseIndex corpusBlockSize (default: the library default)
  --tie-tolerance X   float64 score gap under which a differing id counts as tie-level (default 1e-5)
  --no-check          skip the id comparison (saves one NumPy search; it runs for --metric dot only)
  --no-faiss          skip the second reference, FAISS's exact IndexFlatIP (Debian's python3-faiss)
  --tools DIR         shared tools folder (default $RTK_SHARED_TOOLS or ../shared/tools beside the repo)
  --python PATH       Python with NumPy (default $RTK_PYTHON or /usr/bin/python3)
  --work-dir DIR      where vectors and ids are written (default: a folder in the OS temp dir)
`;

interface ReferenceResult {
  readonly engine?: string;
  readonly seconds: number;
  readonly queries_per_s: number;
  readonly top_ids_sha256: string;
  readonly numpy: string;
  readonly maxrss_kb: number;
}

/** Runs a Python snippet with the threads' variables set; returns its last stdout line, parsed. */
function python(
  pythonPath: string,
  code: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): unknown {
  return runPythonJson({ python: pythonPath, args: ['-c', code, ...args], env });
}

// Runs the reference script unchanged (runpy) and adds its process's peak RSS, read by Python itself.
const RUN_REFERENCE = `
import io, json, resource, runpy, sys, contextlib
tool = sys.argv[1]
sys.argv = [tool] + sys.argv[2:]
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    runpy.run_path(tool, run_name="__main__")
out = json.loads(buf.getvalue().strip().splitlines()[-1])
out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
`;

// The reference's own search loop, writing the ids (int64, row-major) for the per-query comparison.
const NUMPY_IDS = `
import hashlib, json, sys
import numpy as np
prefix, nq, n, dim, k, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
Q = np.fromfile(prefix + ".queries.f32", dtype="<f4").reshape(nq, dim)
C = np.fromfile(prefix + ".corpus.f32", dtype="<f4").reshape(n, dim)
top = np.empty((nq, k), dtype=np.int64)
for s in range(0, nq, 1024):
    S = Q[s:s + 1024] @ C.T
    part = np.argpartition(-S, k, axis=1)[:, :k]
    ps = np.take_along_axis(S, part, axis=1)
    order = np.lexsort((part, -ps), axis=1)
    top[s:s + 1024] = np.take_along_axis(part, order, axis=1)
top.astype("<i8").tofile(out)
print(json.dumps({"top_ids_sha256": hashlib.sha256(top.astype("<i8").tobytes()).hexdigest()}))
`;

function readF32(path: string): Float32Array {
  const buf = readFileSync(path);
  // Copy when the Buffer's offset is not 4-byte aligned (pooled small buffers).
  return buf.byteOffset % 4 === 0
    ? new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
    : new Float32Array(new Uint8Array(buf).buffer);
}

/** SHA-256 of the ids as little-endian int64, row-major: the reference's checksum. */
function idsSha256(tops: readonly TopK[], k: number): string {
  const ids = new BigInt64Array(tops.length * k);
  tops.forEach((t, q) => t.indices.forEach((id, r) => (ids[q * k + r] = BigInt(id))));
  return createHash('sha256').update(new Uint8Array(ids.buffer)).digest('hex');
}

function dot64(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let s = 0;
  for (let t = 0; t < dim; t++) s += a[ai * dim + t]! * b[bi * dim + t]!;
  return s;
}

interface Agreement {
  readonly identical: number;
  readonly tieLevel: number;
  readonly mismatched: number;
  readonly worstGap: number;
}

/**
 * Per query: identical id lists, or differing only among documents whose exact (float64) scores
 * lie within `tolerance` of each other at the positions where the lists differ.
 */
function compare(
  ours: readonly TopK[],
  theirs: BigInt64Array,
  queries: Float32Array,
  corpus: Float32Array,
  dim: number,
  k: number,
  tolerance: number,
): Agreement {
  let identical = 0;
  let tieLevel = 0;
  let mismatched = 0;
  let worstGap = 0;
  ours.forEach((top, q) => {
    let same = true;
    let gap = 0;
    for (let r = 0; r < k; r++) {
      const a = top.indices[r]!;
      const b = Number(theirs[q * k + r]!);
      if (a === b) continue;
      same = false;
      gap = Math.max(
        gap,
        Math.abs(dot64(queries, q, corpus, a, dim) - dot64(queries, q, corpus, b, dim)),
      );
    }
    if (same) identical++;
    else if (gap < tolerance) tieLevel++;
    else mismatched++;
    worstGap = Math.max(worstGap, gap);
  });
  return { identical, tieLevel, mismatched, worstGap };
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Entry point called by `perf.ts`. */
export async function run(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      queries: { type: 'string', default: '10000' },
      corpus: { type: 'string', default: '100000' },
      dim: { type: 'string', default: '384' },
      k: { type: 'string', default: '10' },
      seed: { type: 'string', default: '0' },
      threads: { type: 'string', default: '2' },
      engine: { type: 'string', default: 'onnx' },
      metric: { type: 'string', default: 'dot' },
      'query-block': { type: 'string' },
      'corpus-block': { type: 'string' },
      'tie-tolerance': { type: 'string', default: '1e-5' },
      'no-check': { type: 'boolean', default: false },
      'no-faiss': { type: 'boolean', default: false },
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
  const int = (name: string, text: string): number => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`--${name} must be an integer ≥ 1; received ${text}`);
    return v;
  };
  const nq = int('queries', values.queries);
  const n = int('corpus', values.corpus);
  const dim = int('dim', values.dim);
  const k = int('k', values.k);
  const seed = Number(values.seed);
  const threads = int('threads', values.threads);
  const tolerance = Number(values['tie-tolerance']);
  if (values.engine !== 'onnx' && values.engine !== 'js')
    throw new Error(`--engine must be onnx or js; received ${values.engine}`);
  if (values.metric !== 'dot' && values.metric !== 'cosine') {
    throw new Error(`--metric must be dot or cosine; received ${values.metric}`);
  }
  const tool = join(values.tools, 'dense_search_bench.py');
  if (!existsSync(tool))
    throw new Error(`reference not found: ${tool}; pass --tools DIR or set RTK_SHARED_TOOLS`);
  const workDir =
    values['work-dir'] ?? join(tmpdir(), `rtk-dense-search-${nq}x${n}x${dim}-s${seed}`);
  mkdirSync(workDir, { recursive: true });
  const prefix = join(workDir, 'vectors');
  const env = { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };

  // (1) Reference: generate, save, time.
  console.log(`NumPy reference: ${tool} (threads ${threads}) …`);
  const refArgs = [
    '--queries',
    values.queries,
    '--corpus',
    values.corpus,
    '--dim',
    values.dim,
    '--k',
    values.k,
  ];
  const ref = python(
    values.python,
    RUN_REFERENCE,
    [tool, ...refArgs, '--seed', String(seed), '--threads', String(threads), '--save', prefix],
    env,
  ) as ReferenceResult;

  // (1b) FAISS's exact IndexFlatIP on the same vectors (the script regenerates them from the seed).
  let faiss: ReferenceResult | undefined;
  let faissProblem: string | undefined;
  if (!values['no-faiss']) {
    console.log(`FAISS reference: ${tool} --engine faiss (threads ${threads}) …`);
    try {
      faiss = python(
        values.python,
        RUN_REFERENCE,
        [
          tool,
          ...refArgs,
          '--seed',
          String(seed),
          '--threads',
          String(threads),
          '--engine',
          'faiss',
        ],
        env,
      ) as ReferenceResult;
    } catch (error) {
      faissProblem = error instanceof Error ? error.message.split('\n')[0] : String(error);
      console.log(`FAISS reference did not run (${faissProblem}); reporting NumPy only`);
    }
  }

  // (2) Ours on the same vectors.
  const queries = readF32(`${prefix}.queries.f32`);
  const corpus = readF32(`${prefix}.corpus.f32`);
  let kernel: InnerProductKernel = jsKernel;
  let release = async (): Promise<void> => {};
  if (values.engine === 'onnx') {
    const onnx = await createOnnxKernel({ threads });
    kernel = onnx;
    release = () => onnx.release();
  }
  console.log(`ours: DenseIndex with kernel ${kernel.name}, metric ${values.metric} …`);
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const index = new DenseIndex(corpus, { dim, metric: values.metric, kernel });
  const t1 = performance.now();
  const tops = await index.search(queries, {
    k,
    ...(values['query-block'] === undefined
      ? {}
      : { queryBlockSize: int('query-block', values['query-block']) }),
    ...(values['corpus-block'] === undefined
      ? {}
      : { corpusBlockSize: int('corpus-block', values['corpus-block']) }),
  });
  const t2 = performance.now();
  await release();
  const oursSeconds = (t2 - t1) / 1000;
  const oursPeakKb = process.resourceUsage().maxRSS;
  const oursSha = idsSha256(tops, k);

  // (3) Agreement.
  let agreement: Agreement | undefined;
  let numpyIdsSha: string | undefined;
  if (!values['no-check'] && values.metric === 'dot') {
    console.log('NumPy ids for the comparison …');
    const idsPath = join(workDir, 'numpy-ids.i64');
    numpyIdsSha = (
      python(
        values.python,
        NUMPY_IDS,
        [prefix, values.queries, values.corpus, values.dim, values.k, idsPath],
        env,
      ) as {
        top_ids_sha256: string;
      }
    ).top_ids_sha256;
    const buf = readFileSync(idsPath);
    const theirs = new BigInt64Array(new Uint8Array(buf).buffer);
    agreement = compare(tops, theirs, queries, corpus, dim, k, tolerance);
  }

  // (4) Report.
  const ratio = oursSeconds / ref.seconds;
  console.log('');
  console.log(`exact top-${k}, ${nq} queries × ${n} passages, dim ${dim}, ${threads} threads`);
  console.log(`| side | engine | search s | queries/s | peak RSS (process) |`);
  console.log(`|---|---|---:|---:|---:|`);
  console.log(
    `| NumPy ${ref.numpy} | matmul + argpartition | ${ref.seconds.toFixed(2)} | ${ref.queries_per_s.toFixed(0)} | ${mib(ref.maxrss_kb * 1024)} |`,
  );
  if (faiss !== undefined) {
    console.log(
      `| FAISS | IndexFlatIP (exact) | ${faiss.seconds.toFixed(2)} | ${faiss.queries_per_s.toFixed(0)} | ${mib(faiss.maxrss_kb * 1024)} |`,
    );
  }
  console.log(
    `| @rtk/retrieval | ${kernel.name} | ${oursSeconds.toFixed(2)} | ${(nq / oursSeconds).toFixed(0)} | ${mib(oursPeakKb * 1024)} |`,
  );
  console.log('');
  console.log(
    `index build (${values.metric === 'cosine' ? 'validate + normalise' : 'validate'}): ${((t1 - t0) / 1000).toFixed(2)} s; RSS before search ${mib(rssBefore)}`,
  );
  console.log(
    `ratio ours / NumPy (search time): ${ratio.toFixed(2)}  (target ≤ 1.5)` +
      (faiss === undefined
        ? ''
        : `;  ours / FAISS: ${(oursSeconds / faiss.seconds).toFixed(2)}  (target ≤ 1.0)`),
  );
  if (faiss !== undefined) {
    console.log(
      `FAISS top-id checksum ${faiss.top_ids_sha256.slice(0, 16)}…${faiss.top_ids_sha256 === oursSha ? ' (identical to ours)' : ' (differs from ours: FAISS orders near-equal scores its own way)'}`,
    );
  }
  console.log(
    `top-id checksum: ours ${oursSha.slice(0, 16)}…, reference ${ref.top_ids_sha256.slice(0, 16)}…${oursSha === ref.top_ids_sha256 ? ' (identical)' : ''}`,
  );
  if (numpyIdsSha !== undefined && numpyIdsSha !== ref.top_ids_sha256) {
    console.log(
      'warning: the comparison ids differ from the reference run (non-deterministic BLAS?)',
    );
  }
  if (agreement !== undefined) {
    const pct = (x: number): string => `${((100 * x) / nq).toFixed(2)}%`;
    console.log(
      `agreement with NumPy per query: identical ${agreement.identical} (${pct(agreement.identical)}), ` +
        `tie-level (< ${tolerance}) ${agreement.tieLevel} (${pct(agreement.tieLevel)}), mismatched ${agreement.mismatched}; ` +
        `largest exact-score gap at a differing rank ${agreement.worstGap.toExponential(2)}`,
    );
    if (agreement.mismatched > 0) {
      process.exitCode = 1;
      console.error(`error: ${agreement.mismatched} queries differ from NumPy beyond tie level`);
    }
  }
}
