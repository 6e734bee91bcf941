/**
 * Compares two strings by Unicode code point: negative when `a` sorts first, positive when `b`
 * does, 0 when equal. A string sorts before every longer string it is a prefix of.
 *
 * Definition: the order of the strings' code-point sequences, which is also the byte order of
 * their UTF-8 encodings — C `strcmp`, as trec_eval compares document ids, and Python's `sorted()`
 * on `str`, as scikit-learn orders its vocabulary. JavaScript's `<` and default `sort()` compare
 * UTF-16 code units instead, which puts U+E000–U+FFFF after astral characters (those start with
 * a surrogate, 0xD800–0xDFFF); the two orders agree on every other pair.
 *
 * Relations: {@link formatTrecRun} and {@link parseTrecRun} (`ties: 'docid-descending'`) break
 * ties by it; `@rtk/tfidf` orders vocabulary columns by it.
 *
 * @example
 * ```ts
 * import { compareCodePoints } from '@rtk/metrics';
 * console.log(['😀', '\uff5e', 'b', 'a'].sort(compareCodePoints)); // [ 'a', 'b', '～', '😀' ]
 * console.log(['😀', '\uff5e'].sort()); // [ '😀', '～' ] (UTF-16 order)
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // At the first differing unit both strings share the same prefix, so comparing that unit is
    // enough. A surrogate (0xD800–0xDFFF) starts a code point ≥ 0x10000, above any other BMP
    // unit (including 0xE000–0xFFFF); two surrogates compare in code point order as they are.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
