/**
 * mulberry32: a 32-bit seeded PRNG (Tommy Ettinger, public domain). Small, fast, and good enough
 * to shuffle data reproducibly; not for cryptography. Returns floats in [0, 1).
 *
 * Relations: {@link splitPairs} orders its groups with it; {@link shuffled} takes any such
 * generator.
 *
 * @param seed - Any number; it is taken as an unsigned 32-bit integer (`seed >>> 0`).
 * @returns A generator of floats in [0, 1); each call advances its own state (no global state).
 * @example
 * ```ts
 * import { mulberry32 } from '@rtk/datasets';
 * const random = mulberry32(42);
 * console.log(random(), random()); // 0.6011037519201636 0.44829055899754167
 * ```
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
