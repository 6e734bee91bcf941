// Test helpers (not built, not exported): the tiny BERT copy, a toy pair set, weight snapshots.
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { loadTrainableEncoder, type TrainableEncoder } from '@rtk/bert';
import type { TrainBatch } from './train-step.js';

/** The 2-layer, hidden-32 BERT copied from @rtk/bert's fixtures (see fixtures/README.md). */
export const TINY_BERT_DIR: string = fileURLToPath(
  new URL('../fixtures/tiny-bert', import.meta.url),
);

/** Six (query, positive, hard negative) triples in the tiny model's vocabulary. */
export const TRIPLES: readonly (readonly [string, string, string])[] = [
  [
    'how many people live in the city',
    'the city has a population of two million people',
    'the largest river of the country',
  ],
  [
    'what is a debian package',
    'a package is a file with programs for a linux system',
    'the team won the game of the season',
  ],
  ['who won the war', 'the war was won by the united states', 'the school has a new library'],
  [
    'which river is the largest',
    'the largest river of the country',
    'the python module has a command line interface',
  ],
  [
    'when was the university born',
    'the university was born in the first year',
    'the kernel has a network server',
  ],
  [
    'what does the python module do',
    'the python module has an interface for the command line',
    'the film was known for its music',
  ],
];

/** Loads a fresh copy of the tiny model (its own variables, same initial weights). */
export function tinyBert(): Promise<TrainableEncoder> {
  return loadTrainableEncoder(TINY_BERT_DIR, { seed: 0 });
}

/** The toy batch: queries, positives, and optionally one negatives tower; `rows` triples. */
export function toyBatch(
  encoder: TrainableEncoder,
  options: { negatives?: boolean; rows?: number } = {},
): TrainBatch {
  const rows = TRIPLES.slice(0, options.rows ?? TRIPLES.length);
  return {
    queries: encoder.tokenize(
      rows.map((r) => r[0]),
      'query',
    ),
    passages: encoder.tokenize(
      rows.map((r) => r[1]),
      'passage',
    ),
    ...(options.negatives === true
      ? {
          negatives: [
            encoder.tokenize(
              rows.map((r) => r[2]),
              'passage',
            ),
          ],
        }
      : {}),
  };
}

/** Copies of every variable's values, in the model's order. */
export function snapshot(encoder: TrainableEncoder): Float32Array[] {
  return encoder.variables().map((v) => v.dataSync().slice() as Float32Array);
}

/** Largest element-wise difference between two snapshots. */
export function maxDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    for (let j = 0; j < x.length; j++) worst = Math.max(worst, Math.abs(x[j]! - y[j]!));
    if (x.length !== y.length) worst = Infinity;
  });
  return a.length === b.length ? worst : Infinity;
}

/** Number of tensors alive in the engine now. */
export function liveTensors(): number {
  return tf.memory().numTensors;
}

/**
 * Like {@link snapshot}, without the attention key biases. Their gradient is 0 in exact
 * arithmetic (a key bias adds one value to a whole row of attention scores, which the softmax
 * cancels), so two equal computations leave only float noise there, and AdamW scales noise up to
 * steps of about ±lr: those values differ between equal runs without changing any output. Compare
 * them through {@link embeddingsOf} instead.
 */
export function snapshotWithoutKeyBias(encoder: TrainableEncoder): Float32Array[] {
  return encoder
    .variables()
    .filter((v) => !v.name.endsWith('attention.self.key.bias'))
    .map((v) => v.dataSync().slice() as Float32Array);
}

/** Inference-mode embeddings of every text of {@link TRIPLES}, flattened. */
export function embeddingsOf(encoder: TrainableEncoder): Float32Array {
  const texts = TRIPLES.flat();
  return tf.tidy(
    () => encoder.embedTexts(texts, { role: 'passage' }).dataSync().slice() as Float32Array,
  );
}
