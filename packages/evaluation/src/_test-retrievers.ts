// Test helpers (excluded from the build): retrievers with known scores, and a brute-force
// evaluator written from the metric definitions, independent of @rtk/metrics.
import type { ScoredDoc } from '@rtk/metrics';
import {
  DEFAULT_SEARCH_K,
  type IndexOptions,
  type IndexedText,
  type Retriever,
  type SearchOptions,
} from '@rtk/retrieval';

/** Query text → (doc id → score); documents not listed score 0. */
export type ScoreTable = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** Every corpus document ranked by the table's score, descending, ties in corpus order. */
export function fullRanking(
  table: ScoreTable,
  corpus: readonly IndexedText[],
  query: string,
): ScoredDoc[] {
  const row = table.get(query);
  return corpus
    .map((d, i) => ({ id: d.id, score: row?.get(d.id) ?? 0, i }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map(({ id, score }) => ({ id, score }));
}

/**
 * A retriever whose scores come from a table, ranking by the project's tie rule. With
 * `fullRanks` it also offers `firstRelevantRank`. `calls` records what it was asked.
 */
export class TableRetriever implements Retriever {
  readonly name: string;
  readonly calls: { method: string; queries: number; k?: number }[] = [];
  firstRelevantRank?: Retriever['firstRelevantRank'];
  private corpus: readonly IndexedText[] = [];

  constructor(
    private readonly table: ScoreTable,
    options: { fullRanks?: boolean; name?: string } = {},
  ) {
    this.name = options.name ?? 'table';
    if (options.fullRanks === true) {
      this.firstRelevantRank = (queries, relevant) => {
        this.calls.push({ method: 'firstRelevantRank', queries: queries.length });
        return Promise.resolve(
          queries.map((q, i) => {
            const at = fullRanking(this.table, this.corpus, q).findIndex((d) =>
              relevant[i]!.has(d.id),
            );
            return at < 0 ? Infinity : at + 1;
          }),
        );
      };
    }
  }

  index(corpus: readonly IndexedText[], options: IndexOptions = {}): Promise<void> {
    this.calls.push({ method: 'index', queries: 0 });
    this.corpus = corpus;
    options.onProgress?.(corpus.length, corpus.length);
    return Promise.resolve();
  }

  search(queries: readonly string[], options: SearchOptions): Promise<ScoredDoc[][]> {
    this.calls.push({ method: 'search', queries: queries.length, k: options.k });
    const out = queries.map((q) => fullRanking(this.table, this.corpus, q).slice(0, options.k));
    options.onProgress?.(queries.length, queries.length);
    return Promise.resolve(out);
  }
}

/** A retriever that answers `search` with whatever `answer` returns. */
export function scriptedRetriever(
  answer: (queries: readonly string[], k: number) => unknown,
  firstRelevantRank?: (queries: readonly string[]) => unknown,
): Retriever {
  const r: Retriever = {
    name: 'scripted retriever',
    index: () => Promise.resolve(),
    search: (queries, options) =>
      Promise.resolve(answer(queries, options?.k ?? DEFAULT_SEARCH_K) as ScoredDoc[][]),
  };
  if (firstRelevantRank !== undefined) {
    r.firstRelevantRank = (queries) => Promise.resolve(firstRelevantRank(queries) as number[]);
  }
  return r;
}

/** Per-query values straight from the definitions (binary relevance except nDCG's gain = grade). */
export function bruteForceQuery(
  ranking: readonly string[],
  grades: ReadonlyMap<string, number>,
  cutoff: number,
): { hit: number; recall: number; mrr: number; ndcg: number; map: number; precision: number } {
  const top = ranking.slice(0, cutoff);
  const rel = (id: string): number => Math.max(0, grades.get(id) ?? 0);
  const relevantCount = [...grades.values()].filter((g) => g > 0).length;
  const found = top.filter((id) => rel(id) > 0).length;
  const first = top.findIndex((id) => rel(id) > 0);
  let dcg = 0;
  top.forEach((id, i) => (dcg += rel(id) / Math.log2(i + 2)));
  const ideal = [...grades.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, cutoff);
  let idcg = 0;
  ideal.forEach((g, i) => (idcg += g / Math.log2(i + 2)));
  let ap = 0;
  let seen = 0;
  top.forEach((id, i) => {
    if (rel(id) > 0) ap += ++seen / (i + 1);
  });
  return {
    hit: found > 0 ? 1 : 0,
    recall: found / relevantCount,
    mrr: first < 0 ? 0 : 1 / (first + 1),
    ndcg: dcg / idcg,
    map: ap / relevantCount,
    precision: found / cutoff,
  };
}
