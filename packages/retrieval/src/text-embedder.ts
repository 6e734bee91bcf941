import type { ProgressCallback } from './types.js';

/** Which side of a retrieval pair a text is; an embedder may embed the two differently (E5). */
export type TextRole = 'query' | 'passage';

/** The roles, in the order error messages list them. */
export const TEXT_ROLES: readonly TextRole[] = ['query', 'passage'];

/** Strings put in front of every text of a role before tokenizing. */
export interface TextPrefixes {
  readonly query: string;
  readonly passage: string;
}

/**
 * E5's instruction prefixes (`query: `, `passage: `): the E5 model card asks for them on every
 * input. Pass `{ query: '', passage: '' }` (or `prefixes: false` where offered) for models
 * trained without them.
 */
export const E5_PREFIXES: TextPrefixes = Object.freeze({ query: 'query: ', passage: 'passage: ' });

/** Options for {@link TextEmbedder.encode}. */
export interface EmbedOptions {
  /**
   * `query` or `passage`: selects the prefix. Default `query`: E5's model card advises the
   * `query: ` prefix for symmetric tasks (similarity, clustering, texts that are not passages
   * answering a query), so an unspecified role is embedded as a query. Index passages with
   * `role: 'passage'`.
   */
  readonly role?: TextRole;
  /** Texts per forward pass (an integer ≥ 1). Default: the embedder's own (32 for rtk's). */
  readonly batchSize?: number;
  /** Called with (texts done, total) as batches finish. */
  readonly onProgress?: ProgressCallback;
}

/**
 * Anything that turns texts into fixed-width vectors: the ONNX `SentenceEncoder` of
 * `@rtk/encoders` and the trainable `TrainableEncoder` of `@rtk/bert` both implement it, so
 * {@link DenseRetriever} and the embedding cache take either.
 *
 * @example
 * ```ts
 * const rows = await embedder.encode(['how many people live in the city'], { role: 'query' });
 * rows.length; // 1
 * rows[0]!.length === embedder.dim; // true
 * ```
 */
export interface TextEmbedder {
  /** A short name for reports (the model id or folder). */
  readonly name: string;
  /** Width of every vector. */
  readonly dim: number;
  /**
   * Identifies the vectors: it changes whenever they would (model files or weights, revision,
   * dtype, pooling, prefixes, max length, normalisation). The embedding cache keys on it.
   */
  readonly fingerprint: string;
  /**
   * One row (a `Float32Array` of length {@link dim}) per text, in input order. An empty list
   * returns `[]` without running the model.
   */
  encode(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}
