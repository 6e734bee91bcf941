/**
 * Compares two strings by Unicode code point, which is the byte order of their UTF-8 encodings
 * (C `strcmp`, as trec_eval uses). JavaScript's `<` compares UTF-16 code units, which differs
 * for characters outside the Basic Multilingual Plane.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (0xD800–0xDFFF) starts a code point ≥ 0x10000, above any other BMP unit
    // (including 0xE000–0xFFFF); two surrogates compare in code point order as they are.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
