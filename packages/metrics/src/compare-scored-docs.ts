import type { ScoredDoc } from './types.js';

/**
 * The project's ranking order as a comparator: descending score; equal scores compare as 0, so
 * a stable sort (`Array.prototype.sort` is stable) keeps them in input order — the document that
 * came first in the corpus stays first. This is the rule every retriever follows and the one
 * {@link rankByScore} implements with indices.
 *
 * It differs from trec_eval, which breaks ties by document id descending, and from
 * sentence-transformers, which uses corpus id ascending; the results only differ on tied scores.
 * Scores must be finite (NaN makes any comparator inconsistent): {@link rankByScore} checks that.
 *
 * @example
 * ```ts
 * const docs = [{ id: 'x', score: 0.5 }, { id: 'y', score: 0.9 }, { id: 'z', score: 0.5 }];
 * [...docs].sort(compareScoredDocs).map((d) => d.id); // ['y', 'x', 'z']
 * ```
 */
export function compareScoredDocs(a: ScoredDoc, b: ScoredDoc): number {
  return b.score - a.score;
}
