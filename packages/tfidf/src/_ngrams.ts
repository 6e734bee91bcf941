// Internal: word n-grams exactly as scikit-learn's `_VectorizerMixin._word_ngrams` builds them:
// all unigrams first (when min = 1), then for n = max(min, 2)..max the n-grams joined by a single
// space, left to right. Order only matters for readability; counts are order-free.

export function wordNgrams(tokens: string[], min: number, max: number): string[] {
  if (max === 1) return tokens;
  const out: string[] = min === 1 ? tokens.slice() : [];
  const n = tokens.length;
  for (let size = Math.max(min, 2); size <= Math.min(max, n); size++) {
    for (let i = 0; i + size <= n; i++) {
      let gram = tokens[i]!;
      for (let j = 1; j < size; j++) gram += ' ' + tokens[i + j]!;
      out.push(gram);
    }
  }
  return out;
}
