import type { ProgressCallback } from './types.js';
import type { InnerProductKernel } from './inner-product-kernel.js';
import type { TopK } from './select-top-k.js';
import { InvalidOptionError, NaNScoreError } from './errors.js';
import { assertValidK } from './select-top-k.js';
import { jsKernel } from './inner-product-kernel.js';
import { TopKHeap } from './_top-k-heap.js';
import { checkDim, checkMatrix, checkOptionalCount, normalizeRowsInto } from './_embeddings.js';

/** How dense search scores a query against a passage. */
export type DenseMetric = 'cosine' | 'dot';

/** The valid {@link DenseMetric} values (the list error messages print). */
export const DENSE_METRICS: readonly DenseMetric[] = ['cosine', 'dot'];

/** Options for the {@link DenseIndex} constructor. */
export interface DenseIndexOptions {
  /** Embedding width; `corpus.length` must be a multiple of it. */
  readonly dim: number;
  /** `cosine` (default: rows are L2-normalised, zero rows score 0) or `dot` (raw inner product). */
  readonly metric?: DenseMetric;
  /** The matrix-product engine; default {@link jsKernel} (pure JS). */
  readonly kernel?: InnerProductKernel;
}

/** Options for {@link DenseIndex.search}. */
export interface DenseSearchBlockOptions {
  /** Results per query, an integer ≥ 1; more than the corpus size returns the whole corpus. */
  readonly k: number;
  /** Queries scored per block (default 256). */
  readonly queryBlockSize?: number;
  /** Corpus rows scored per block (default 16,384). The score tile takes 4 bytes × the product. */
  readonly corpusBlockSize?: number;
  /** Called after each query block with (queries done, total queries). */
  readonly onProgress?: ProgressCallback;
}

const DEFAULT_QUERY_BLOCK = 256;
const DEFAULT_CORPUS_BLOCK = 16_384;

/**
 * An exact dense (brute-force) index over a matrix of passage embeddings: top-k by cosine or inner
 * product, in blocks, with bounded memory.
 *
 * Definition: for each query q the k corpus rows c with the largest s(q, c), best first, where
 * s = q·c (`dot`) or q·c / (‖q‖‖c‖) (`cosine`; all-zero rows score 0). Equal scores keep the lower
 * corpus row first (the project's ranking rule, as in {@link selectTopK}). Scores are the
 * kernel's float32 products, reported as float64.
 *
 * How: for cosine the corpus is normalised once, into a copy; for dot the index keeps a
 * reference to `corpus` (do not modify it afterwards). A search scores one
 * `queryBlockSize × corpusBlockSize` tile at a time with the injected {@link InnerProductKernel}
 * and streams every row of the tile through a bounded k-heap per query (or, when the kernel has
 * a fused `topK`, merges the tile's k best per query), so memory stays at one tile plus k results
 * per query — never a queries × corpus matrix.
 *
 * Relations: {@link denseSearch} is the one-shot form. Retrievers that embed text (the encoders
 * package) hold a `DenseIndex` of passage embeddings and map row indices back to document ids.
 *
 * @throws {@link InvalidOptionError} for a bad `dim`, `metric` or a corpus that is not a Float32Array.
 * @throws {@link DimensionMismatchError} if `corpus.length` is not a multiple of `dim`.
 * @throws {@link NonFiniteEmbeddingError} naming the row and column of a NaN or ±Infinity.
 * @example
 * ```ts
 * const index = new DenseIndex(Float32Array.of(1, 0, 0, 1, 1, 1), { dim: 2 });
 * const [top] = await index.search(Float32Array.of(1, 0.1), { k: 2 });
 * console.log(Array.from(top!.indices), Array.from(top!.scores, (s) => s.toFixed(3)));
 * // [ 0, 2 ] [ '0.995', '0.774' ]
 * ```
 */
export class DenseIndex {
  /** Embedding width. */
  readonly dim: number;
  /** Number of corpus rows. */
  readonly size: number;
  /** The scoring function. */
  readonly metric: DenseMetric;
  /** The matrix-product engine in use. */
  readonly kernel: InnerProductKernel;
  readonly #corpus: Float32Array;

  constructor(corpus: Float32Array, options: DenseIndexOptions) {
    const where = 'DenseIndex';
    checkDim(options.dim, where);
    const metric = options.metric ?? 'cosine';
    if (!DENSE_METRICS.includes(metric)) {
      throw new InvalidOptionError('metric', where, `one of ${DENSE_METRICS.join(', ')}`, metric);
    }
    this.size = checkMatrix(corpus, 'corpus', options.dim, where);
    this.dim = options.dim;
    this.metric = metric;
    this.kernel = options.kernel ?? jsKernel;
    if (metric === 'cosine') {
      this.#corpus = new Float32Array(corpus.length);
      normalizeRowsInto(corpus, this.#corpus, this.dim);
    } else {
      this.#corpus = corpus;
    }
  }

  /**
   * Top-k corpus rows for each query row, best first (see the class description).
   *
   * @param queries - `rows × dim` float32 values, row-major.
   * @returns One {@link TopK} per query row, in query order.
   * @throws {@link InvalidKError}, {@link InvalidOptionError} for bad options.
   * @throws {@link DimensionMismatchError} if `queries.length` is not a multiple of `dim`.
   * @throws {@link NonFiniteEmbeddingError} for a NaN or ±Infinity in `queries`.
   * @throws {@link NaNScoreError} if a product overflows to NaN (metric `dot` with huge values).
   * @example
   * ```ts
   * const index = new DenseIndex(Float32Array.of(1, 2, 3, 4), { dim: 2, metric: 'dot' });
   * const tops = await index.search(Float32Array.of(1, 0, 0, 1), { k: 1 });
   * console.log(tops.map((t) => [t.indices[0], t.scores[0]])); // [ [ 1, 3 ], [ 1, 4 ] ]
   * ```
   */
  async search(queries: Float32Array, options: DenseSearchBlockOptions): Promise<TopK[]> {
    const where = 'DenseIndex.search';
    assertValidK(options.k, where);
    checkOptionalCount(options.queryBlockSize, 'queryBlockSize', where);
    checkOptionalCount(options.corpusBlockSize, 'corpusBlockSize', where);
    const dim = this.dim;
    const nq = checkMatrix(queries, 'queries', dim, where);
    const n = this.size;
    const qBlock = Math.min(options.queryBlockSize ?? DEFAULT_QUERY_BLOCK, Math.max(nq, 1));
    const cBlock = Math.min(options.corpusBlockSize ?? DEFAULT_CORPUS_BLOCK, Math.max(n, 1));
    const capacity = Math.min(options.k, n);
    const results: TopK[] = [];
    const heaps = Array.from({ length: qBlock }, () => new TopKHeap(capacity));
    const qScratch = this.metric === 'cosine' ? new Float32Array(qBlock * dim) : undefined;
    // The score tile: allocated on first use (a kernel with a fused topK may never need it).
    let tile: Float32Array | undefined;

    for (let q0 = 0; q0 < nq; q0 += qBlock) {
      const qRows = Math.min(qBlock, nq - q0);
      let qMat = queries.subarray(q0 * dim, (q0 + qRows) * dim);
      if (qScratch !== undefined) {
        const target = qScratch.subarray(0, qRows * dim);
        normalizeRowsInto(qMat, target, dim);
        qMat = target;
      }
      for (let i = 0; i < qRows; i++) heaps[i]!.clear();
      for (let c0 = 0; c0 < n; c0 += cBlock) {
        const cRows = Math.min(cBlock, n - c0);
        const cMat = this.#corpus.subarray(c0 * dim, (c0 + cRows) * dim);
        const kk = Math.min(capacity, cRows);
        const fused =
          this.kernel.topK === undefined ? undefined : await this.kernel.topK(qMat, cMat, dim, kk);
        if (fused !== undefined) {
          mergeTileTopK(fused.scores, fused.rows, qRows, kk, c0, heaps);
          continue;
        }
        tile ??= new Float32Array(qBlock * cBlock);
        const out = tile.subarray(0, qRows * cRows);
        await this.kernel.innerProducts(qMat, cMat, dim, out);
        scanTile(out, qRows, cRows, c0, heaps, q0);
      }
      for (let i = 0; i < qRows; i++) results.push(heaps[i]!.drain());
      options.onProgress?.(q0 + qRows, nq);
    }
    return results;
  }
}

/** Pushes a kernel's per-tile top-k (rows relative to the tile starting at corpus row `c0`) into the heaps. */
function mergeTileTopK(
  scores: Float32Array,
  rows: Int32Array,
  qRows: number,
  kk: number,
  c0: number,
  heaps: readonly TopKHeap[],
): void {
  for (let i = 0; i < qRows; i++) {
    const heap = heaps[i]!;
    for (let r = 0; r < kk; r++) heap.push(scores[i * kk + r]!, c0 + rows[i * kk + r]!);
  }
}

/** Streams each row of a `qRows × cRows` score tile into its query's heap. */
function scanTile(
  tile: Float32Array,
  qRows: number,
  cRows: number,
  c0: number,
  heaps: readonly TopKHeap[],
  q0: number,
): void {
  for (let i = 0; i < qRows; i++) {
    const heap = heaps[i]!;
    const rowStart = i * cRows;
    let j = 0;
    for (; j < cRows && heap.size < heap.capacity; j++) {
      const s = tile[rowStart + j]!;
      if (s !== s) throw new NaNScoreError(c0 + j, 'DenseIndex.search', q0 + i);
      heap.push(s, c0 + j);
    }
    let root = heap.scores[0]!;
    for (; j < cRows; j++) {
      const s = tile[rowStart + j]!;
      // Rows arrive in increasing index order, so an equal score never displaces the root; the
      // single comparison also routes NaN (for which it is false) to the check below.
      if (s <= root) continue;
      if (s !== s) throw new NaNScoreError(c0 + j, 'DenseIndex.search', q0 + i);
      heap.replaceRoot(s, c0 + j);
      root = heap.scores[0]!;
    }
  }
}
