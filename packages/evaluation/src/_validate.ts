// Internal: validation of evaluateRetriever's inputs and of the retriever's answers, at the
// public entry, so the evaluation itself runs on checked data.
import type { ScoredDoc } from '@rtk/metrics';
import type { IndexedText } from '@rtk/retrieval';
import {
  InvalidDatasetError,
  InvalidOptionError,
  InvalidRankingError,
  InvalidScoreError,
  UnknownDocumentError,
} from './errors.js';

export function checkPositiveInteger(
  option: string,
  value: unknown,
  fallback: number,
  fix: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(option, 'an integer ≥ 1', value, fix);
  }
  return value;
}

export function checkTexts(
  dataset: string,
  part: 'corpus' | 'queries',
  items: unknown,
): readonly IndexedText[] {
  if (!Array.isArray(items)) {
    throw new InvalidDatasetError(dataset, part, -1, `expected an array, received ${typeof items}`);
  }
  const seen = new Map<string, number>();
  items.forEach((item: unknown, i) => {
    const { id, text } = (item ?? {}) as { id?: unknown; text?: unknown };
    if (typeof id !== 'string' || typeof text !== 'string') {
      throw new InvalidDatasetError(dataset, part, i, 'expected { id: string, text: string }');
    }
    const first = seen.get(id);
    if (first !== undefined) {
      throw new InvalidDatasetError(
        dataset,
        part,
        i,
        `id ${JSON.stringify(id)} was already used at ${part}[${first}]`,
      );
    }
    seen.set(id, i);
  });
  return items as readonly IndexedText[];
}

/** Checks one ranking from `search` against the contract and returns a clean copy. */
export function checkRanking(
  retriever: string,
  queryId: string,
  ranking: unknown,
  k: number,
  corpusIds: ReadonlySet<string>,
): ScoredDoc[] {
  if (!Array.isArray(ranking)) {
    throw new InvalidRankingError(retriever, 'search', queryId, 'returned a non-array ranking');
  }
  if (ranking.length > k) {
    throw new InvalidRankingError(
      retriever,
      'search',
      queryId,
      `returned ${ranking.length} documents, more than k = ${k}`,
    );
  }
  const seen = new Set<string>();
  let previous = Infinity;
  const out: ScoredDoc[] = [];
  ranking.forEach((entry: unknown, i) => {
    const { id, score } = (entry ?? {}) as { id?: unknown; score?: unknown };
    if (typeof id !== 'string' || !corpusIds.has(id)) {
      throw new UnknownDocumentError(retriever, queryId, id, i);
    }
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new InvalidScoreError(retriever, queryId, id, score);
    }
    if (seen.has(id)) {
      throw new InvalidRankingError(
        retriever,
        'search',
        queryId,
        `returned document ${JSON.stringify(id)} twice`,
      );
    }
    if (score > previous) {
      throw new InvalidRankingError(
        retriever,
        'search',
        queryId,
        `returned scores out of order (${score} at position ${i} after ${previous})`,
      );
    }
    seen.add(id);
    previous = score;
    out.push({ id, score });
  });
  return out;
}
