import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { caught } from './_test-errors.js';
import { InvalidKError } from '@rtk/retrieval';
import {
  DuplicateIdError,
  InvalidOptionError,
  NotFittedError,
  UnknownDocumentError,
} from './errors.js';
import { TfidfRetriever, type TfidfRetrieverOptions } from './tfidf-retriever.js';
import { createWinkAnalyzer } from './wink-analyzer.js';
import { TfidfVectorizer } from './tfidf-vectorizer.js';
import { optionsOf, readFixture, type Golden } from './_test-fixtures.js';

/** Brute force: every document's cosine by dense dot product, sorted by (score desc, index asc). */
function bruteForce(docs: string[], queries: string[]): { order: number[]; scores: number[] }[] {
  const v = new TfidfVectorizer();
  const d = v.fitTransform(docs);
  const q = v.transform(queries);
  const dense = (m: typeof d, r: number): Float64Array => {
    const out = new Float64Array(m.columns);
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) out[m.indices[p]!] = m.values[p]!;
    return out;
  };
  return queries.map((_, qi) => {
    const qv = dense(q, qi);
    // Sum in descending term order, as the index does, so equal scores stay exactly equal.
    const scores = docs.map((__, di) => {
      const dv = dense(d, di);
      let s = 0;
      for (let t = qv.length - 1; t >= 0; t--) if (qv[t] !== 0) s += qv[t]! * dv[t]!;
      return s;
    });
    const order = scores.map((__, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    return { order, scores };
  });
}

const corpusOf = (texts: string[]): { id: string; text: string }[] =>
  texts.map((text, i) => ({ id: `d${i}`, text }));

describe('TfidfRetriever', () => {
  const golden = readFixture<Golden>('tfidf-golden.json');

  // Expected: scikit-learn's rankings (ties → lower document index), every document ranked.
  it.each(golden.settings)('ranks like scikit-learn for setting $name', async (setting) => {
    const r = new TfidfRetriever(optionsOf(setting.params));
    await r.index(corpusOf(golden.docs));
    const rankings = await r.search(golden.queries, { k: golden.docs.length });
    for (let q = 0; q < golden.queries.length; q++) {
      expect(rankings[q]!.map((d) => d.id)).toEqual(setting.rankings[q]!.map((i) => `d${i}`));
      rankings[q]!.forEach((d, i) =>
        expect(Math.abs(d.score - setting.scores[q]![setting.rankings[q]![i]!]!)).toBeLessThan(
          1e-9,
        ),
      );
      setting.rankings[q]!.forEach((doc, i) =>
        expect(r.rankOf(golden.queries[q]!, `d${doc}`)).toBe(i + 1),
      );
    }
    const relevant = setting.rankings.map(
      (ranking) => new Set([`d${ranking[3]!}`, `d${ranking[5]!}`]),
    );
    expect(await r.firstRelevantRank(golden.queries, relevant)).toEqual(
      golden.queries.map(() => 4),
    );
  });

  const words = fc.constantFrom('aa', 'bb', 'cc', 'dd', 'ee', 'zz');
  const text = fc.array(words, { maxLength: 5 }).map((w) => w.join(' '));

  test.prop([
    fc.array(text, { minLength: 1, maxLength: 14 }),
    fc.array(text, { minLength: 1, maxLength: 5 }),
    fc.integer({ min: 1, max: 16 }),
  ])(
    'top-k and ranks equal brute force over all documents (zero scores and ties included)',
    async (docs, queries, k) => {
      fc.pre(docs.some((t) => t.length > 0));
      const r = new TfidfRetriever();
      await r.index(corpusOf(docs));
      const got = await r.search(queries, { k });
      const want = bruteForce(docs, queries);
      const ranks = await r.firstRelevantRank(
        queries,
        queries.map(() => new Set(['d0', 'missing'])),
      );
      for (let q = 0; q < queries.length; q++) {
        const expected = want[q]!.order.slice(0, k);
        expect(got[q]!.map((d) => d.id)).toEqual(expected.map((i) => `d${i}`));
        expect(got[q]!.map((d) => d.score)).toEqual(expected.map((i) => want[q]!.scores[i]));
        expect(ranks[q]).toBe(want[q]!.order.indexOf(0) + 1);
      }
    },
  );

  it('ranks documents sharing no term after the others, in corpus order', async () => {
    const r = new TfidfRetriever();
    await r.index(corpusOf(['aa bb', 'cc dd', 'ee ff', 'cc cc']));
    const [top] = await r.search(['cc'], { k: 4 });
    expect(top!.map((d) => d.id)).toEqual(['d3', 'd1', 'd0', 'd2']);
    expect(top!.slice(2).map((d) => d.score)).toEqual([0, 0]);
    expect(await r.firstRelevantRank(['cc', 'zz'], [new Set(['d2']), new Set(['nope'])])).toEqual([
      4,
      Infinity,
    ]);
  });

  it('reports progress up to the total for index, search and firstRelevantRank', async () => {
    const r = new TfidfRetriever();
    const calls: [number, number | undefined][] = [];
    const onProgress = (done: number, total: number | undefined): void =>
      void calls.push([done, total]);
    await r.index(corpusOf(['aa bb', 'cc dd', 'ee ff']), { onProgress });
    expect(calls.at(-1)).toEqual([3, 3]);
    await r.search(['aa', 'cc'], { k: 1, onProgress });
    expect(calls.at(-1)).toEqual([2, 2]);
    await r.firstRelevantRank(['aa'], [new Set(['d0'])], { onProgress });
    expect(calls.at(-1)).toEqual([1, 1]);
  });

  it('exposes the fitted vectorizer', async () => {
    const r = new TfidfRetriever();
    expect(r.vectorizer).toBeUndefined();
    await r.index(corpusOf(['aa bb']));
    expect(r.vectorizer?.terms).toEqual(['aa', 'bb']);
  });

  it.each<[string, TfidfRetrieverOptions, string]>([
    ['defaults (scikit-learn TfidfVectorizer())', {}, 'tfidf+sklearn'],
    [
      'analyzer settings',
      { stopWords: 'english', ngramRange: [1, 2] },
      'tfidf+sklearn(stop=english,ngram=1-2)',
    ],
    [
      'own stop words, no lowercasing',
      { stopWords: ['aa', 'bb'], lowercase: false },
      'tfidf+sklearn(lowercase=false,stop=custom(2))',
    ],
    [
      'weighting settings',
      { sublinearTf: true, norm: 'none', useIdf: false, smoothIdf: false },
      'tfidf(use_idf=false,smooth_idf=false,sublinear_tf=true,norm=none)+sklearn',
    ],
    [
      'df limits (count vs fraction)',
      { minDf: 2, maxDf: { fraction: 0.5 } },
      'tfidf(min_df=2,max_df=0.5)+sklearn',
    ],
    ['a fraction of 1 as min_df', { minDf: { fraction: 1 } }, 'tfidf(min_df=1.0)+sklearn'],
    [
      'a wink analyzer',
      { analyzer: createWinkAnalyzer({ form: 'stem' }) },
      'tfidf+wink(form=stem)',
    ],
    ['a plain function', { analyzer: (t: string) => t.split(' ') }, 'tfidf+custom'],
    [
      'a described function',
      { analyzer: Object.assign((t: string) => t.split(' '), { description: 'split on space' }) },
      'tfidf+split_on_space',
    ],
    ['an explicit name', { name: 'x' }, 'x'],
  ])('names %s: %s', (_, options, name) => {
    const r = new TfidfRetriever(options);
    expect(r.name).toBe(name);
    expect(r.name).not.toMatch(/\s/);
  });

  it('searches the top 10 when no k is given', async () => {
    const r = new TfidfRetriever();
    await r.index(corpusOf(Array.from({ length: 12 }, (_, i) => `aa w${i}`)));
    const [top] = await r.search(['aa']);
    expect(top).toHaveLength(10);
    expect(await r.search(['aa'])).toEqual(await r.search(['aa'], { k: 10 }));
  });

  it('throws typed errors for bad use', async () => {
    const r = new TfidfRetriever();
    {
      const error = await caught(() => r.search(['q'], { k: 1 }));
      expect(error).toBeInstanceOf(NotFittedError);
      expect(error).toMatchObject({ code: 'ERR_TFIDF_NOT_FITTED' });
      expect((error as Error).message).toContain('TfidfRetriever.search: nothing fitted yet');
    }
    {
      const error = await caught(() => r.rankOf('q', 'd0'));
      expect(error).toBeInstanceOf(NotFittedError);
      expect(error).toMatchObject({ code: 'ERR_TFIDF_NOT_FITTED' });
      expect((error as Error).message).toContain('TfidfRetriever.rankOf: nothing fitted yet');
    }
    {
      const error = await caught(() =>
        r.index([
          { id: 'a', text: 'xx' },
          { id: 'a', text: 'yy' },
        ]),
      );
      expect(error).toBeInstanceOf(DuplicateIdError);
      expect(error).toMatchObject({ code: 'ERR_TFIDF_DUPLICATE_ID' });
      expect((error as Error).message).toContain(
        'document id "a" appears at corpus positions 0 and 1',
      );
    }
    await r.index(corpusOf(['aa bb']));
    {
      const error = await caught(() => r.search(['q'], { k: 0 }));
      expect(error).toBeInstanceOf(InvalidKError);
      expect(error).toMatchObject({ code: 'ERR_RETRIEVAL_INVALID_K' });
      expect((error as Error).message).toContain('received 0');
    }
    {
      const error = await caught(() => r.rankOf('aa', 'nope'));
      expect(error).toBeInstanceOf(UnknownDocumentError);
      expect(error).toMatchObject({ code: 'ERR_TFIDF_UNKNOWN_DOCUMENT' });
      expect((error as Error).message).toContain(
        'TfidfRetriever.rankOf: document id "nope" is not in the indexed corpus',
      );
    }
    // A relevant list of another length is a bad argument, not a bad text (was INVALID_TEXT).
    await expect(r.firstRelevantRank(['q'], [])).rejects.toMatchObject({
      code: 'ERR_TFIDF_INVALID_OPTION',
      option: 'relevant',
    });
    {
      const error = await caught(() => new TfidfRetriever({ norm: 'x' as 'l2' }));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION' });
      expect((error as Error).message).toContain(
        `option norm must be one of 'l2', 'l1', 'none', received "x"`,
      );
    }
  });

  // Whole messages: InvalidOptionError's "<where>: option <name> must be <expected>, received
  // <value>. Fix or omit <name>." with the value as errors.ts's show() renders it.
  // The name is the TREC run tag, one whitespace-free field (formatTrecRun's rule): spaces,
  // tabs, newlines and Unicode spaces such as U+00A0 are all rejected.
  it.each<[unknown, string]>([
    ['', '""'],
    [42, '42'],
    [null, 'null'],
    [' ', '" "'],
    ['tfidf run', '"tfidf run"'],
    ['\ttfidf', '"\\ttfidf"'],
    ['tfidf\u00a0v2', '"tfidf\u00a0v2"'],
  ])('rejects a name that is not a non-empty whitespace-free string %#', async (name, shown) => {
    const error = await caught(() => new TfidfRetriever({ name } as TfidfRetrieverOptions));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION', option: 'name', value: name });
    expect((error as Error).message).toBe(
      'TfidfRetriever: option name must be a non-empty string without whitespace (it is the ' +
        `TREC run tag), received ${shown}. Fix or omit name.`,
    );
  });

  it('names TfidfRetriever.index as the place of a corpus error', async () => {
    const r = new TfidfRetriever();
    const error = await caught(() =>
      r.index([
        { id: 'a', text: 'xx' },
        { id: 'a', text: 'yy' },
      ]),
    );
    expect(error).toBeInstanceOf(DuplicateIdError);
    expect((error as Error).message).toBe(
      'TfidfRetriever.index: document id "a" appears at corpus positions 0 and 1. ' +
        'Give every document a unique id (merge duplicate passages first).',
    );
  });
});
