import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readText, splitLines } from './_files.js';
import { DatasetEmptyError, DatasetFormatError } from './errors.js';
import type { RetrievalDataset, TextItem } from './types.js';

/** Options for {@link loadBeir}. */
export interface LoadBeirOptions {
  /** Qrels split: reads `qrels/{split}.tsv`. Default `'test'`. */
  readonly split?: string;
  /** Dataset name. Default `'{folder name}/{split}'`. */
  readonly name?: string;
  /** Prefix each passage with its `title` and a space (BEIR's title + text). Default true. */
  readonly includeTitle?: boolean;
}

/**
 * Load a BEIR-format folder: `corpus.jsonl` (`{"_id", "title", "text"}` a line), `queries.jsonl`
 * (`{"_id", "text"}`), and `qrels/{split}.tsv` (header `query-id corpus-id score`, tab-separated).
 * Only queries that appear in the qrels are kept (as BEIR's loader does), in `queries.jsonl`
 * order; the corpus keeps file order. Grades are the integer scores (0 = judged non-relevant).
 * Two different scores for one (query, document) pair are rejected, as `parseTrecQrels` in
 * `@rtk/metrics` rejects them, rather than letting the last line win.
 *
 * Related: {@link datasetFromPairs} builds the same model from pair files.
 *
 * @throws {@link DatasetFormatError} naming file and line for bad JSON, a missing `_id`/`text`,
 *   a duplicate id, a qrels line without three fields or with a non-integer score, a qrels id not
 *   found in the corpus or queries, or two different scores for one (query, document) pair (naming
 *   both lines; a repeated line with the same score is read once).
 * @throws {@link DatasetFileNotFoundError} for a missing file (listing the available qrels splits).
 * @throws {@link DatasetEmptyError} for an empty corpus, queries or qrels file.
 * @example
 * ```ts
 * const scifact = await loadBeir('data/scifact', { split: 'test' });
 * scifact.corpus.length; // 5183
 * scifact.queries.length; // 300
 * ```
 */
export async function loadBeir(
  dir: string,
  options: LoadBeirOptions = {},
): Promise<RetrievalDataset> {
  const split = options.split ?? 'test';
  const includeTitle = options.includeTitle ?? true;
  const corpusFile = join(dir, 'corpus.jsonl');
  const corpus = await readItems(corpusFile, (obj, at) => {
    const text = obj.text;
    const title = obj.title ?? '';
    if (typeof text !== 'string')
      throw new DatasetFormatError(
        at,
        `"text" must be a string, received ${JSON.stringify(text) ?? 'nothing'}`,
      );
    if (typeof title !== 'string')
      throw new DatasetFormatError(
        at,
        `"title" must be a string, received ${JSON.stringify(title)}`,
      );
    const full = includeTitle && title !== '' ? (text === '' ? title : `${title} ${text}`) : text;
    if (full.trim() === '')
      throw new DatasetFormatError(at, 'passage has an empty "text" (and "title")');
    return full;
  });
  const queriesFile = join(dir, 'queries.jsonl');
  const allQueries = await readItems(queriesFile, (obj, at) => {
    const text = obj.text;
    if (typeof text !== 'string' || text.trim() === '') {
      throw new DatasetFormatError(
        at,
        `"text" must be a non-empty string, received ${JSON.stringify(text) ?? 'nothing'}`,
      );
    }
    return text;
  });
  const qrelsFile = join(dir, 'qrels', `${split}.tsv`);
  const text = await readText(
    qrelsFile,
    `Available splits: ${(await availableSplits(dir)).join(', ') || 'none (no qrels/*.tsv files)'}; pass { split }.`,
  );
  const corpusIds = new Set(corpus.map((d) => d.id));
  const queryIds = new Set(allQueries.map((q) => q.id));
  const qrels = new Map<string, Map<string, number>>();
  const lineOf = new Map<string, number>();
  splitLines(text).forEach((line, i) => {
    const at = { file: qrelsFile, line: i + 1 };
    if (line.trim() === '') return;
    const fields = line.split('\t').map((f) => f.trim());
    if (i === 0 && fields[0] === 'query-id') return;
    if (fields.length !== 3)
      throw new DatasetFormatError(
        at,
        `expected 3 tab-separated fields (query-id, corpus-id, score), found ${fields.length}: ${line.slice(0, 80)}`,
      );
    const [qid, did, score] = fields as [string, string, string];
    if (!/^-?\d+$/.test(score))
      throw new DatasetFormatError(
        at,
        `score must be an integer, received ${JSON.stringify(score)}`,
      );
    if (!queryIds.has(qid))
      throw new DatasetFormatError(at, `query id ${JSON.stringify(qid)} is not in ${queriesFile}`);
    if (!corpusIds.has(did))
      throw new DatasetFormatError(at, `corpus id ${JSON.stringify(did)} is not in ${corpusFile}`);
    let judged = qrels.get(qid);
    if (judged === undefined) qrels.set(qid, (judged = new Map<string, number>()));
    const grade = Number(score);
    const earlier = judged.get(did);
    if (earlier !== undefined && earlier !== grade)
      throw new DatasetFormatError(
        at,
        `query ${JSON.stringify(qid)} judges corpus id ${JSON.stringify(did)} ${grade} here and ` +
          `${earlier} on line ${lineOf.get(`${qid}\t${did}`)}; keep one judgement per (query, document)`,
      );
    if (earlier === undefined) lineOf.set(`${qid}\t${did}`, i + 1);
    judged.set(did, grade);
  });
  if (qrels.size === 0) throw new DatasetEmptyError(qrelsFile, 'judgement line');
  const queries = allQueries.filter((q) => qrels.has(q.id));
  const folder =
    dir
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? dir;
  return { name: options.name ?? `${folder}/${split}`, corpus, queries, qrels };
}

async function readItems(
  file: string,
  textOf: (obj: Record<string, unknown>, at: { file: string; line: number }) => string,
): Promise<TextItem[]> {
  const lines = splitLines(
    await readText(file, 'A BEIR folder holds corpus.jsonl, queries.jsonl and qrels/{split}.tsv.'),
  );
  const items: TextItem[] = [];
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const at = { file, line: i + 1 };
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (error) {
      throw new DatasetFormatError(
        at,
        `not valid JSON (${(error as Error).message}): ${line.slice(0, 80)}`,
        { cause: error },
      );
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
      throw new DatasetFormatError(at, `expected a JSON object, received ${line.slice(0, 80)}`);
    const record = obj as Record<string, unknown>;
    const rawId = record._id;
    if ((typeof rawId !== 'string' || rawId === '') && typeof rawId !== 'number') {
      throw new DatasetFormatError(
        at,
        `"_id" must be a non-empty string, received ${JSON.stringify(rawId) ?? 'nothing'}`,
      );
    }
    const id = String(rawId);
    if (seen.has(id)) throw new DatasetFormatError(at, `duplicate "_id" ${JSON.stringify(id)}`);
    seen.add(id);
    items.push({ id, text: textOf(record, at) });
  });
  if (items.length === 0) throw new DatasetEmptyError(file, 'JSON line');
  return items;
}

async function availableSplits(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, 'qrels')))
      .filter((f) => f.endsWith('.tsv'))
      .map((f) => f.slice(0, -4))
      .sort();
  } catch {
    return [];
  }
}
