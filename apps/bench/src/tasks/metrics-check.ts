import type { Ranking, ScoredDoc } from '@rtk/metrics';
import { mulberry32, shuffled, type RetrievalDataset } from '@rtk/datasets';
import type { TaskResult } from '../report/markdown.js';
import { studyMetrics } from '@rtk/evaluation';

/** k distinct indices from [0, n), uniformly, in random order (Floyd's algorithm, O(k)). */
function sampleDistinct(n: number, k: number, random: () => number): number[] {
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return shuffled([...chosen], random);
}

/**
 * Task 1: the metrics, checked on the run's own test set against what they must give.
 * Recall@K is the study's: a query counts when a relevant passage is in its top K (`hit@k`).
 * An oracle run (each query's relevant passages first) must score 1 everywhere; a seeded uniform
 * random ranking must score near the analytic expectation for one relevant passage among N:
 * Recall@k = k/N and MRR@10 = H_10/N (H = harmonic number). The table prints the random run.
 */
export function metricsCheck(test: RetrievalDataset, seed: number): TaskResult {
  const started = performance.now();
  const n = test.corpus.length;
  const ids = test.corpus.map((d) => d.id);
  const random = mulberry32(seed);
  const oracle = new Map<string, Ranking>();
  const randomRun = new Map<string, Ranking>();
  for (const q of test.queries) {
    const relevant = [...(test.qrels.get(q.id) ?? new Map<string, number>())]
      .filter(([, g]) => g > 0)
      .map(([d]) => d);
    oracle.set(
      q.id,
      relevant.map((id, i): ScoredDoc => ({ id, score: relevant.length - i })),
    );
    const picks = sampleDistinct(n, Math.min(10, n), random);
    randomRun.set(
      q.id,
      picks.map((i, r): ScoredDoc => ({ id: ids[i]!, score: 10 - r })),
    );
  }
  const oracleMetrics = studyMetrics(oracle, test.qrels);
  const randomMetrics = studyMetrics(randomRun, test.qrels);
  let harmonic = 0;
  for (let r = 1; r <= Math.min(10, n); r++) harmonic += 1 / r;
  const expected: Record<string, number> = {
    'Recall@1': Math.min(1, n) / n,
    'Recall@3': Math.min(3, n) / n,
    'Recall@10': Math.min(10, n) / n,
    'MRR@10': harmonic / n,
  };
  const notes: string[] = [];
  const oracleOk = Object.values(oracleMetrics).every((v) => Math.abs(v - 1) < 1e-12);
  notes.push(
    oracleOk
      ? 'Oracle run scores 1.0000 on every metric, as it must.'
      : `ORACLE CHECK FAILED: ${JSON.stringify(oracleMetrics)}`,
  );
  const exp = Object.entries(expected)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ');
  notes.push(
    `Random ranking (seed ${seed}) over N = ${n} passages; analytic expectation for one relevant passage: ${exp}. Queries with several relevant passages score a little higher.`,
  );
  return {
    task: 1,
    title: 'Metrics (random-ranking baseline; oracle check)',
    metrics: randomMetrics,
    settings: {
      oracle: oracleMetrics,
      expectedRandom: expected,
      seed,
      corpusSize: n,
      queries: test.queries.length,
    },
    timings: { total: (performance.now() - started) / 1000 },
    notes,
  };
}
