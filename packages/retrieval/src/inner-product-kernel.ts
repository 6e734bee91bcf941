/**
 * The matrix product at the heart of dense search, behind an interface so that a faster engine
 * (for example `createOnnxKernel` from `@rtk/retrieval/onnxruntime`, multithreaded MLAS sgemm) can
 * be injected while this package keeps a dependency-free default, {@link jsKernel}.
 *
 * Contract: `a` holds `aRows × dim` and `b` holds `bRows × dim` float32 values, row-major; the
 * kernel writes `out[i * bRows + j] = Σₜ a[i·dim + t] · b[j·dim + t]` for every `i < aRows`,
 * `j < bRows` (`out.length === aRows × bRows`). Inputs are validated by the caller; the kernel
 * may assume finite values and matching lengths. The result is rounded to float32, and the
 * summation order is the kernel's own, so two kernels can differ in the last bits.
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * await jsKernel.innerProducts(Float32Array.of(1, 2), Float32Array.of(3, 4, 5, 6), 2, out);
 * console.log(Array.from(out)); // [ 11, 17 ]
 * ```
 */
export interface InnerProductKernel {
  /** A short name for reports, e.g. `js` or `onnxruntime-node(2 threads)`. */
  readonly name: string;
  /** Fill `out` with all inner products between rows of `a` and rows of `b` (see above). */
  innerProducts(
    a: Float32Array,
    b: Float32Array,
    dim: number,
    out: Float32Array,
  ): Promise<void> | void;
  /**
   * Optional fused product and selection, for engines that can select faster than a JS scan of
   * the whole tile: for each row `i` of `a`, the `k` (≤ rows of `b`) largest inner products with
   * rows of `b`, best first, equal scores by lower row of `b` first. Returns `undefined` when some
   * score may be NaN; the caller then falls back to {@link InnerProductKernel.innerProducts} and its
   * own checks, so errors name the exact query and row.
   */
  topK?(
    a: Float32Array,
    b: Float32Array,
    dim: number,
    k: number,
  ): Promise<KernelTopK | undefined> | KernelTopK | undefined;
}

/** The result of {@link InnerProductKernel.topK}: `aRows × k` entries, row-major, best first per row. */
export interface KernelTopK {
  /** Scores, `scores[i * k + r]`. */
  readonly scores: Float32Array;
  /** Rows of `b` (0-based within the tile), `rows[i * k + r]`. */
  readonly rows: Int32Array;
}

/**
 * The pure-JavaScript {@link InnerProductKernel}: synchronous, single-threaded, no dependencies.
 *
 * Each pass reads one row of `b` once for four rows of `a` (a 4 × 1 register tile) and sums in
 * float64, so its results are the float32 rounding of nearly exact dot products. It reaches a few
 * GFLOP/s; for large searches inject a native kernel (see the package README for measurements).
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * jsKernel.innerProducts(Float32Array.of(1, 0, 0, 1), Float32Array.of(2, 3), 2, out);
 * console.log(Array.from(out)); // [ 2, 3 ]
 * ```
 */
export const jsKernel: InnerProductKernel = {
  name: 'js',
  innerProducts(a: Float32Array, b: Float32Array, dim: number, out: Float32Array): void {
    const aRows = a.length / dim;
    const bRows = b.length / dim;
    let i = 0;
    for (; i + 4 <= aRows; i += 4) {
      const a0 = i * dim;
      const a1 = a0 + dim;
      const a2 = a1 + dim;
      const a3 = a2 + dim;
      for (let j = 0; j < bRows; j++) {
        const b0 = j * dim;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let t = 0; t < dim; t++) {
          const x = b[b0 + t]!;
          s0 += a[a0 + t]! * x;
          s1 += a[a1 + t]! * x;
          s2 += a[a2 + t]! * x;
          s3 += a[a3 + t]! * x;
        }
        out[i * bRows + j] = s0;
        out[(i + 1) * bRows + j] = s1;
        out[(i + 2) * bRows + j] = s2;
        out[(i + 3) * bRows + j] = s3;
      }
    }
    for (; i < aRows; i++) {
      const a0 = i * dim;
      for (let j = 0; j < bRows; j++) {
        const b0 = j * dim;
        let s = 0;
        for (let t = 0; t < dim; t++) s += a[a0 + t]! * b[b0 + t]!;
        out[i * bRows + j] = s;
      }
    }
  },
};
