import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { datasetFromPairs } from './dataset-from-pairs.js';
import { DatasetArgumentError } from './errors.js';
import { pairsArb } from './_test-arbitraries.js';

const plain = (
  qrels: ReadonlyMap<string, ReadonlyMap<string, number>>,
): Record<string, Record<string, number>> =>
  Object.fromEntries([...qrels].map(([q, m]) => [q, Object.fromEntries(m)]));

describe('datasetFromPairs', () => {
  it('merges exact-duplicate passages and groups duplicate queries (hand-worked example)', () => {
    const ds = datasetFromPairs(
      [
        {
          query: 'who wrote hamlet',
          passage: 'Hamlet Hamlet is a tragedy by William Shakespeare.',
        },
        { query: 'capital of peru', passage: 'Lima Lima is the capital of Peru.' },
        {
          query: 'author of hamlet',
          passage: 'Hamlet Hamlet is a tragedy by William Shakespeare.',
        },
        { query: 'capital of peru', passage: 'Peru Peru is a country whose capital is Lima.' },
        {
          query: 'who wrote hamlet',
          passage: 'Hamlet Hamlet is a tragedy by William Shakespeare.',
        },
        { query: 'capital of peru', passage: 'Lima Lima is the capital of Peru. ' }, // differs by a space: not merged
      ],
      { name: 'toy' },
    );
    expect(ds.name).toBe('toy');
    expect(ds.corpus.map((d) => d.id)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(ds.corpus[2]?.text).toBe('Peru Peru is a country whose capital is Lima.');
    expect(ds.queries).toEqual([
      { id: 'q0', text: 'who wrote hamlet' },
      { id: 'q1', text: 'capital of peru' },
      { id: 'q2', text: 'author of hamlet' },
    ]);
    expect(plain(ds.qrels)).toEqual({ q0: { p0: 1 }, q1: { p1: 1, p2: 1, p3: 1 }, q2: { p0: 1 } });
  });

  test.prop([pairsArb])(
    'every pair is judged relevant, passages are unique, ids follow first-seen order',
    (pairs) => {
      const ds = datasetFromPairs(pairs);
      const byText = new Map(ds.corpus.map((d) => [d.text, d.id]));
      const qByText = new Map(ds.queries.map((q) => [q.text, q.id]));
      expect(byText.size).toBe(ds.corpus.length);
      expect(qByText.size).toBe(ds.queries.length);
      expect(ds.corpus.map((d) => d.text)).toEqual([...new Set(pairs.map((p) => p.passage))]);
      expect(ds.queries.map((q) => q.text)).toEqual([...new Set(pairs.map((p) => p.query))]);
      for (const { query, passage } of pairs)
        expect(ds.qrels.get(qByText.get(query)!)?.get(byText.get(passage)!)).toBe(1);
      const judgements = [...ds.qrels.values()].reduce((n, m) => n + m.size, 0);
      expect(judgements).toBe(new Set(pairs.map((p) => `${p.query}\u0000${p.passage}`)).size);
    },
  );

  it.each([
    [[{ query: '', passage: 'x' }], 'pairs[0].query'],
    [
      [
        { query: 'q', passage: 'x' },
        { query: 'q', passage: 3 },
      ],
      'pairs[1].passage',
    ],
    [[{ query: 'q' }], 'pairs[0].passage'],
  ])('rejects bad pairs %#', (pairs, where) => {
    const call = (): unknown => datasetFromPairs(pairs as never);
    expect(call).toThrow(DatasetArgumentError);
    expect(call).toThrow(expect.objectContaining({ code: 'ERR_DATASETS_BAD_ARGUMENT' }));
    expect(call).toThrow(where);
  });
});
