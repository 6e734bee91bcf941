// Internal: term counting, the CountVectorizer half of TF-IDF. Produces a CSR matrix of raw
// counts whose rows are sorted by column, plus (when learning) the vocabulary in scikit-learn's
// column order: terms sorted by code point, then pruned by document frequency.

import { compareCodePoints } from '@rtk/metrics';
import type { ProgressCallback } from '@rtk/retrieval';
import { transposeCsr } from './_csr.js';
import type { Analyzer, SparseMatrix } from './types.js';

/** Growable Uint32Array. */
class U32Buffer {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

interface RawCounts {
  /** Row pointers, rows + 1 entries. */
  readonly indptr: Uint32Array;
  /** Column ids in first-seen order within each row (unsorted). */
  readonly ids: Uint32Array;
  readonly counts: Uint32Array;
}

/**
 * Counts analyzer terms per text. With `learn` set, unseen terms get new ids in first-seen order
 * and are appended to `terms`; otherwise unknown terms are skipped.
 */
function countRaw(
  texts: readonly string[],
  analyzer: Analyzer,
  vocabulary: Map<string, number>,
  terms: string[] | undefined,
  onProgress: ProgressCallback | undefined,
): RawCounts {
  const indptr = new Uint32Array(texts.length + 1);
  const ids = new U32Buffer();
  const counts = new U32Buffer();
  // Per-row scratch: position of each id in the current row's output, valid when stamp matches.
  let slot = new Uint32Array(Math.max(1024, vocabulary.size));
  let stamp = new Uint32Array(slot.length);
  const every = Math.max(1, Math.floor(texts.length / 100));
  for (let r = 0; r < texts.length; r++) {
    const row = r + 1; // stamps start at 1 so the zero-filled array means "unseen"
    const tokens = analyzer(texts[r]!);
    for (let t = 0; t < tokens.length; t++) {
      const term = tokens[t]!;
      let id = vocabulary.get(term);
      if (id === undefined) {
        if (terms === undefined) continue;
        id = terms.length;
        vocabulary.set(term, id);
        terms.push(term);
        if (id >= slot.length) {
          const grownSlot = new Uint32Array(slot.length * 2);
          grownSlot.set(slot);
          slot = grownSlot;
          const grownStamp = new Uint32Array(stamp.length * 2);
          grownStamp.set(stamp);
          stamp = grownStamp;
        }
      }
      if (stamp[id] === row) {
        counts.data[slot[id]!]!++;
      } else {
        stamp[id] = row;
        slot[id] = ids.length;
        ids.push(id);
        counts.push(1);
      }
    }
    indptr[r + 1] = ids.length;
    if (onProgress !== undefined && (r + 1) % every === 0) onProgress(r + 1, texts.length);
  }
  if (onProgress !== undefined && texts.length % every !== 0)
    onProgress(texts.length, texts.length);
  return { indptr, ids: ids.view(), counts: counts.view() };
}

/**
 * Raw counts → CSR with columns sorted within rows, columns renumbered by `newId` (−1 drops);
 * also returns the intermediate transpose (term × document, documents ascending).
 */
function toSortedCsr(
  raw: RawCounts,
  newId: Int32Array | undefined,
  columns: number,
): { csr: SparseMatrix; byTerm: SparseMatrix } {
  const rows = raw.indptr.length - 1;
  let indptr = raw.indptr;
  let indices = raw.ids;
  let values = Float64Array.from(raw.counts);
  if (newId !== undefined) {
    // Renumber and drop pruned columns, compacting in place.
    const keptPtr = new Uint32Array(rows + 1);
    const keptIdx = new Uint32Array(raw.ids.length);
    const keptVal = new Float64Array(raw.ids.length);
    let w = 0;
    for (let r = 0; r < rows; r++) {
      for (let p = raw.indptr[r]!; p < raw.indptr[r + 1]!; p++) {
        const c = newId[raw.ids[p]!]!;
        if (c < 0) continue;
        keptIdx[w] = c;
        keptVal[w] = raw.counts[p]!;
        w++;
      }
      keptPtr[r + 1] = w;
    }
    indptr = keptPtr;
    indices = keptIdx.subarray(0, w);
    values = keptVal.subarray(0, w);
  }
  // Two counting-sort transposes sort every row's columns in O(nnz + rows + columns).
  const unsorted: SparseMatrix = { rows, columns, indptr, indices, values };
  const byTerm = transposeCsr(unsorted);
  return { csr: transposeCsr(byTerm), byTerm };
}

/** Document-frequency limits, resolved to counts (scikit-learn's `min_df` / `max_df`). */
export interface DfLimits {
  readonly min: number;
  readonly max: number;
}

export interface LearnedCounts {
  /** Terms by column, code-point order. */
  readonly terms: string[];
  readonly vocabulary: Map<string, number>;
  /** Document frequency by column. */
  readonly df: Uint32Array;
  readonly counts: SparseMatrix;
  /** The same counts transposed: term × document, documents ascending in each term's row. */
  readonly countsByTerm: SparseMatrix;
  /** Terms dropped by the document-frequency limits (scikit-learn's `stop_words_`). */
  readonly pruned: number;
  /** First-seen id → column, −1 for pruned terms. */
  readonly newId: Int32Array;
}

/**
 * Learns the vocabulary of `texts` and counts their terms: terms sorted by code point, then kept
 * when `limits.min ≤ df ≤ limits.max`. Returns `undefined` terms when nothing survives.
 */
export function learnCounts(
  texts: readonly string[],
  analyzer: Analyzer,
  resolveLimits: (documents: number) => DfLimits,
  onProgress: ProgressCallback | undefined,
): LearnedCounts {
  const firstSeen: string[] = [];
  const raw = countRaw(texts, analyzer, new Map(), firstSeen, onProgress);
  const dfRaw = new Uint32Array(firstSeen.length);
  for (let p = 0; p < raw.ids.length; p++) dfRaw[raw.ids[p]!]!++;
  const { min, max } = resolveLimits(texts.length);
  // The default sort is UTF-16 order (fast, native); redo with code-point order only if some
  // term has a unit where the two orders disagree (≥ U+D800).
  const sortedTerms = firstSeen.slice().sort();
  const needsCodePoint = sortedTerms.some((t) => /[\ud800-\uffff]/.test(t));
  if (needsCodePoint) sortedTerms.sort(compareCodePoints);
  const rawId = new Map<string, number>();
  for (let i = 0; i < firstSeen.length; i++) rawId.set(firstSeen[i]!, i);
  const newId = new Int32Array(firstSeen.length).fill(-1);
  const terms: string[] = [];
  const vocabulary = new Map<string, number>();
  const dfList: number[] = [];
  for (const term of sortedTerms) {
    const id = rawId.get(term)!;
    const df = dfRaw[id]!;
    if (df < min || df > max) continue;
    newId[id] = terms.length;
    vocabulary.set(term, terms.length);
    terms.push(term);
    dfList.push(df);
  }
  const { csr: counts, byTerm: countsByTerm } = toSortedCsr(raw, newId, terms.length);
  return {
    terms,
    vocabulary,
    df: Uint32Array.from(dfList),
    counts,
    countsByTerm,
    pruned: firstSeen.length - terms.length,
    newId,
  };
}

/** Counts the terms of `texts` against a fixed vocabulary (unknown terms are ignored). */
export function countWithVocabulary(
  texts: readonly string[],
  analyzer: Analyzer,
  vocabulary: ReadonlyMap<string, number>,
): SparseMatrix {
  const raw = countRaw(texts, analyzer, vocabulary as Map<string, number>, undefined, undefined);
  return toSortedCsr(raw, undefined, vocabulary.size).csr;
}
