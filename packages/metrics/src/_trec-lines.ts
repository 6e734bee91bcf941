import { TrecParseError } from './errors.js';

/** One non-blank line of a TREC file, split on whitespace. */
export interface TrecLine {
  /** 1-based line number. */
  readonly line: number;
  readonly text: string;
  readonly fields: readonly string[];
}

const WHITESPACE = /\s+/;

/** Non-blank lines of `text` (LF or CRLF), split into whitespace-separated fields. */
export function* trecLines(text: string): Generator<TrecLine> {
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const raw = text.slice(start, end);
    start = end + 1;
    const trimmed = raw.trim();
    if (trimmed.length > 0) yield { line, text: raw, fields: trimmed.split(WHITESPACE) };
  }
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses an integer field or throws a {@link TrecParseError} naming the column. */
export function integerField(
  value: string,
  column: string,
  source: string,
  at: TrecLine,
  format: string,
): number {
  const parsed = Number(value);
  if (!INTEGER.test(value) || !Number.isSafeInteger(parsed)) {
    throw new TrecParseError(
      source,
      at.line,
      at.text,
      `${column} ${JSON.stringify(value)} is not an integer`,
      format,
    );
  }
  return parsed;
}

/** Parses a finite decimal field (e.g. `0.25`, `-1e-3`) or throws a {@link TrecParseError}. */
export function decimalField(
  value: string,
  column: string,
  source: string,
  at: TrecLine,
  format: string,
): number {
  const parsed = Number(value);
  if (!DECIMAL.test(value) || !Number.isFinite(parsed)) {
    throw new TrecParseError(
      source,
      at.line,
      at.text,
      `${column} ${JSON.stringify(value)} is not a finite number`,
      format,
    );
  }
  return parsed;
}

/** True when `token` can be written as one whitespace-free field. */
export function isTrecToken(token: string): boolean {
  return token.length > 0 && !WHITESPACE.test(token);
}

/** Throws a {@link TrecParseError} unless the line has `count` fields. */
export function expectFields(at: TrecLine, count: number, source: string, format: string): void {
  if (at.fields.length !== count) {
    throw new TrecParseError(source, at.line, at.text, `found ${at.fields.length} fields`, format);
  }
}

/**
 * Notes that `docId` appears for `queryId` on this line (`seen`: query → document → first line);
 * throws a {@link TrecParseError} naming that first line when it appeared before.
 */
export function recordOnce(
  seen: Map<string, Map<string, number>>,
  queryId: string,
  docId: string,
  source: string,
  at: TrecLine,
  how: { readonly verb: string; readonly rule: string },
): void {
  let lines = seen.get(queryId);
  if (lines === undefined) {
    lines = new Map();
    seen.set(queryId, lines);
  }
  const first = lines.get(docId);
  if (first !== undefined) {
    throw new TrecParseError(
      source,
      at.line,
      at.text,
      `document ${JSON.stringify(docId)} is ${how.verb} twice for query ${JSON.stringify(queryId)} (first on line ${first})`,
      how.rule,
    );
  }
  lines.set(docId, at.line);
}
