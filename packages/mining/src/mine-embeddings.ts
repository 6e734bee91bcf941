import {
  DenseIndex,
  type DenseMetric,
  type InnerProductKernel,
  type ProgressCallback,
} from '@rtk/retrieval';
import { InvalidMiningOptionError, InvalidPairsError } from './errors.js';
import { SelectionRun, type HardNegativeSelection } from './select-hard-negatives.js';
import { resolveMiningSettings, type HardNegativeOptions } from './settings.js';

/** Embeddings to mine over: row-major float32 matrices and each query's positives as corpus rows. */
export interface EmbeddingMiningInput {
  /** `queries × dim` values. */
  readonly queries: Float32Array;
  /** `corpus × dim` values. */
  readonly corpus: Float32Array;
  readonly dim: number;
  /** Per query, its positives (corpus rows, at least one). */
  readonly positives: readonly (readonly number[])[];
}

/** Options of {@link mineHardNegativesFromEmbeddings}. */
export interface EmbeddingMiningOptions extends HardNegativeOptions {
  /** `cosine` (default; sentence-transformers normalises embeddings) or `dot` (rows used as they are). */
  readonly metric?: DenseMetric;
  /** Matrix-product engine of the search (default: the pure-JS kernel of `@rtk/retrieval`). */
  readonly kernel?: InnerProductKernel;
  /** Queries searched per call of the bounded top-k search (default 1024). */
  readonly queryBlockSize?: number;
  /** Called with (queries done, total). */
  readonly onProgress?: ProgressCallback;
}

const WHERE = 'mineHardNegativesFromEmbeddings';

function norm(m: Float32Array, row: number, dim: number): number {
  let s = 0;
  for (let t = 0; t < dim; t++) s += m[row * dim + t]! * m[row * dim + t]!;
  return Math.sqrt(s);
}

/**
 * Hard negatives over a dense corpus: each query's `rangeMax + maxPositives` best corpus rows by
 * the bounded-memory exact search of `@rtk/retrieval` (`DenseIndex`: one score tile at a time,
 * never a queries × corpus matrix), then {@link selectHardNegatives}' guards, window and sampler.
 * Positive scores are computed directly (float64 dot products of the same rows), as
 * sentence-transformers' `similarity_pairwise` does, so a positive outside the candidates still
 * sets the margins' reference.
 *
 * @throws {@link InvalidMiningOptionError} for bad options; {@link InvalidPairsError} for a
 *   query without positives, a positive row outside the corpus, or a count of positive lists
 *   that is not one per query — all before the search starts.
 * @throws the `DenseIndex` errors of `@rtk/retrieval` (dimension mismatch, NaN in a row).
 * @example
 * ```ts
 * const { negatives } = await mineHardNegativesFromEmbeddings(
 *   { queries: Float32Array.of(1, 0), corpus: Float32Array.of(1, 0, 0.9, 0.1, 0, 1), dim: 2, positives: [[0]] },
 *   { numNegatives: 1 },
 * );
 * // negatives [[1]]
 * ```
 */
export async function mineHardNegativesFromEmbeddings(
  input: EmbeddingMiningInput,
  options: EmbeddingMiningOptions = {},
): Promise<HardNegativeSelection> {
  const { dim, positives } = input;
  const metric = options.metric ?? 'cosine';
  const maxPositives = positives.reduce((m, p) => Math.max(m, p.length), 0);
  const settings = resolveMiningSettings(options, Math.max(1, maxPositives), WHERE);
  const block = options.queryBlockSize ?? 1024;
  if (!Number.isInteger(block) || block < 1)
    throw new InvalidMiningOptionError('queryBlockSize', 'an integer ≥ 1', block, WHERE);
  const index = new DenseIndex(input.corpus, {
    dim,
    metric,
    ...(options.kernel ? { kernel: options.kernel } : {}),
  });
  const nq = input.queries.length / dim;
  if (!Number.isInteger(nq))
    throw new InvalidPairsError(
      WHERE,
      undefined,
      `queries hold ${input.queries.length} values, not a multiple of dim ${dim}`,
    );
  if (positives.length !== nq)
    throw new InvalidPairsError(
      WHERE,
      undefined,
      `${positives.length} positive lists for ${nq} queries`,
    );
  positives.forEach((p, q) => {
    if (p.length === 0) throw new InvalidPairsError(WHERE, q, 'the query has no positives');
    for (const row of p)
      if (!Number.isInteger(row) || row < 0 || row >= index.size)
        throw new InvalidPairsError(
          WHERE,
          q,
          `positive row ${row} is outside the corpus (${index.size} rows)`,
        );
  });
  const k = Math.min(settings.candidatesPerQuery, index.size);
  const run = new SelectionRun(settings);
  const { queries, corpus } = input;
  const cosine = metric === 'cosine';
  for (let q0 = 0; q0 < nq; q0 += block) {
    const rows = Math.min(block, nq - q0);
    const tops = await index.search(queries.subarray(q0 * dim, (q0 + rows) * dim), { k });
    tops.forEach((top, i) => {
      const q = q0 + i;
      const qn = cosine ? norm(queries, q, dim) : 1;
      const posScores = positives[q]!.map((p) => {
        let s = 0;
        for (let t = 0; t < dim; t++) s += queries[q * dim + t]! * corpus[p * dim + t]!;
        if (!cosine) return s;
        const d = qn * norm(corpus, p, dim);
        return d === 0 ? 0 : s / d;
      });
      run.add(top.indices, top.scores, positives[q]!, posScores);
    });
    options.onProgress?.(q0 + rows, nq);
  }
  return run.finish(
    {
      queries: nq,
      pairs: positives.reduce((s, p) => s + p.length, 0),
      corpusSize: index.size,
      candidatesPerQuery: k,
    },
    { written: 0, dropped: 0 },
  );
}
