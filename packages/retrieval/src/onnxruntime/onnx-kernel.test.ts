import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import type { OnnxKernel } from './onnx-kernel.js';
import { createOnnxKernel } from './onnx-kernel.js';
import { DenseIndex } from '../dense-index.js';
import { jsKernel } from '../inner-product-kernel.js';
import { InvalidOptionError } from '../errors.js';
import { bruteForceDense } from '../_test-brute-force.js';

describe('createOnnxKernel', () => {
  let kernel: OnnxKernel;
  beforeAll(async () => {
    kernel = await createOnnxKernel({ threads: 1 });
  });
  afterAll(async () => {
    await kernel.release();
  });

  // Hand-computed as in the jsKernel test: 11, 17, 4, 6, 5, 9.
  it('computes all row inner products row-major', async () => {
    const out = new Float32Array(6);
    await kernel.innerProducts(
      Float32Array.of(1, 2, 0, 1, 3, -1),
      Float32Array.of(3, 4, 5, 6),
      2,
      out,
    );
    expect(Array.from(out)).toEqual([11, 17, 4, 6, 5, 9]);
    expect(kernel.name).toBe('onnxruntime-node(1 threads)');
  });

  it('equals jsKernel exactly on small integers, for views at any offset (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 3 }),
        fc.infiniteStream(fc.integer({ min: -8, max: 8 })),
        async (dim, aRows, bRows, offset, values) => {
          // Views that start `offset` values into larger buffers, as tiles do.
          const a = Float32Array.from([...values.take(offset + aRows * dim)]).subarray(offset);
          const b = Float32Array.from([...values.take(offset + bRows * dim)]).subarray(offset);
          const got = new Float32Array(offset + aRows * bRows).subarray(offset);
          const want = new Float32Array(aRows * bRows);
          await kernel.innerProducts(a, b, dim, got);
          void jsKernel.innerProducts(a, b, dim, want);
          expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('drives DenseIndex to the brute-force ranking, ties included', async () => {
    let x = 7;
    const next = (): number => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return (x % 5) - 2;
    };
    const dim = 16;
    const corpus = Float32Array.from({ length: 500 * dim }, next);
    const queries = Float32Array.from({ length: 40 * dim }, next);
    const index = new DenseIndex(corpus, { dim, metric: 'dot', kernel });
    const tops = await index.search(queries, { k: 10, queryBlockSize: 16, corpusBlockSize: 128 });
    const expected = bruteForceDense(queries, corpus, dim, 10, 'dot');
    expect(tops.map((t) => Array.from(t.indices))).toEqual(expected.map((e) => e.indices));
  });

  it('fused topK equals brute force per tile, ties by lower row (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.infiniteStream(fc.integer({ min: -2, max: 2 })),
        async (dim, aRows, bRows, kWanted, values) => {
          const k = Math.min(kWanted, bRows);
          const a = Float32Array.from([...values.take(aRows * dim)]);
          const b = Float32Array.from([...values.take(bRows * dim)]);
          const got = await kernel.topK(a, b, dim, k);
          const want = bruteForceDense(a, b, dim, k, 'dot');
          expect(got).toBeDefined();
          for (let i = 0; i < aRows; i++) {
            expect(Array.from(got!.rows.subarray(i * k, (i + 1) * k))).toEqual(want[i]!.indices);
            expect(Array.from(got!.scores.subarray(i * k, (i + 1) * k))).toEqual(want[i]!.scores);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reports a NaN tile from topK as undefined, and DenseIndex then names the row', async () => {
    // Row 1 · query = 3e38·3e38 + (−3e38)·3e38 overflows float32 to Infinity − Infinity = NaN.
    const corpus = Float32Array.of(1, 1, 3e38, -3e38, 2, 2);
    const queries = Float32Array.of(3e38, 3e38);
    expect(await kernel.topK(queries, corpus, 2, 1)).toBeUndefined();
    const index = new DenseIndex(corpus, { dim: 2, metric: 'dot', kernel });
    await expect(index.search(queries, { k: 1 })).rejects.toMatchObject({
      code: 'ERR_RETRIEVAL_NAN_SCORE',
      index: 1,
      query: 0,
    });
  });

  it.each([0, 1.5, -2])('rejects threads = %s', async (threads) => {
    const error: unknown = await createOnnxKernel({ threads }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_RETRIEVAL_INVALID_OPTION', option: 'threads' });
    expect((error as Error).message).toContain(`received ${threads}`);
  });
});
