// Test helper (excluded from the build): brute-force dense search in float64 with a full sort.
export function bruteForceDense(
  queries: ArrayLike<number>,
  corpus: ArrayLike<number>,
  dim: number,
  k: number,
  metric: 'cosine' | 'dot',
): { indices: number[]; scores: number[] }[] {
  const rows = (m: ArrayLike<number>): number[][] =>
    Array.from({ length: m.length / dim }, (_, r) =>
      Array.from({ length: dim }, (_, t) => m[r * dim + t]!),
    );
  const norm = (v: number[]): number[] => {
    const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    return n > 0 ? v.map((x) => x / n) : v.map(() => 0);
  };
  const prep = (v: number[]): number[] => (metric === 'cosine' ? norm(v) : v);
  const c = rows(corpus).map(prep);
  return rows(queries).map((q0) => {
    const q = prep(q0);
    const scores = c.map((row) => row.reduce((s, x, t) => s + x * q[t]!, 0));
    const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    const kept = order.slice(0, k);
    return { indices: kept, scores: kept.map((i) => scores[i]!) };
  });
}
