import { expectFields, integerField, isTrecToken, recordOnce, trecLines } from './_trec-lines.js';
import { TrecWriteError } from './errors.js';
import type { Qrels } from './types.js';

const QRELS_FORMAT = '4 whitespace-separated fields "qid iteration docid grade", e.g. "q1 0 d7 1"';

/** Options for {@link parseTrecQrels} and {@link readTrecQrels}. */
export interface ParseTrecQrelsOptions {
  /** Name used in error messages (`source:line`). Default `'<qrels>'`; {@link readTrecQrels} passes the path. */
  readonly source?: string | undefined;
}

/**
 * Parses TREC qrels: one judgement per line, `qid iteration docid grade`, whitespace-separated
 * (trec_eval, pytrec_eval, ranx). The iteration column (usually `0`) is ignored; grades are
 * integers, > 0 relevant, 0 or negative judged non-relevant (kept, so the judgement is not lost).
 * Blank lines are skipped; LF or CRLF. Queries and documents keep file order.
 *
 * @param text - File contents.
 * @param options - `source` for messages.
 * @returns Query id → (doc id → grade).
 * @throws {@link TrecParseError} with source and 1-based line for a wrong field count, a
 *   non-integer grade, or a document judged twice for one query.
 * @example
 * ```ts
 * const qrels = parseTrecQrels('q1 0 d1 1\nq1 0 d2 0\nq2 0 d9 2\n');
 * qrels.get('q1'); // Map { 'd1' => 1, 'd2' => 0 }
 * ```
 */
export function parseTrecQrels(text: string, options: ParseTrecQrelsOptions = {}): Qrels {
  const source = options.source ?? '<qrels>';
  const qrels = new Map<string, Map<string, number>>();
  const lineOf = new Map<string, Map<string, number>>();
  for (const at of trecLines(text)) {
    expectFields(at, 4, source, QRELS_FORMAT);
    const [queryId, , docId, grade] = at.fields as [string, string, string, string];
    const value = integerField(grade, 'grade', source, at, QRELS_FORMAT);
    recordOnce(lineOf, queryId, docId, source, at, {
      verb: 'judged',
      rule: 'one judgement per (query, document)',
    });
    let grades = qrels.get(queryId);
    if (grades === undefined) {
      grades = new Map();
      qrels.set(queryId, grades);
    }
    grades.set(docId, value);
  }
  return qrels;
}

/**
 * Formats qrels as TREC qrels text: `qid 0 docid grade` per judgement, in map order.
 *
 * @param qrels - Query id → (doc id → grade); grades must be integers (trec_eval reads them so).
 * @returns The text, one line per judgement, ending with a newline ('' when there is none).
 * @throws {@link TrecWriteError} for an id that is empty or contains whitespace, or a grade that
 *   is not a safe integer.
 * @example
 * ```ts
 * formatTrecQrels(new Map([['q1', new Map([['d1', 1], ['d2', 0]])]]));
 * // 'q1 0 d1 1\nq1 0 d2 0\n'
 * ```
 */
export function formatTrecQrels(qrels: Qrels): string {
  const parts: string[] = [];
  for (const [queryId, grades] of qrels) {
    if (!isTrecToken(queryId)) {
      throw new TrecWriteError(
        queryId,
        'the query id is empty or contains whitespace',
        'Rename the query.',
      );
    }
    for (const [docId, grade] of grades) {
      if (!isTrecToken(docId)) {
        throw new TrecWriteError(
          queryId,
          `document id ${JSON.stringify(docId)} is empty or contains whitespace`,
          'TREC fields are whitespace-separated; map ids to whitespace-free tokens.',
        );
      }
      if (!Number.isSafeInteger(grade)) {
        throw new TrecWriteError(
          queryId,
          `grade ${String(grade)} of document ${JSON.stringify(docId)} is not an integer`,
          'TREC qrels hold integer grades; round or rescale them (e.g. 0–3).',
        );
      }
      parts.push(`${queryId} 0 ${docId} ${grade}\n`);
    }
  }
  return parts.join('');
}
