import { readTextFile } from '@rtk/files';
import { TrainingDataError } from './errors.js';

/** One training example: a query, its positive passage, and any hard negatives. */
export interface TrainingExample {
  readonly query: string;
  readonly positive: string;
  /** Hard negatives of this query, in file order (may be empty). */
  readonly negatives: readonly string[];
}

/** Fields read as the query, the first present wins (sentence-transformers' `anchor` too). */
export const EXAMPLE_QUERY_FIELDS: readonly string[] = ['query', 'question', 'anchor'];
/** Fields read as the positive passage, the first present wins. */
export const EXAMPLE_POSITIVE_FIELDS: readonly string[] = ['positive', 'passage', 'answer'];

function textOf(value: unknown, field: string, at: { file: string; line: number }): string {
  if (typeof value !== 'string')
    throw new TrainingDataError(
      `field "${field}" must be a string, received ${value === null ? 'null' : typeof value}`,
      at,
    );
  if (value.trim() === '') throw new TrainingDataError(`field "${field}" is empty`, at);
  return value;
}

/**
 * Reads training examples from a JSONL file, one object a line, in any of the layouts
 * sentence-transformers trains on and `rtk mine` writes:
 *
 * - pairs `{"query", "passage"}` (or `positive`/`answer`; `question`/`anchor` for the query),
 * - triplets `{"query", "positive", "negative"}`,
 * - n-tuples `{"query", "positive", "negative_1", "negative_2", …}` (numbered from 1, no gaps).
 *
 * Other fields are ignored. Strict UTF-8; blank lines are skipped.
 *
 * @throws {@link TrainingDataError} naming file and line for invalid JSON, a missing or empty
 *   field, `negative` together with `negative_1`, a gap in the numbering, or an empty file.
 * @example
 * ```ts
 * const examples = await loadTrainingExamples('triplets.jsonl');
 * examples[0]; // { query: 'who won the war', positive: '…', negatives: ['…'] }
 * ```
 */
export async function loadTrainingExamples(file: string): Promise<TrainingExample[]> {
  const text = await readTextFile(file);
  const lines = text.split(/\r?\n/);
  const out: TrainingExample[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const at = { file, line: i + 1 };
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new TrainingDataError(
        `not valid JSON (${(error as Error).message}): ${line.slice(0, 80)}`,
        at,
      );
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      throw new TrainingDataError(
        `expected a JSON object such as {"query": "…", "positive": "…", "negative": "…"}, received ${line.slice(0, 80)}`,
        at,
      );
    const obj = record as Record<string, unknown>;
    const keys = Object.keys(obj);
    const q = EXAMPLE_QUERY_FIELDS.find((f) => keys.includes(f));
    const p = EXAMPLE_POSITIVE_FIELDS.find((f) => keys.includes(f));
    if (q === undefined || p === undefined)
      throw new TrainingDataError(
        `no ${q === undefined ? 'query' : 'positive'} field: expected one of ${(q === undefined ? EXAMPLE_QUERY_FIELDS : EXAMPLE_POSITIVE_FIELDS).join(', ')}, found ${keys.join(', ') || 'no fields'}`,
        at,
      );
    const numbered = keys
      .map((k) => /^negative_(\d+)$/.exec(k))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    if (numbered.length > 0 && keys.includes('negative'))
      throw new TrainingDataError('has both "negative" and "negative_1"…; use one layout', at);
    numbered.forEach((n, k) => {
      if (n !== k + 1)
        throw new TrainingDataError(
          `negatives are numbered ${numbered.join(', ')}: expected negative_1 … negative_${numbered.length} without gaps`,
          at,
        );
    });
    const negatives = keys.includes('negative')
      ? [textOf(obj.negative, 'negative', at)]
      : numbered.map((n) => textOf(obj[`negative_${n}`], `negative_${n}`, at));
    out.push({ query: textOf(obj[q], q, at), positive: textOf(obj[p], p, at), negatives });
  });
  if (out.length === 0)
    throw new TrainingDataError('holds no example (expected one JSON object a line)', { file });
  return out;
}

/**
 * Training examples from (query, passage) pairs (`@rtk/datasets`' loaders return them), no
 * negatives.
 *
 * @example
 * ```ts
 * examplesFromPairs(await loadSamplePairs()).length; // one example per pair
 * ```
 */
export function examplesFromPairs(
  pairs: readonly { readonly query: string; readonly passage: string }[],
): TrainingExample[] {
  return pairs.map((p) => ({ query: p.query, positive: p.passage, negatives: [] }));
}
