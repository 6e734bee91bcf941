// Internal: a bounded binary min-heap of (score, index) pairs that keeps the k best seen so far.
// The root is the worst kept pair, so a new candidate needs one comparison against the root to be
// rejected; that makes selection O(n log k) and lets dense search stream a row block by block.
// "Worse" follows the project's ranking rule: lower score, or equal score and higher index.
// Callers validate (k ≥ 1, no NaN) before pushing; this module does no checks.

import type { TopK } from './select-top-k.js';

export class TopKHeap {
  readonly capacity: number;
  size = 0;
  readonly scores: Float64Array;
  readonly indices: Uint32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.scores = new Float64Array(capacity);
    this.indices = new Uint32Array(capacity);
  }

  /** Empties the heap for reuse (no allocation). */
  clear(): void {
    this.size = 0;
  }

  /** Offer a candidate; kept if the heap is not full or it beats the worst kept one. */
  push(score: number, index: number): void {
    const scores = this.scores;
    const indices = this.indices;
    if (this.size < this.capacity) {
      // Sift up from the new leaf.
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const ps = scores[parent]!;
        // Stop when the parent is already worse than (or as bad as) the new pair.
        if (ps < score || (ps === score && indices[parent]! > index)) break;
        scores[i] = ps;
        indices[i] = indices[parent]!;
        i = parent;
      }
      scores[i] = score;
      indices[i] = index;
      return;
    }
    const rs = scores[0]!;
    if (score < rs || (score === rs && index > indices[0]!)) return;
    this.replaceRoot(score, index);
  }

  /** Replace the worst kept pair with a better one (caller checked it is better) and sift down. */
  replaceRoot(score: number, index: number): void {
    const scores = this.scores;
    const indices = this.indices;
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      const r = l + 1;
      if (r < n) {
        const ls = scores[l]!;
        const rs = scores[r]!;
        // Pick the worse child.
        if (rs < ls || (rs === ls && indices[r]! > indices[l]!)) c = r;
      }
      const cs = scores[c]!;
      // Stop when the new pair is worse than the worse child.
      if (score < cs || (score === cs && index > indices[c]!)) break;
      scores[i] = cs;
      indices[i] = indices[c]!;
      i = c;
    }
    scores[i] = score;
    indices[i] = index;
  }

  /** The kept pairs, best first. Leaves the heap empty. */
  drain(): TopK {
    const n = this.size;
    const outScores = new Float64Array(n);
    const outIndices = new Uint32Array(n);
    // Repeatedly pop the worst into the back of the output.
    for (let pos = n - 1; pos >= 0; pos--) {
      outScores[pos] = this.scores[0]!;
      outIndices[pos] = this.indices[0]!;
      const last = --this.size;
      if (last > 0) {
        const s = this.scores[last]!;
        const ix = this.indices[last]!;
        this.replaceRoot(s, ix);
      }
    }
    return { indices: outIndices, scores: outScores };
  }
}
