import { compareCodePoints } from './compare-code-points.js';
import {
  decimalField,
  expectFields,
  integerField,
  isTrecToken,
  recordOnce,
  trecLines,
} from './_trec-lines.js';
import { DuplicateDocumentError, NonFiniteScoreError, TrecWriteError } from './errors.js';
import type { Run, ScoredDoc } from './types.js';

const RUN_FORMAT =
  '6 whitespace-separated fields "qid Q0 docid rank score tag", e.g. "q1 Q0 d7 1 0.83 bm25"';

/** How {@link parseTrecRun} orders documents with equal scores. */
export type TrecTieOrder = 'file-order' | 'docid-descending';

/** Options for {@link parseTrecRun} and {@link readTrecRun}. */
export interface ParseTrecRunOptions {
  /** Name used in error messages (`source:line`). Default `'<run>'`; {@link readTrecRun} passes the path. */
  readonly source?: string | undefined;
  /**
   * Order of documents with equal scores within a query:
   * - `'file-order'` (default): as they appear in the file. Files written by
   *   {@link formatTrecRun} from a ranking therefore read back in the same order.
   * - `'docid-descending'`: by document id, descending in code point (UTF-8 byte) order, as
   *   trec_eval and pytrec_eval do — use it to reproduce their numbers on tied runs.
   */
  readonly ties?: TrecTieOrder | undefined;
}

/** Options for {@link formatTrecRun} and {@link writeTrecRun}. */
export interface FormatTrecRunOptions {
  /** Run name written in the last column (no whitespace). Default `'rtk'`. */
  readonly tag?: string | undefined;
}

interface Entry {
  readonly id: string;
  readonly score: number;
  readonly line: number;
}

/**
 * Parses a TREC run: one line per retrieved document, `qid Q0 docid rank score tag`,
 * whitespace-separated (trec_eval, pytrec_eval, ranx, Pyserini, Anserini).
 *
 * As in trec_eval, the rank column is checked to be an integer but otherwise ignored, and each
 * query's documents are sorted by score descending; see {@link ParseTrecRunOptions.ties} for
 * equal scores. The `Q0` and tag columns are ignored. Blank lines are skipped; LF or CRLF.
 * Queries come out in order of first appearance. A query with no line cannot be represented.
 *
 * @param text - File contents.
 * @param options - `source` for messages, `ties` order.
 * @returns Query id → ranking, best first.
 * @throws {@link TrecParseError} with source and 1-based line for a wrong field count, a
 *   non-integer rank, a non-finite score, or a document listed twice for one query.
 * @example
 * ```ts
 * const run = parseTrecRun('q1 Q0 d2 2 0.5 bm25\nq1 Q0 d1 1 0.9 bm25\n');
 * run.get('q1'); // [{ id: 'd1', score: 0.9 }, { id: 'd2', score: 0.5 }]
 * ```
 */
export function parseTrecRun(text: string, options: ParseTrecRunOptions = {}): Run {
  const source = options.source ?? '<run>';
  const ties = options.ties ?? 'file-order';
  const byQuery = new Map<string, Entry[]>();
  const lineOf = new Map<string, Map<string, number>>();
  for (const at of trecLines(text)) {
    expectFields(at, 6, source, RUN_FORMAT);
    const [queryId, , docId, rank, score] = at.fields as [string, string, string, string, string];
    integerField(rank, 'rank', source, at, RUN_FORMAT);
    const value = decimalField(score, 'score', source, at, RUN_FORMAT);
    recordOnce(lineOf, queryId, docId, source, at, {
      verb: 'listed',
      rule: 'each document at most once per query (trec_eval rejects duplicates too)',
    });
    let entries = byQuery.get(queryId);
    if (entries === undefined) {
      entries = [];
      byQuery.set(queryId, entries);
    }
    entries.push({ id: docId, score: value, line: at.line });
  }
  const compare =
    ties === 'file-order'
      ? (a: Entry, b: Entry): number => b.score - a.score || a.line - b.line
      : (a: Entry, b: Entry): number => b.score - a.score || compareCodePoints(b.id, a.id);
  const run = new Map<string, readonly ScoredDoc[]>();
  for (const [queryId, entries] of byQuery) {
    entries.sort(compare);
    run.set(
      queryId,
      entries.map(({ id, score }) => ({ id, score })),
    );
  }
  return run;
}

/**
 * Formats a run as TREC run text: `qid Q0 docid rank score tag` per document, ranks 1-based in
 * ranking order, scores in JavaScript's shortest round-trip form (so {@link parseTrecRun} gives
 * back the same numbers). Queries in map order; a query with an empty ranking writes no line.
 *
 * trec_eval ignores the rank column and re-sorts by score, so each ranking must already be in
 * descending score order (as {@link rankByScore} and every retriever return them); equal scores
 * are written in ranking order but trec_eval breaks such ties by docid.
 *
 * @param run - Query id → ranking, best first.
 * @param options - `tag`, the run name (default `'rtk'`).
 * @returns The text, one line per document, ending with a newline ('' for an empty run).
 * @throws {@link TrecWriteError} for an id or tag that is empty or contains whitespace, or a
 *   ranking whose scores increase somewhere.
 * @throws {@link NonFiniteScoreError} for a NaN or infinite score.
 * @throws {@link DuplicateDocumentError} when a ranking lists a document twice.
 * @example
 * ```ts
 * formatTrecRun(new Map([['q1', [{ id: 'd1', score: 0.9 }, { id: 'd2', score: 0.5 }]]]));
 * // 'q1 Q0 d1 1 0.9 rtk\nq1 Q0 d2 2 0.5 rtk\n'
 * ```
 */
export function formatTrecRun(run: Run, options: FormatTrecRunOptions = {}): string {
  const tag = options.tag ?? 'rtk';
  const parts: string[] = [];
  for (const [queryId, ranking] of run) {
    if (!isTrecToken(queryId)) {
      throw new TrecWriteError(
        queryId,
        'the query id is empty or contains whitespace',
        'Rename the query.',
      );
    }
    if (!isTrecToken(tag)) {
      throw new TrecWriteError(
        queryId,
        `tag ${JSON.stringify(tag)} is empty or contains whitespace`,
        'Pass a tag such as "bm25".',
      );
    }
    let previous = Infinity;
    const seen = new Map<string, number>();
    for (let i = 0; i < ranking.length; i++) {
      const { id, score } = ranking[i]!;
      const first = seen.get(id);
      if (first !== undefined) {
        throw new DuplicateDocumentError(id, first, i, queryId, 'formatTrecRun');
      }
      seen.set(id, i);
      if (!Number.isFinite(score))
        throw new NonFiniteScoreError(i, score, `formatTrecRun (query ${JSON.stringify(queryId)})`);
      if (!isTrecToken(id)) {
        throw new TrecWriteError(
          queryId,
          `document id ${JSON.stringify(id)} at position ${i} is empty or contains whitespace`,
          'TREC fields are whitespace-separated; map ids to whitespace-free tokens.',
        );
      }
      if (score > previous) {
        throw new TrecWriteError(
          queryId,
          `score ${score} at position ${i} is higher than the one before (${previous})`,
          'trec_eval ignores ranks and re-sorts by score; sort the ranking by descending score first (rankByScore).',
        );
      }
      previous = score;
      parts.push(`${queryId} Q0 ${id} ${i + 1} ${String(score)} ${tag}\n`);
    }
  }
  return parts.join('');
}
