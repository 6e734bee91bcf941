/**
 * A shuffled copy of `items`: Fisher–Yates (Durstenfeld), from the last position down, swapping
 * position i with `Math.floor(random() * (i + 1))`. The input is left as it is.
 *
 * Relations: pass {@link mulberry32} for a reproducible order; {@link splitPairs} shuffles its
 * groups with it.
 *
 * @param items - What to shuffle.
 * @param random - A generator of floats in [0, 1), called `items.length - 1` times.
 * @returns A new array holding the same items in random order.
 * @example
 * ```ts
 * import { mulberry32, shuffled } from '@rtk/datasets';
 * console.log(shuffled(['a', 'b', 'c', 'd', 'e'], mulberry32(42))); // [ 'a', 'e', 'c', 'b', 'd' ]
 * ```
 */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
