// Test-only helpers: reading this package's fixtures (see fixtures/README.md).
import { readFileSync } from 'node:fs';
import type { TfidfVectorizerOptions } from './tfidf-vectorizer.js';

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** Element-wise closeness with an absolute tolerance; reports the first mismatch. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** The shape of fixtures/tfidf-golden.json. */
export interface GoldenSetting {
  name: string;
  params: {
    sublinear_tf?: boolean;
    stop_words?: 'english';
    smooth_idf?: boolean;
    norm?: 'l1';
    ngram_range?: [number, number];
  };
  vocabulary: Record<string, number>;
  idf: Record<string, number>;
  doc_vectors: Record<string, number>[];
  query_vectors: Record<string, number>[];
  scores: number[][];
  rankings: number[][];
}
export interface Golden {
  docs: string[];
  queries: string[];
  settings: GoldenSetting[];
}

/** scikit-learn keyword arguments → our options. */
export function optionsOf(params: GoldenSetting['params']): TfidfVectorizerOptions {
  return {
    ...(params.sublinear_tf !== undefined && { sublinearTf: params.sublinear_tf }),
    ...(params.stop_words !== undefined && { stopWords: params.stop_words }),
    ...(params.smooth_idf !== undefined && { smoothIdf: params.smooth_idf }),
    ...(params.norm !== undefined && { norm: params.norm }),
    ...(params.ngram_range !== undefined && { ngramRange: params.ngram_range }),
  };
}
