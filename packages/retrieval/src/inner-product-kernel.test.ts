import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { jsKernel } from './inner-product-kernel.js';

describe('jsKernel', () => {
  // Hand-computed: rows (1,2),(0,1),(3,-1) against (3,4),(5,6): 1·3+2·4=11, 1·5+2·6=17, 4, 6, 5, 9.
  it('computes all row inner products row-major', () => {
    const out = new Float32Array(6);
    void jsKernel.innerProducts(
      Float32Array.of(1, 2, 0, 1, 3, -1),
      Float32Array.of(3, 4, 5, 6),
      2,
      out,
    );
    expect(Array.from(out)).toEqual([11, 17, 4, 6, 5, 9]);
  });

  it('matches a naive triple loop for any shape (exact on small integers)', () => {
    const small = fc.integer({ min: -8, max: 8 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.infiniteStream(small),
        (dim, aRows, bRows, values) => {
          const a = Float32Array.from(values.take(aRows * dim));
          const b = Float32Array.from(values.take(bRows * dim));
          const out = new Float32Array(aRows * bRows);
          void jsKernel.innerProducts(a, b, dim, out);
          for (let i = 0; i < aRows; i++) {
            for (let j = 0; j < bRows; j++) {
              let s = 0;
              for (let t = 0; t < dim; t++) s += a[i * dim + t]! * b[j * dim + t]!;
              expect(out[i * bRows + j]).toBe(s);
            }
          }
        },
      ),
    );
  });
});
