import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import type { InnerProductKernel } from './inner-product-kernel.js';
import { DenseIndex } from './dense-index.js';
import { jsKernel } from './inner-product-kernel.js';
import { selectTopK } from './select-top-k.js';
import {
  DimensionMismatchError,
  InvalidKError,
  InvalidOptionError,
  NaNScoreError,
  NonFiniteEmbeddingError,
} from './errors.js';
import { bruteForceDense } from './_test-brute-force.js';

/** A kernel that answers a tick later, to exercise the overlap of computing and scanning. */
const asyncKernel: InnerProductKernel = {
  name: 'async-js',
  async innerProducts(a, b, dim, out) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await jsKernel.innerProducts(a, b, dim, out);
  },
};

/** A kernel with a fused topK built from jsKernel + selectTopK; `undefined` for tiles with a NaN. */
const fusedKernel: InnerProductKernel = {
  name: 'fused-js',
  innerProducts: (a, b, dim, out) => jsKernel.innerProducts(a, b, dim, out),
  topK(a, b, dim, k) {
    const bRows = b.length / dim;
    const out = new Float32Array((a.length / dim) * bRows);
    void jsKernel.innerProducts(a, b, dim, out);
    if (out.some(Number.isNaN)) return undefined;
    const scores = new Float32Array((a.length / dim) * k);
    const rows = new Int32Array(scores.length);
    for (let i = 0; i < a.length / dim; i++) {
      const top = selectTopK(out.subarray(i * bRows, (i + 1) * bRows), k);
      scores.set(top.scores, i * k);
      rows.set(top.indices, i * k);
    }
    return { scores, rows };
  },
};

/** Collects the sizes of the tiles a search asks for. */
function recordingKernel(sizes: number[]): InnerProductKernel {
  return {
    name: 'recording',
    innerProducts(a, b, dim, out) {
      sizes.push(out.length);
      return jsKernel.innerProducts(a, b, dim, out);
    },
  };
}

function plain(
  tops: readonly { indices: Uint32Array; scores: Float64Array }[],
): { indices: number[]; scores: number[] }[] {
  return tops.map((t) => ({ indices: Array.from(t.indices), scores: Array.from(t.scores) }));
}

// Small integer entries: every dot product is exact in float32 and float64 alike, and ties abound.
const searchCase = fc
  .record({
    dim: fc.integer({ min: 1, max: 5 }),
    nq: fc.integer({ min: 0, max: 7 }),
    n: fc.integer({ min: 0, max: 40 }),
    k: fc.integer({ min: 1, max: 45 }),
    queryBlockSize: fc.integer({ min: 1, max: 8 }),
    corpusBlockSize: fc.integer({ min: 1, max: 16 }),
  })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      queries: fc.array(fc.integer({ min: -2, max: 2 }), {
        minLength: c.nq * c.dim,
        maxLength: c.nq * c.dim,
      }),
      corpus: fc.array(fc.integer({ min: -2, max: 2 }), {
        minLength: c.n * c.dim,
        maxLength: c.n * c.dim,
      }),
    }),
  );

describe('DenseIndex', () => {
  // Hand-computed: corpus rows (1,0), (0,1), (1,1); query (1,0.1). Cosines: 1/√1.01 ≈ 0.99504,
  // 0.1/√1.01 ≈ 0.09950, 1.1/√2.02 ≈ 0.77395.
  it('ranks by cosine by default', async () => {
    const index = new DenseIndex(Float32Array.of(1, 0, 0, 1, 1, 1), { dim: 2 });
    const [top] = await index.search(Float32Array.of(1, 0.1), { k: 3 });
    expect(Array.from(top!.indices)).toEqual([0, 2, 1]);
    const expected = [0.99504, 0.77395, 0.0995];
    top!.scores.forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 4));
  });

  it('equals brute force with metric dot, ties and tiling included (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        searchCase,
        fc.constantFrom(jsKernel, asyncKernel, fusedKernel),
        async ({ c, queries, corpus }, kernel) => {
          const index = new DenseIndex(Float32Array.from(corpus), {
            dim: c.dim,
            metric: 'dot',
            kernel,
          });
          const tops = await index.search(Float32Array.from(queries), c);
          expect(plain(tops)).toEqual(bruteForceDense(queries, corpus, c.dim, c.k, 'dot'));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('agrees with brute-force cosine to float32 precision (property)', async () => {
    const value = fc.double({ min: -1, max: 1, noNaN: true });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 10 }),
        fc.infiniteStream(value),
        async (dim, n, k, values) => {
          const corpus = [...values.take(n * dim)];
          const queries = [...values.take(3 * dim)];
          const tops = await new DenseIndex(Float32Array.from(corpus), { dim }).search(
            Float32Array.from(queries),
            {
              k,
              corpusBlockSize: 7,
            },
          );
          const expected = bruteForceDense(
            Float32Array.from(queries),
            Float32Array.from(corpus),
            dim,
            k,
            'cosine',
          );
          tops.forEach((top, q) => {
            const want = expected[q]!;
            expect(top.indices.length).toBe(want.indices.length);
            // Rank by rank the scores agree; indices may differ only where scores are within rounding.
            top.scores.forEach((s, r) => expect(Math.abs(s - want.scores[r]!)).toBeLessThan(1e-5));
          });
        },
      ),
    );
  });

  it('puts the earlier of duplicate rows first under cosine', async () => {
    // Rows 1 and 3 are identical (and so are their normalised copies): an exact tie.
    const corpus = Float32Array.of(0, 1, 3, 4, 1, 0, 3, 4);
    const [top] = await new DenseIndex(corpus, { dim: 2 }).search(Float32Array.of(3, 4), { k: 2 });
    expect(Array.from(top!.indices)).toEqual([1, 3]);
  });

  it('scores all-zero rows 0 under cosine', async () => {
    const [top] = await new DenseIndex(Float32Array.of(0, 0, -1, 0), { dim: 2 }).search(
      Float32Array.of(1, 0),
      { k: 2 },
    );
    expect(Array.from(top!.indices)).toEqual([0, 1]);
    expect(Array.from(top!.scores)).toEqual([0, -1]);
  });

  it('never asks for a tile larger than queryBlockSize × corpusBlockSize', async () => {
    const sizes: number[] = [];
    const index = new DenseIndex(new Float32Array(100 * 3).fill(1), {
      dim: 3,
      kernel: recordingKernel(sizes),
    });
    const tops = await index.search(new Float32Array(50 * 3).fill(1), {
      k: 5,
      queryBlockSize: 8,
      corpusBlockSize: 16,
    });
    expect(tops).toHaveLength(50);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8 * 16);
    // ceil(50 / 8) query blocks × ceil(100 / 16) corpus blocks.
    expect(sizes).toHaveLength(7 * 7);
  });

  it('reports progress per query block', async () => {
    const calls: [number, number | undefined][] = [];
    await new DenseIndex(new Float32Array(6).fill(1), { dim: 2 }).search(
      new Float32Array(10).fill(1),
      {
        k: 1,
        queryBlockSize: 2,
        onProgress: (done, total) => calls.push([done, total]),
      },
    );
    expect(calls).toEqual([
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
  });

  it('returns empty results for an empty corpus and none for no queries', async () => {
    const empty = new DenseIndex(new Float32Array(0), { dim: 4 });
    expect(plain(await empty.search(new Float32Array(8), { k: 3 }))).toEqual([
      { indices: [], scores: [] },
      { indices: [], scores: [] },
    ]);
    expect(
      await new DenseIndex(new Float32Array(8), { dim: 4 }).search(new Float32Array(0), { k: 3 }),
    ).toEqual([]);
  });

  it('rejects a corpus or queries whose length is not a multiple of dim', async () => {
    expect(() => new DenseIndex(new Float32Array(7), { dim: 2 })).toThrow(
      expect.objectContaining({ code: 'ERR_RETRIEVAL_DIMENSION_MISMATCH', argument: 'corpus' }),
    );
    const index = new DenseIndex(new Float32Array(8), { dim: 4 });
    await expect(index.search(new Float32Array(6), { k: 1 })).rejects.toBeInstanceOf(
      DimensionMismatchError,
    );
    await expect(index.search(new Float32Array(6), { k: 1 })).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_DIMENSION_MISMATCH',
      argument: 'queries',
      message: expect.stringContaining('queries has 6 values') as unknown,
    });
  });

  it('names the row and column of a non-finite embedding', async () => {
    expect(() => new DenseIndex(Float32Array.of(0, 1, 2, Infinity), { dim: 2 })).toThrow(
      NonFiniteEmbeddingError,
    );
    expect(() => new DenseIndex(Float32Array.of(0, 1, 2, Infinity), { dim: 2 })).toThrow(
      expect.objectContaining({ code: 'ERR_RETRIEVAL_NON_FINITE_EMBEDDING', row: 1, column: 1 }),
    );
    const index = new DenseIndex(new Float32Array(4), { dim: 2 });
    await expect(index.search(Float32Array.of(NaN, 0), { k: 1 })).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_NON_FINITE_EMBEDDING',
      argument: 'queries',
      row: 0,
      column: 0,
    });
  });

  it('falls back from a fused topK to a full tile scan to locate a NaN', async () => {
    const nanKernel: InnerProductKernel = {
      name: 'fused-nan',
      innerProducts(a, b, dim, out) {
        void jsKernel.innerProducts(a, b, dim, out);
        out[1] = NaN;
      },
      topK: () => undefined,
    };
    const index = new DenseIndex(new Float32Array(6).fill(1), {
      dim: 2,
      metric: 'dot',
      kernel: nanKernel,
    });
    await expect(index.search(new Float32Array(2).fill(1), { k: 2 })).rejects.toMatchObject({
      index: 1,
      query: 0,
    });
  });

  it('throws NaNScoreError naming query and row when a kernel yields NaN', async () => {
    // A float32-accumulating engine can overflow to Infinity − Infinity = NaN; simulate it.
    const nanAt: InnerProductKernel = {
      name: 'nan',
      innerProducts(a, b, dim, out) {
        void jsKernel.innerProducts(a, b, dim, out);
        if (out.length > 5) out[5] = NaN; // tile row 1, column 2 with 3 corpus rows
      },
    };
    const index = new DenseIndex(new Float32Array(6).fill(1), {
      dim: 2,
      metric: 'dot',
      kernel: nanAt,
    });
    const error: unknown = await index
      .search(new Float32Array(4).fill(1), { k: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NaNScoreError);
    expect(error).toMatchObject({ code: 'ERR_RETRIEVAL_NAN_SCORE', index: 2, query: 1 });
  });

  it('rejects bad options', async () => {
    const option = (option: string, fact: string): unknown =>
      expect.objectContaining({
        code: 'ERR_RETRIEVAL_INVALID_OPTION',
        option,
        message: expect.stringContaining(fact) as unknown,
      });
    expect(() => new DenseIndex(new Float32Array(4), { dim: 0 })).toThrow(InvalidOptionError);
    expect(() => new DenseIndex(new Float32Array(4), { dim: 0 })).toThrow(
      option('dim', 'received 0'),
    );
    expect(() => new DenseIndex(new Float32Array(4), { dim: 2, metric: 'l2' as 'dot' })).toThrow(
      option('metric', 'one of cosine, dot; received l2'),
    );
    expect(() => new DenseIndex([1, 2] as unknown as Float32Array, { dim: 2 })).toThrow(
      option('corpus', 'a Float32Array'),
    );
    const index = new DenseIndex(new Float32Array(4), { dim: 2 });
    await expect(index.search(new Float32Array(2), { k: 0 })).rejects.toBeInstanceOf(InvalidKError);
    await expect(index.search(new Float32Array(2), { k: 0 })).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_INVALID_K',
      message: expect.stringContaining('received 0') as unknown,
    });
    await expect(
      index.search(new Float32Array(2), { k: 1, queryBlockSize: 0 }),
    ).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_INVALID_OPTION',
      option: 'queryBlockSize',
    });
  });

  it('propagates a kernel failure', async () => {
    const failing: InnerProductKernel = {
      name: 'failing',
      innerProducts: () => Promise.reject(new Error('engine down')),
    };
    const index = new DenseIndex(new Float32Array(4), { dim: 2, kernel: failing });
    await expect(index.search(new Float32Array(2), { k: 1 })).rejects.toThrow('engine down');
  });
});
