/**
 * The TREC run tag for a retriever name: the last column of a run file, which must be one
 * whitespace-free token. Each run of whitespace becomes `_`; an empty name becomes `rtk`
 * (the default tag of `formatTrecRun`). Names that are already tokens, such as
 * `bm25-lucene(k1=0.9,b=0.4)+sklearn`, are kept as they are.
 *
 * @param name - A retriever's `name`.
 * @returns A tag `formatTrecRun` / `writeTrecRun` of `@rtk/metrics` accept.
 * @example
 * ```ts
 * trecTag('tiny-bert test fixture'); // 'tiny-bert_test_fixture'
 * trecTag('tfidf+sklearn'); // 'tfidf+sklearn'
 * ```
 */
export function trecTag(name: string): string {
  const tag = name.trim().replace(/\s+/gu, '_');
  return tag === '' ? 'rtk' : tag;
}
