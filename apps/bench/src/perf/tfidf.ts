// `pnpm bench:perf tfidf --pairs FILE`: TF-IDF fit + ranking speed, ours (@rtk/tfidf) against
// scikit-learn's reference `tfidf_sklearn_bench.py` on the same JSONL pairs file.
//
// Both sides: corpus = the distinct passages (first-seen order), each query's relevant passage is
// its own; TfidfVectorizer defaults; fit on the corpus; every query ranked against every passage
// (ties → lower corpus index); Recall@1/3/10 and MRR over the full ranking. Ours: fit =
// TfidfVectorizer.fitTransform + InvertedIndex; search = transform queries, per query one score
// pass through the index, selectTopK(10) and rankOf(relevant). The reference runs afterwards (not
// concurrently) through a wrapper that also saves its per-query ranks, compared one by one.
//
// Make a pairs file of real text (Debian documentation, no network):
//   apt-get install -y python3-doc python-django-doc
//   node packages/tfidf/scripts/make-perf-pairs.mjs --out .perf/tfidf-pairs.jsonl
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { meanReciprocalRank } from '@rtk/metrics';
import { selectTopK } from '@rtk/retrieval';
import { rankOf } from '@rtk/metrics';
import { InvertedIndex, TfidfVectorizer } from '@rtk/tfidf';
import { defaultPython, runPythonJson } from './_python.js';
import { defaultToolsDir, loadAverage } from './_tools.js';

const HELP = `pnpm bench:perf tfidf --pairs FILE [options]

TF-IDF (scikit-learn defaults) fit on the distinct passages of FILE, then every query ranked
against all of them (top 10 and the full-ranking rank of its passage); ours vs scikit-learn.

  --pairs FILE          JSONL, one {"query": ..., "passage": ...} a line (required)
  --max-queries N       queries to rank, the first N lines (default 10000)
  --query-field NAME    default "query"
  --passage-field NAME  default "passage"
  --sublinear           sublinear_tf on both sides
  --stop-words english  stop_words on both sides
  --repeat N            time our fit + search N times, report the fastest (default 1)
  --no-sklearn          skip the reference run
  --tools DIR           shared tools folder (default $RTK_SHARED_TOOLS or ../shared/tools beside the repo)
  --python PATH         Python with scikit-learn (default $RTK_PYTHON or /usr/bin/python3)
`;

interface Pairs {
  readonly corpus: string[];
  readonly queries: string[];
  readonly relevant: Uint32Array;
}

function readPairs(
  path: string,
  queryField: string,
  passageField: string,
  maxQueries: number,
): Pairs {
  const corpus: string[] = [];
  const index = new Map<string, number>();
  const queries: string[] = [];
  const relevant: number[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new Error(
        `${path}:${i + 1}: not valid JSON (${(error as Error).message}); expected {"query", "passage"}`,
        {
          cause: error,
        },
      );
    }
    const q = row[queryField];
    const p = row[passageField];
    if (typeof q !== 'string' || typeof p !== 'string') {
      throw new Error(
        `${path}:${i + 1}: fields "${queryField}" and "${passageField}" must be strings; use --query-field/--passage-field`,
      );
    }
    let id = index.get(p);
    if (id === undefined) {
      id = corpus.length;
      index.set(p, id);
      corpus.push(p);
    }
    queries.push(q);
    relevant.push(id);
  });
  const n = Math.min(maxQueries, queries.length);
  return { corpus, queries: queries.slice(0, n), relevant: Uint32Array.from(relevant.slice(0, n)) };
}

interface Measured {
  readonly fitSeconds: number;
  readonly searchSeconds: number;
  readonly ranks: Uint32Array;
  readonly top10Agrees: boolean;
  readonly terms: number;
}

function runOurs(pairs: Pairs, sublinearTf: boolean, stopWords: 'english' | undefined): Measured {
  const t0 = performance.now();
  const vectorizer = new TfidfVectorizer({
    sublinearTf,
    ...(stopWords !== undefined && { stopWords }),
  });
  const index = InvertedIndex.fromMatrix(vectorizer.fitTransform(pairs.corpus));
  const t1 = performance.now();
  const queries = vectorizer.transform(pairs.queries);
  const buffer = new Float64Array(index.numDocuments);
  const ranks = new Uint32Array(pairs.queries.length);
  let top10Agrees = true;
  for (let q = 0; q < pairs.queries.length; q++) {
    const scores = index.scores(InvertedIndex.row(queries, q), buffer);
    const top = selectTopK(scores, 10);
    const rel = pairs.relevant[q]!;
    ranks[q] = rankOf(scores, rel);
    // The top 10 and the full-ranking rank come from the same order: check they agree.
    const at = top.indices.indexOf(rel);
    if ((at >= 0 ? at + 1 : 0) !== (ranks[q]! <= 10 ? ranks[q]! : 0)) top10Agrees = false;
  }
  const t2 = performance.now();
  return {
    fitSeconds: (t1 - t0) / 1000,
    searchSeconds: (t2 - t1) / 1000,
    ranks,
    top10Agrees,
    terms: vectorizer.terms.length,
  };
}

interface Metrics {
  readonly 'Recall@1': number;
  readonly 'Recall@3': number;
  readonly 'Recall@10': number;
  readonly MRR: number;
}

/** The study's numbers from full-ranking ranks (one relevant passage per query). */
function metricsOf(ranks: ArrayLike<number>): Metrics {
  let r1 = 0;
  let r3 = 0;
  let r10 = 0;
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i]!;
    if (r <= 1) r1++;
    if (r <= 3) r3++;
    if (r <= 10) r10++;
  }
  const n = ranks.length;
  return {
    'Recall@1': r1 / n,
    'Recall@3': r3 / n,
    'Recall@10': r10 / n,
    MRR: meanReciprocalRank(ranks),
  };
}

interface Reference {
  readonly corpus: number;
  readonly queries: number;
  readonly metrics: Metrics;
  readonly seconds: { readonly fit: number; readonly search: number; readonly total: number };
  readonly peak_rss_mib: number;
}

// Runs the reference script unchanged (runpy), then saves the `ranks` array it computed.
const RUN_REFERENCE = `
import io, json, runpy, sys, contextlib
tool, ranks_out = sys.argv[1], sys.argv[2]
sys.argv = [tool] + sys.argv[3:]
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    g = runpy.run_path(tool, run_name="__main__")
g["ranks"].astype("<u4").tofile(ranks_out)
print(buf.getvalue().strip().splitlines()[-1])
`;

function runReference(
  pythonPath: string,
  tool: string,
  args: readonly string[],
  ranksOut: string,
): Reference {
  return runPythonJson({
    python: pythonPath,
    args: ['-c', RUN_REFERENCE, tool, ranksOut, ...args],
  }) as Reference;
}

const METRICS = ['Recall@1', 'Recall@3', 'Recall@10', 'MRR'] as const;

const fmt = (x: number, digits = 3): string => x.toFixed(digits);

export async function run(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      pairs: { type: 'string' },
      'max-queries': { type: 'string', default: '10000' },
      'query-field': { type: 'string', default: 'query' },
      'passage-field': { type: 'string', default: 'passage' },
      sublinear: { type: 'boolean', default: false },
      'stop-words': { type: 'string' },
      repeat: { type: 'string', default: '1' },
      'no-sklearn': { type: 'boolean', default: false },
      tools: { type: 'string', default: defaultToolsDir() },
      python: { type: 'string', default: defaultPython() },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || values.pairs === undefined) {
    console.log(HELP);
    if (values.pairs === undefined && !values.help) process.exitCode = 1;
    return;
  }
  const maxQueries = Number(values['max-queries']);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(maxQueries) || maxQueries < 1)
    throw new Error(`--max-queries must be an integer ≥ 1, got ${values['max-queries']}`);
  if (!Number.isInteger(repeat) || repeat < 1)
    throw new Error(`--repeat must be an integer ≥ 1, got ${values.repeat}`);
  const stopWords = values['stop-words'];
  if (stopWords !== undefined && stopWords !== 'english')
    throw new Error(`--stop-words must be "english", got ${stopWords}`);

  const pairs = readPairs(values.pairs, values['query-field'], values['passage-field'], maxQueries);
  console.log(
    `pairs ${values.pairs}: ${pairs.corpus.length} distinct passages, ${pairs.queries.length} queries`,
  );
  const load = loadAverage;
  console.log(`machine: ${cpus().length} CPUs, load average at start ${load()}`);
  if (pairs.corpus.length < 40000)
    console.log(
      `note: fewer than 40,000 passages (${pairs.corpus.length}); the study-scale benchmark wants ≥ 40,000`,
    );

  let best: Measured | undefined;
  for (let i = 0; i < repeat; i++) {
    const m = runOurs(pairs, values.sublinear, stopWords);
    if (best === undefined || m.fitSeconds + m.searchSeconds < best.fitSeconds + best.searchSeconds)
      best = m;
  }
  const ours = best!;
  const oursRssMiB = process.resourceUsage().maxRSS / 1024;
  const oursMetrics = metricsOf(ours.ranks);
  const oursTotal = ours.fitSeconds + ours.searchSeconds;

  const rows: string[][] = [
    ['', 'ours (@rtk/tfidf)'],
    ['fit s', fmt(ours.fitSeconds)],
    ['search s', fmt(ours.searchSeconds)],
    ['total s', fmt(oursTotal)],
    ['docs/s (fit)', fmt(pairs.corpus.length / ours.fitSeconds, 0)],
    ['queries/s (search)', fmt(pairs.queries.length / ours.searchSeconds, 0)],
    ['peak RSS MiB', fmt(oursRssMiB, 1)],
    ...METRICS.map((k) => [k, fmt(oursMetrics[k], 4)]),
  ];

  let verdict = '';
  if (!values['no-sklearn']) {
    const tool = join(values.tools, 'tfidf_sklearn_bench.py');
    if (!existsSync(tool)) {
      throw new Error(
        `reference script not found: ${tool}. Pass --tools DIR (the folder holding tfidf_sklearn_bench.py), ` +
          'set RTK_SHARED_TOOLS, or run with --no-sklearn to time ours only.',
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'rtk-tfidf-'));
    try {
      const ranksPath = join(dir, 'ranks.u32');
      const args = [
        values.pairs,
        '--max-queries',
        String(maxQueries),
        '--query-field',
        values['query-field'],
        '--passage-field',
        values['passage-field'],
      ];
      if (values.sublinear) args.push('--sublinear');
      if (stopWords !== undefined) args.push('--stop-words', stopWords);
      const ref = runReference(values.python, tool, args, ranksPath);
      const buf = readFileSync(ranksPath);
      const refRanks = new Uint32Array(
        buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
      );
      let same = 0;
      for (let q = 0; q < ours.ranks.length; q++) if (refRanks[q] === ours.ranks[q]) same++;
      const refTotal = ref.seconds.fit + ref.seconds.search;
      rows[0]!.push('scikit-learn');
      const refCells = [
        fmt(ref.seconds.fit),
        fmt(ref.seconds.search),
        fmt(refTotal),
        fmt(ref.corpus / ref.seconds.fit, 0),
        fmt(ref.queries / ref.seconds.search, 0),
        fmt(ref.peak_rss_mib, 1),
        ...METRICS.map((k) => fmt(ref.metrics[k], 4)),
      ];
      refCells.forEach((c, i) => rows[i + 1]!.push(c));
      const identical =
        same === ours.ranks.length &&
        (['Recall@1', 'Recall@3', 'Recall@10'] as const).every(
          (k) => oursMetrics[k] === ref.metrics[k],
        ) &&
        Math.abs(oursMetrics.MRR - ref.metrics.MRR) <= 1e-12;
      verdict =
        `ratio ours/sklearn: fit ${fmt(ours.fitSeconds / ref.seconds.fit, 2)}×, search ${fmt(ours.searchSeconds / ref.seconds.search, 2)}×, ` +
        `total ${fmt(oursTotal / refTotal, 2)}× (target ≤ 1.0×)\n` +
        `per-query ranks identical: ${same}/${ours.ranks.length}; metrics identical: ${identical ? 'yes' : 'NO'}` +
        ` (Recall exact; MRR ${oursMetrics.MRR} vs ${ref.metrics.MRR}, summation order may differ in the last bits)`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows)
    console.log(
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  '),
    );
  console.log(
    `vocabulary ${ours.terms} terms; top-10 lists consistent with full ranks: ${ours.top10Agrees ? 'yes' : 'NO'}`,
  );
  if (verdict !== '') console.log(verdict);
  console.log(
    `load average at end ${load()} (timings are wall clock: a loaded machine slows both sides)`,
  );
  await Promise.resolve();
}
