// Test helper (not built): a small deterministic TextEmbedder, so DenseRetriever and the cache
// are tested without a model. Vectors: letter counts a–h of `prefix + text` (not normalised).
import type { EmbedOptions, TextEmbedder } from './text-embedder.js';

export class LetterCountEmbedder implements TextEmbedder {
  readonly name: string;
  readonly dim = 8;
  readonly fingerprint: string;
  /** Texts encoded so far, with the role each was encoded for. */
  readonly calls: { text: string; role: string }[] = [];

  constructor(
    name = 'letters',
    readonly prefixes = { query: 'q', passage: 'p' },
  ) {
    this.name = name;
    this.fingerprint = `letters:${prefixes.query}:${prefixes.passage}`;
  }

  encode(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const role = options.role ?? 'query';
    const batch = options.batchSize ?? 32;
    const rows = texts.map((text) => {
      this.calls.push({ text, role });
      const row = new Float32Array(this.dim);
      for (const ch of this.prefixes[role] + text) {
        const c = ch.charCodeAt(0) - 97;
        if (c >= 0 && c < this.dim) row[c]! += 1;
      }
      return row;
    });
    for (let done = Math.min(batch, texts.length); done > 0;) {
      options.onProgress?.(done, texts.length);
      if (done === texts.length) break;
      done = Math.min(done + batch, texts.length);
    }
    return Promise.resolve(rows);
  }
}
