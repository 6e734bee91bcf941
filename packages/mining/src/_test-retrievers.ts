// Test helpers (not built): small Retrievers and a TextEmbedder, so the miner is tested
// without a model or a sparse package.
import type { ScoredDoc } from '@rtk/metrics';
import type {
  EmbedOptions,
  IndexedText,
  Retriever,
  SearchOptions,
  TextEmbedder,
} from '@rtk/retrieval';

/** Scores every document with `score(query, text)` and ranks all of them (ties: corpus order). */
export class FunctionRetriever implements Retriever {
  readonly name = 'function';
  corpus: readonly IndexedText[] = [];
  /** The k of every search call. */
  readonly ks: number[] = [];

  constructor(readonly score: (query: string, text: string) => number) {}

  index(corpus: readonly IndexedText[]): Promise<void> {
    this.corpus = corpus;
    return Promise.resolve();
  }

  search(queries: readonly string[], options: SearchOptions = {}): Promise<ScoredDoc[][]> {
    const k = options.k ?? 10;
    this.ks.push(k);
    return Promise.resolve(
      queries.map((q) =>
        this.corpus
          .map((d, i) => ({ id: d.id, score: this.score(q, d.text), i }))
          .sort((a, b) => b.score - a.score || a.i - b.i)
          .slice(0, k)
          .map(({ id, score }) => ({ id, score })),
      ),
    );
  }
}

/** Letter counts a–z of a text: a deterministic embedder whose neighbours share letters. */
export class LetterEmbedder implements TextEmbedder {
  readonly name = 'letters';
  readonly dim = 26;
  readonly fingerprint = 'letters';

  encode(texts: readonly string[], _options: EmbedOptions = {}): Promise<Float32Array[]> {
    return Promise.resolve(
      texts.map((text) => {
        const row = new Float32Array(26);
        for (const ch of text.toLowerCase()) {
          const c = ch.charCodeAt(0) - 97;
          if (c >= 0 && c < 26) row[c]! += 1;
        }
        row[0]! += 0.01; // no all-zero rows
        return row;
      }),
    );
  }
}
