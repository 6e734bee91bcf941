// TrainableEncoder and @rtk/encoders' ONNX SentenceEncoder are interchangeable TextEmbedders:
// DenseRetriever ranks the same with either (same fixture, same PyTorch weights).
import * as tf from '@tensorflow/tfjs-core';
import { loadSentenceEncoder, type SentenceEncoder } from '@rtk/encoders';
import { DenseRetriever, type TextEmbedder } from '@rtk/retrieval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_BERT_DIR, maxAbsDiff } from './_test-fixture.js';
import { loadTrainableEncoder } from './load-trainable-encoder.js';
import type { TrainableEncoder } from './trainable-encoder.js';
import { useBackend } from './_test-helpers.js';

const CORPUS = [
  { id: 'd-pop', text: 'The city has a population of two million people.' },
  { id: 'd-pkg', text: 'A package is a file with programs and data for a linux system.' },
  { id: 'd-unk', text: 'Unknown wörds like Zyxqv and ÉCOLE get split or mapped to unk.' },
  { id: 'd-empty', text: '' },
  { id: 'd-city', text: 'how many people live in the city' },
];
const QUERIES = ['how many people live in the city', 'what is a debian package', 'zyxqv école'];

describe('TrainableEncoder as a TextEmbedder', () => {
  let onnx: SentenceEncoder;
  let trainable: TrainableEncoder;
  beforeAll(async () => {
    await useBackend('cpu');
    onnx = await loadSentenceEncoder({ model: TINY_BERT_DIR, threads: 1 });
    trainable = await loadTrainableEncoder(TINY_BERT_DIR);
  });
  afterAll(async () => {
    await onnx.dispose();
    trainable.dispose();
  });

  it('has the contract fields: name, dim, a hex fingerprint', () => {
    const embedder: TextEmbedder = trainable;
    expect(embedder.name).toBe(TINY_BERT_DIR);
    expect(embedder.dim).toBe(32);
    expect(embedder.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(embedder.fingerprint).toBe(trainable.fingerprint);
  });

  it('encodes one row per text as the ONNX encoder does, role query by default', async () => {
    const texts = CORPUS.map((d) => d.text);
    const rows = await trainable.encode(texts, { role: 'passage', batchSize: 2 });
    const reference = await onnx.encode(texts, { role: 'passage' });
    expect(rows).toHaveLength(texts.length);
    rows.forEach((r, i) => expect(maxAbsDiff(r, reference[i]!)).toBeLessThan(1e-5));
    const [unspecified] = await trainable.encode([QUERIES[0]!]);
    const [query] = await trainable.encode([QUERIES[0]!], { role: 'query' });
    expect(maxAbsDiff(unspecified!, query!)).toBe(0);
    expect(await trainable.encode([])).toEqual([]);
  });

  it('gives DenseRetriever the same rankings as the ONNX encoder', async () => {
    const byOnnx = new DenseRetriever({ embedder: onnx });
    const byTrainable = new DenseRetriever({ embedder: trainable });
    await byOnnx.index(CORPUS);
    await byTrainable.index(CORPUS);
    const a = await byOnnx.search(QUERIES, { k: CORPUS.length });
    const b = await byTrainable.search(QUERIES, { k: CORPUS.length });
    expect(b.map((r) => r.map((d) => d.id))).toEqual(a.map((r) => r.map((d) => d.id)));
    b.forEach((r, q) => r.forEach((d, i) => expect(d.score).toBeCloseTo(a[q]![i]!.score, 5)));
    expect(byTrainable.name).toBe(TINY_BERT_DIR);
  });

  it('changes its fingerprint when a weight changes, and back when it is restored', () => {
    const before = trainable.fingerprint;
    const variable = trainable.variables()[0]!;
    const saved = tf.clone(variable);
    variable.assign(tf.add(variable, 1e-3));
    const after = trainable.fingerprint;
    variable.assign(saved);
    saved.dispose();
    expect(after).not.toBe(before);
    expect(trainable.fingerprint).toBe(before);
  });
});
