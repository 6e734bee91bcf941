import { DuplicateDocumentError, InvalidGradeError, NoRelevantDocumentsError } from './errors.js';
import type { Ranking, RelevanceGrades } from './types.js';

/**
 * A ranking reduced to what the metric kernels need: the gain at each rank (grade when > 0,
 * else 0) and the query's relevant set. Built once per query, read by every kernel.
 */
export interface JudgedRanking {
  /** gains[r - 1] = grade of the doc at rank r when > 0, else 0. Length ≤ the ranking's. */
  readonly gains: Float64Array;
  /** |R|: number of docs with grade > 0 (≥ 1). */
  readonly relevantCount: number;
  /** Positive grades sorted descending: the ideal ordering for IDCG. */
  readonly idealGains: Float64Array;
}

/**
 * Grades of one query: checks they are finite and returns the positive ones sorted descending
 * (empty when the query has no relevant document).
 */
export function idealGains(
  grades: RelevanceGrades,
  queryId: string | undefined,
  where: string,
): Float64Array {
  const positive: number[] = [];
  for (const [docId, grade] of grades) {
    if (typeof grade !== 'number' || !Number.isFinite(grade)) {
      throw new InvalidGradeError(docId, grade, queryId, 'a finite number', where);
    }
    if (grade > 0) positive.push(grade);
  }
  return Float64Array.from(positive).sort().reverse();
}

/**
 * Judges the first `depth` entries of `ranking` against `grades`. The whole ranking is checked
 * for duplicate ids, whatever the depth, so an error never depends on which measures were asked.
 * `ideal` must come from {@link idealGains} of the same grades and be non-empty.
 */
export function judgeRanking(
  ranking: Ranking,
  grades: RelevanceGrades,
  ideal: Float64Array,
  depth: number,
  queryId: string | undefined,
  where: string,
): JudgedRanking {
  const seen = new Map<string, number>();
  for (let i = 0; i < ranking.length; i++) {
    const id = ranking[i]!.id;
    const first = seen.get(id);
    if (first !== undefined) throw new DuplicateDocumentError(id, first, i, queryId, where);
    seen.set(id, i);
  }
  const n = Math.min(depth, ranking.length);
  const gains = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const grade = grades.get(ranking[i]!.id);
    if (grade !== undefined && grade > 0) gains[i] = grade;
  }
  return { gains, relevantCount: ideal.length, idealGains: ideal };
}

/** Validates and judges one query for a public per-query metric function. */
export function judgeQuery(
  ranking: Ranking,
  grades: RelevanceGrades,
  depth: number,
  where: string,
): JudgedRanking {
  const ideal = idealGains(grades, undefined, where);
  if (ideal.length === 0) throw new NoRelevantDocumentsError(where);
  return judgeRanking(ranking, grades, ideal, depth, undefined, where);
}
