import type * as OnnxRuntime from 'onnxruntime-node';
import type { InnerProductKernel, KernelTopK } from '../inner-product-kernel.js';
import { EngineUnavailableError, InvalidOptionError } from '../errors.js';
import { gemmTopKModel, gemmTransposedModel } from './_gemm-model.js';

/** Options for {@link createOnnxKernel}. */
export interface OnnxKernelOptions {
  /** Threads of ONNX Runtime's intra-op pool (integer ≥ 1); default: ONNX Runtime's choice (physical cores). */
  readonly threads?: number;
}

/** An {@link InnerProductKernel} backed by ONNX Runtime sessions; release it when done. */
export interface OnnxKernel extends InnerProductKernel {
  /** Fused Gemm + TopK (always present on this kernel). */
  topK(a: Float32Array, b: Float32Array, dim: number, k: number): Promise<KernelTopK | undefined>;
  /** Frees the native session. The kernel must not be used afterwards. */
  release(): Promise<void>;
}

type Ort = typeof OnnxRuntime;

/**
 * An {@link InnerProductKernel} on ONNX Runtime for Node (`onnxruntime-node`, an optional peer
 * dependency): a `Gemm(A, B, transB = 1)` node built in code, run by MLAS's multithreaded,
 * AVX2/AVX-512 float32 GEMM. `innerProducts` writes straight into the caller's tile (no copy);
 * the fused `topK` adds ONNX `TopK` (largest first, ties by lower index, as the ONNX spec
 * requires) and a `ReduceSum` whose NaN reveals a NaN score, so a search never copies score
 * tiles into JavaScript unless a NaN needs locating.
 *
 * Why: exact search is one big matrix product; on the 2-core benchmark machine this engine was
 * far faster than the pure-JS {@link jsKernel} (figures in the package README). It lives under a
 * subpath so the main entry stays dependency-free; `onnxruntime-node` is loaded only when this
 * function is called.
 *
 * Note: MLAS sums in float32 in its own order, so scores can differ from {@link jsKernel} in the
 * last bits and near-ties may order differently; ties between identical rows remain exact.
 * `onnxruntime-node` runs a session synchronously on the main thread, so the kernel blocks the
 * event loop for one tile at a time.
 *
 * @throws {@link EngineUnavailableError} if `onnxruntime-node` cannot be loaded.
 * @throws {@link InvalidOptionError} for a bad `threads`.
 * @example
 * ```ts
 * import { DenseIndex } from '@rtk/retrieval';
 * import { createOnnxKernel } from '@rtk/retrieval/onnxruntime';
 *
 * const kernel = await createOnnxKernel({ threads: 2 });
 * const index = new DenseIndex(Float32Array.of(1, 0, 0, 1), { dim: 2, kernel });
 * const [top] = await index.search(Float32Array.of(0.2, 0.9), { k: 1 });
 * console.log(kernel.name, top!.indices[0]); // onnxruntime-node(2 threads) 1
 * await kernel.release();
 * ```
 */
export async function createOnnxKernel(options: OnnxKernelOptions = {}): Promise<OnnxKernel> {
  const where = 'createOnnxKernel';
  const { threads } = options;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new InvalidOptionError('threads', where, 'an integer ≥ 1 or undefined', threads);
  }
  let ort: Ort;
  try {
    ort = await import('onnxruntime-node');
  } catch (error) {
    throw new EngineUnavailableError('onnxruntime-node', where, error);
  }
  const sessionOptions = {
    ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  } as const;
  const session = await ort.InferenceSession.create(gemmTransposedModel(), sessionOptions);
  const topKSession = await ort.InferenceSession.create(gemmTopKModel(), sessionOptions);
  return {
    name: `onnxruntime-node(${threads === undefined ? 'default' : String(threads)} threads)`,
    async innerProducts(
      a: Float32Array,
      b: Float32Array,
      dim: number,
      out: Float32Array,
    ): Promise<void> {
      const aRows = a.length / dim;
      const bRows = b.length / dim;
      if (aRows === 0 || bRows === 0) return;
      const S = new ort.Tensor('float32', out, [aRows, bRows]);
      await session.run(
        {
          A: new ort.Tensor('float32', a, [aRows, dim]),
          B: new ort.Tensor('float32', b, [bRows, dim]),
        },
        { S },
      );
    },
    async topK(
      a: Float32Array,
      b: Float32Array,
      dim: number,
      k: number,
    ): Promise<KernelTopK | undefined> {
      const aRows = a.length / dim;
      const bRows = b.length / dim;
      if (aRows === 0 || k === 0) return { scores: new Float32Array(0), rows: new Int32Array(0) };
      const out = await topKSession.run({
        A: new ort.Tensor('float32', a, [aRows, dim]),
        B: new ort.Tensor('float32', b, [bRows, dim]),
        K: new ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1]),
      });
      const probe = out['R']!.data as Float32Array;
      if (Number.isNaN(probe[0])) return undefined;
      const indices = out['I']!.data as BigInt64Array;
      const rows = new Int32Array(indices.length);
      for (let p = 0; p < indices.length; p++) rows[p] = Number(indices[p]!);
      return { scores: out['V']!.data as Float32Array, rows };
    },
    async release(): Promise<void> {
      await session.release();
      await topKSession.release();
    },
  };
}
