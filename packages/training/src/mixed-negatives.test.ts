// InfoNCE on batches where only some queries have hard negatives: every query is scored against
// every positive and every negative of the batch (sentence-transformers'
// MultipleNegativesRankingLoss with negative columns), checked against a plain-JS computation of
// that loss from the model's own embeddings, and through fineTune (plan, towers, batch log).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrainableEncoder } from '@rtk/bert';
import { useBackend } from '@rtk/test-utils/tfjs';
import { fineTune, negativeTowers, planFineTune } from './fine-tune.js';
import { createTrainStep } from './train-step.js';
import type { TrainingExample } from './training-examples.js';
import { tinyBert, TRIPLES } from './_test-train.js';

let models: TrainableEncoder[] = [];
let temp: string;
beforeAll(async () => {
  await useBackend('cpu');
  temp = mkdtempSync(join(tmpdir(), 'rtk-mixed-negatives-'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));
afterEach(() => {
  for (const m of models) m.dispose();
  models = [];
});

/** The MNRL loss in plain JS: mean_i logsumexp_j s·cos(q_i, c_j) − s·cos(q_i, p_i). */
function mnrl(queries: number[][], candidates: number[][], scale: number): number {
  const cos = (x: number[], y: number[]): number =>
    x.reduce((s, v, i) => s + v * y[i]!, 0) / (Math.hypot(...x) * Math.hypot(...y));
  let total = 0;
  queries.forEach((q, i) => {
    const logits = candidates.map((c) => scale * cos(q, c));
    const top = Math.max(...logits);
    const lse = top + Math.log(logits.reduce((s, l) => s + Math.exp(l - top), 0));
    total += lse - logits[i]!;
  });
  return total / queries.length;
}

function rowsOf(encoder: TrainableEncoder, texts: string[], role: 'query' | 'passage'): number[][] {
  return tf.tidy(() => encoder.embedTexts(texts, { role }).arraySync());
}

describe('InfoNCE with negatives for some queries only', () => {
  // Queries 0 and 2 have a hard negative, query 1 has none.
  const queries = [TRIPLES[0]![0], TRIPLES[1]![0], TRIPLES[2]![0]];
  const positives = [TRIPLES[0]![1], TRIPLES[1]![1], TRIPLES[2]![1]];
  const negatives = [TRIPLES[0]![2], TRIPLES[2]![2]];

  it('scores every query against all positives and all negatives of the batch', async () => {
    const model = await tinyBert();
    models.push(model);
    const q = rowsOf(model, queries, 'query');
    const p = rowsOf(model, positives, 'passage');
    const n = rowsOf(model, negatives, 'passage');
    const expected = mnrl(q, [...p, ...n], 20);
    const step = createTrainStep(model, {
      loss: { name: 'info-nce', scale: 20 },
      learningRate: 1e-3,
      dropout: false,
    });
    try {
      const { loss } = step.step({
        queries: model.tokenize(queries, 'query'),
        passages: model.tokenize(positives, 'passage'),
        negatives: [model.tokenize(negatives, 'passage')],
      });
      expect(loss).toBeCloseTo(expected, 4);
      // The negatives count: neither in-batch only nor only the queries that have one.
      expect(Math.abs(loss - mnrl(q, p, 20))).toBeGreaterThan(1e-3);
      expect(Math.abs(loss - mnrl([q[0]!, q[2]!], [p[0]!, p[2]!, ...n], 20))).toBeGreaterThan(1e-3);
    } finally {
      step.dispose();
    }
  });

  it('with gradient caching, takes the same step as without', async () => {
    const [a, b] = [await tinyBert(), await tinyBert()];
    models.push(a, b);
    const batch = (m: TrainableEncoder) => ({
      queries: m.tokenize(queries, 'query'),
      passages: m.tokenize(positives, 'passage'),
      negatives: [m.tokenize(negatives, 'passage')],
    });
    // Dropout off: chunking changes which pass draws which masks, not the function.
    const options = {
      loss: { name: 'info-nce', scale: 20 } as const,
      learningRate: 1e-3,
      dropout: false,
    };
    const plain = createTrainStep(a, options);
    const cached = createTrainStep(b, { ...options, gradCache: 2 });
    try {
      for (let i = 0; i < 2; i++) {
        const x = plain.step(batch(a));
        const y = cached.step(batch(b));
        expect(y.loss).toBeCloseTo(x.loss, 4);
        expect(y.gradNorm).toBeCloseTo(x.gradNorm, 3);
      }
    } finally {
      plain.dispose();
      cached.dispose();
    }
  });

  it('counts the dropout passes tower by tower (a short tower has fewer chunks)', async () => {
    const model = await tinyBert();
    models.push(model);
    const step = createTrainStep(model, {
      loss: { name: 'info-nce' },
      learningRate: 1e-3,
      gradCache: 2,
    });
    try {
      step.step({
        queries: model.tokenize(queries, 'query'),
        passages: model.tokenize(positives, 'passage'),
        negatives: [model.tokenize(negatives, 'passage')],
      });
      // 2 chunks for the 3 queries and the 3 positives, 1 for the 2 negatives.
      expect(step.dropoutPasses).toBe(5);
    } finally {
      step.dispose();
    }
  });

  it('refuses an empty negatives tower, and one of another length for the triplet loss', async () => {
    const model = await tinyBert();
    models.push(model);
    const step = createTrainStep(model, { loss: { name: 'info-nce' }, learningRate: 1e-3 });
    const triplet = createTrainStep(model, { loss: { name: 'triplet' }, learningRate: 1e-3 });
    try {
      const base = {
        queries: model.tokenize(queries, 'query'),
        passages: model.tokenize(positives, 'passage'),
      };
      expect(() => step.step({ ...base, negatives: [model.tokenize([], 'passage')] })).toThrow(
        expect.objectContaining({ code: 'ERR_TRAINING_BATCH', field: 'negatives[0]' }),
      );
      expect(() =>
        triplet.step({ ...base, negatives: [model.tokenize(negatives, 'passage')] }),
      ).toThrow(expect.objectContaining({ code: 'ERR_TRAINING_BATCH', field: 'negatives[0]' }));
    } finally {
      step.dispose();
      triplet.dispose();
    }
  });
});

describe('fineTune on examples with and without negatives', () => {
  const examples: TrainingExample[] = TRIPLES.map(([query, positive, negative], i) => ({
    query,
    positive,
    negatives: i % 2 === 0 ? [negative] : [],
  }));

  it('plans up to the most negatives for InfoNCE, refuses more; other losses need them all', async () => {
    const model = await tinyBert();
    models.push(model);
    expect(
      planFineTune(model, examples, { loss: { name: 'info-nce' }, batchSize: 2 }).negatives,
    ).toBe(1);
    expect(
      planFineTune(model, examples, { loss: { name: 'info-nce' }, negatives: 0, batchSize: 2 })
        .negatives,
    ).toBe(0);
    expect(() =>
      planFineTune(model, examples, { loss: { name: 'info-nce' }, negatives: 2, batchSize: 2 }),
    ).toThrow(/no example has more than 1/);
    expect(() =>
      planFineTune(model, examples, { loss: { name: 'triplet' }, batchSize: 2 }),
    ).toThrow(/example 2 .* has 0/);
  });

  it('puts the k-th negative of each query that has one in tower k', () => {
    expect(negativeTowers([['a1', 'a2'], [], ['c1']], 2)).toEqual([['a1', 'c1'], ['a2']]);
    expect(negativeTowers([[], []], 1)).toEqual([]);
  });

  it('trains on mixed batches: the log holds each query with the negatives it has', async () => {
    const model = await tinyBert();
    models.push(model);
    const logBatches = join(temp, 'batches.jsonl');
    const result = await fineTune(model, examples, {
      loss: { name: 'info-nce', scale: 20 },
      batchSize: 3,
      steps: 2,
      learningRate: 1e-3,
      logBatches,
    });
    expect(result.history).toHaveLength(2);
    const lines = readFileSync(logBatches, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { queries: string[]; negatives: string[][] });
    const withNegative = lines.flatMap((l) => l.negatives).filter((n) => n.length === 1).length;
    const without = lines.flatMap((l) => l.negatives).filter((n) => n.length === 0).length;
    expect(withNegative).toBeGreaterThan(0);
    expect(without).toBeGreaterThan(0);
    for (const l of lines) {
      l.queries.forEach((q, i) => {
        const e = examples.find((x) => `query: ${x.query}` === q)!;
        expect(l.negatives[i]).toEqual(e.negatives.map((n) => `passage: ${n}`));
      });
    }
  });
});
