import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { poolEmbeddings } from './pooling.js';

describe('poolEmbeddings', () => {
  // Hand-computed: mean of the unmasked tokens [1,2] and [3,4] is [2,3]; cls is the first token;
  // max is [3,4] (the padded [100,100] does not count).
  it.each([
    ['mean', false, [2, 3]],
    ['cls', false, [1, 2]],
    ['max', false, [3, 4]],
    ['max', true, [3 / 5, 4 / 5]],
    ['mean', true, [2 / Math.sqrt(13), 3 / Math.sqrt(13)]],
  ] as const)('%s (normalize %s) of one padded row', (pooling, normalize, expected) => {
    const out = poolEmbeddings(Float32Array.of(1, 2, 3, 4, 100, 100), Int32Array.of(1, 1, 0), {
      batchSize: 1,
      length: 3,
      hidden: 2,
      pooling,
      normalize,
    });
    expect(out[0]).toBeCloseTo(expected[0], 6);
    expect(out[1]).toBeCloseTo(expected[1], 6);
  });

  it('keeps an all-zero vector zero when normalising', () => {
    const out = poolEmbeddings(new Float32Array(4), Int32Array.of(1, 1), {
      batchSize: 1,
      length: 2,
      hidden: 2,
    });
    expect(Array.from(out)).toEqual([0, 0]);
  });

  it('rejects arrays that do not match the shape', () => {
    expect(() =>
      poolEmbeddings(new Float32Array(5), new Int32Array(2), {
        batchSize: 1,
        length: 2,
        hidden: 2,
      }),
    ).toThrow(expect.objectContaining({ option: 'hidden' }) as Error);
    expect(() =>
      poolEmbeddings(new Float32Array(4), new Int32Array(3), {
        batchSize: 1,
        length: 2,
        hidden: 2,
      }),
    ).toThrow(expect.objectContaining({ option: 'attentionMask' }) as Error);
  });

  // fc.assert inside `it` so the vitest lint rules see the expects.
  it('gives unit-norm rows, unaffected by padding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        // Multiples of 0.01: a non-zero mean then has a norm far above the 1e-12 floor.
        fc.array(
          fc.integer({ min: -1000, max: 1000 }).map((x) => x / 100),
          { minLength: 3 * 4, maxLength: 3 * 4 },
        ),
        fc.integer({ min: 1, max: 4 }),
        (used, values, extra) => {
          const hidden = 3;
          const length = used + extra;
          const h = new Float32Array(length * hidden);
          h.set(values.slice(0, used * hidden));
          h.fill(7, used * hidden); // padding junk
          const mask = Int32Array.from({ length }, (_, t) => (t < used ? 1 : 0));
          const padded = poolEmbeddings(h, mask, { batchSize: 1, length, hidden });
          const bare = poolEmbeddings(h.slice(0, used * hidden), mask.slice(0, used), {
            batchSize: 1,
            length: used,
            hidden,
          });
          expect(Array.from(padded)).toEqual(Array.from(bare));
          const norm = Math.hypot(...padded);
          expect(norm === 0 || Math.abs(norm - 1) < 1e-6).toBe(true);
        },
      ),
    );
  });
});
