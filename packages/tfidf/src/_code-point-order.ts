// Internal: string comparison by Unicode code point, the order Python's `sorted()` uses for
// str (and so the order of scikit-learn's vocabulary columns). JavaScript's default sort compares
// UTF-16 code units, which puts U+E000..U+FFFF after astral characters (surrogates are
// 0xD800..0xDFFF). At the first differing unit both strings share the same prefix, so remapping
// that unit is enough: surrogates move above U+FFFF, U+E000..U+FFFF move down by 0x800.

function remap(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < 0xd800 && y < 0xd800 ? x - y : remap(x) - remap(y);
  }
  return a.length - b.length;
}
