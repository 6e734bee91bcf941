import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { caught } from './_test-errors.js';
import { Bm25Retriever, type Bm25RetrieverOptions, type Bm25Variant } from './bm25-retriever.js';
import { EmptyVocabularyError, InvalidOptionError, NotFittedError } from './errors.js';
import { createSklearnAnalyzer } from './sklearn-analyzer.js';
import type { Analyzer } from './types.js';
import { createWinkAnalyzer } from './wink-analyzer.js';

/** What InvalidOptionError says a `name` must be. */
const NAME_RULE = 'a non-empty string without whitespace (it is the TREC run tag)';

/**
 * Reference scores written straight from the definitions (rank_bm25's `get_scores` loop for
 * okapi, Lucene's BM25Similarity for lucene): for each query token, add its term score to
 * every document.
 */
function referenceScores(
  docs: string[],
  query: string,
  variant: Bm25Variant,
  k1: number,
  b: number,
): number[] {
  const analyze = createSklearnAnalyzer();
  const tokens = docs.map(analyze);
  const n = docs.length;
  const avgdl = tokens.reduce((s, t) => s + t.length, 0) / n;
  const df = new Map<string, number>();
  for (const t of tokens) for (const w of new Set(t)) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = new Map<string, number>();
  let sum = 0;
  for (const [w, f] of df) {
    const v =
      variant === 'lucene'
        ? Math.log(1 + (n - f + 0.5) / (f + 0.5))
        : Math.log(n - f + 0.5) - Math.log(f + 0.5);
    idf.set(w, v);
    sum += v;
  }
  if (variant === 'okapi') for (const [w, v] of idf) if (v < 0) idf.set(w, (0.25 * sum) / idf.size);
  return tokens.map((t) => {
    let score = 0;
    for (const q of analyze(query)) {
      const f = t.filter((w) => w === q).length;
      if (f === 0) continue; // absent terms add nothing (the formula would give 0/0 with k1 = 0)
      const norm = k1 * (1 - b + (b * t.length) / avgdl);
      score += ((idf.get(q) ?? 0) * (f * (variant === 'okapi' ? k1 + 1 : 1))) / (f + norm);
    }
    return score;
  });
}

const corpusOf = (texts: string[]): { id: string; text: string }[] =>
  texts.map((text, i) => ({ id: `d${i}`, text }));

describe('Bm25Retriever', () => {
  it('scores a hand-computed lucene case', async () => {
    // N = 2, avgdl = 1.5; idf(bb) = ln(1 + 1.5 / 1.5) = ln 2; d0: f = 1, |d| = 2,
    // tfw = 1 / (1 + 0.9 · (0.6 + 0.4 · 2 / 1.5)) = 1 / 2.02. d1 has no "bb": 0.
    const r = new Bm25Retriever();
    await r.index(corpusOf(['aa bb', 'aa']));
    const [top] = await r.search(['bb'], { k: 2 });
    expect(top!.map((d) => d.id)).toEqual(['d0', 'd1']);
    expect(top![0]!.score).toBeCloseTo(Math.LN2 / 2.02, 12);
    expect(top![1]!.score).toBe(0);
  });

  it.each<[Bm25RetrieverOptions, string]>([
    [{}, 'bm25-lucene(k1=0.9,b=0.4)+sklearn'],
    [{ variant: 'okapi' }, 'bm25-okapi(k1=1.5,b=0.75,epsilon=0.25)+sklearn'],
    [{ k1: 1.2, b: 0.75 }, 'bm25-lucene(k1=1.2,b=0.75)+sklearn'],
    [
      { analyzer: createSklearnAnalyzer({ stopWords: 'english' }) },
      'bm25-lucene(k1=0.9,b=0.4)+sklearn(stop=english)',
    ],
    [
      { analyzer: createWinkAnalyzer({ form: 'stem', stopWords: false }) },
      'bm25-lucene(k1=0.9,b=0.4)+wink(stop=false,form=stem)',
    ],
    [{ analyzer: (t: string) => t.split(' ') }, 'bm25-lucene(k1=0.9,b=0.4)+custom'],
    [{ name: 'mine' }, 'mine'],
  ])('names its variant, parameters and analyzer: %j → %s', (options, name) => {
    expect(new Bm25Retriever(options).name).toBe(name);
  });

  it('tells two runs with different analyzers apart', () => {
    const plain = new Bm25Retriever();
    const stemmed = new Bm25Retriever({ analyzer: createWinkAnalyzer({ form: 'stem' }) });
    expect(plain.name).not.toBe(stemmed.name);
  });

  it('searches the top 10 when no k is given', async () => {
    const r = new Bm25Retriever();
    await r.index(corpusOf(Array.from({ length: 12 }, (_, i) => `aa w${i}`)));
    const [top] = await r.search(['aa']);
    expect(top).toHaveLength(10);
  });

  const words = fc.constantFrom('aa', 'bb', 'cc', 'dd', 'ee', 'zz');
  const text = fc.array(words, { maxLength: 6 }).map((w) => w.join(' '));

  test.prop([
    fc.array(text, { minLength: 1, maxLength: 12 }),
    text,
    fc.constantFrom<Bm25Variant>('lucene', 'okapi'),
    // Realistic settings: with k1 ≈ 1e-16 every score is 1 ± 1 ulp and the reference's summation
    // order, not the ranking rule, would decide the order.
    fc.constantFrom(0, 0.5, 0.9, 1.2, 1.5, 2),
    fc.constantFrom(0, 0.4, 0.75, 1),
  ])(
    'scores and ranks equal the reference over all documents',
    async (docs, query, variant, k1, b) => {
      fc.pre(docs.some((t) => t.length > 0));
      const r = new Bm25Retriever({ variant, k1, b });
      await r.index(corpusOf(docs));
      const [got] = await r.search([query], { k: docs.length });
      const ref = referenceScores(docs, query, variant, k1, b);
      const close = (x: number, y: number): boolean =>
        Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
      // Every document once, each score equal to the reference's up to rounding …
      expect(got!.map((d) => d.id).sort()).toEqual(docs.map((_, i) => `d${i}`).sort());
      for (const d of got!) expect(close(d.score, ref[Number(d.id.slice(1))]!)).toBe(true);
      // … and ranked by those scores, exact ties by index. Scores equal in exact arithmetic can
      // differ by an ulp (2·idf/2 against idf/1), so the reference cannot say how such a pair is
      // ordered; pairs it separates by more than rounding follow from the two checks together.
      const index = (d: { id: string }): number => Number(d.id.slice(1));
      for (let i = 1; i < got!.length; i++) {
        const [a, c] = [got![i - 1]!, got![i]!];
        expect(a.score > c.score || (a.score === c.score && index(a) < index(c))).toBe(true);
      }
      const [rank] = await r.firstRelevantRank([query], [new Set(['d0'])]);
      expect(rank).toBe(got!.findIndex((d) => d.id === 'd0') + 1);
      expect(r.rankOf(query, 'd0')).toBe(rank);
    },
  );

  it.each([
    [{ b: 2 }, 'option b must be a number in [0, 1], received 2', 'b', 2],
    [{ k1: -1 }, 'option k1 must be a number in [0, ', 'k1', -1],
    [
      { variant: 'x' as 'okapi' },
      `option variant must be one of 'lucene', 'okapi', received "x"`,
      'variant',
      'x',
    ],
  ])('rejects the option %o', async (options, fact, option, value) => {
    const error = await caught(() => new Bm25Retriever(options));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION', option, value });
    expect((error as Error).message).toContain(`Bm25Retriever: ${fact}`);
  });

  it.each<[string, () => Bm25RetrieverOptions, string, unknown, string]>([
    [
      'a negative epsilon',
      () => ({ epsilon: -1 }),
      'epsilon',
      -1,
      'Bm25Retriever: option epsilon must be a number in [0, 1.7976931348623157e+308], received -1. Fix or omit epsilon.',
    ],
    [
      'an analyzer that is not a function',
      () => ({ analyzer: 'x' as unknown as Analyzer }),
      'analyzer',
      'x',
      'Bm25Retriever: option analyzer must be a function (text) => string[], received "x". Fix or omit analyzer.',
    ],
    [
      'an empty name',
      () => ({ name: '' }),
      'name',
      '',
      `Bm25Retriever: option name must be ${NAME_RULE}, received "". Fix or omit name.`,
    ],
    [
      'a name that is not a string',
      () => ({ name: 5 as unknown as string }),
      'name',
      5,
      `Bm25Retriever: option name must be ${NAME_RULE}, received 5. Fix or omit name.`,
    ],
    // The name is the TREC run tag, one whitespace-free field (formatTrecRun's rule).
    [
      'a whitespace-only name',
      () => ({ name: '  ' }),
      'name',
      '  ',
      `Bm25Retriever: option name must be ${NAME_RULE}, received "  ". Fix or omit name.`,
    ],
    [
      'a name with a space inside',
      () => ({ name: 'bm25 run' }),
      'name',
      'bm25 run',
      `Bm25Retriever: option name must be ${NAME_RULE}, received "bm25 run". Fix or omit name.`,
    ],
    [
      'a name with a trailing newline',
      () => ({ name: 'bm25\n' }),
      'name',
      'bm25\n',
      `Bm25Retriever: option name must be ${NAME_RULE}, received "bm25\\n". Fix or omit name.`,
    ],
  ])('rejects %s with the whole message', async (_, options, option, value, message) => {
    const error = await caught(() => new Bm25Retriever(options()));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION', option, value });
    expect((error as Error).message).toBe(message);
  });

  it('says why the vocabulary is empty when no document produced a term', async () => {
    const r = new Bm25Retriever();
    const error = await caught(() => r.index(corpusOf(['a', '', '! ?'])));
    expect(error).toBeInstanceOf(EmptyVocabularyError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_EMPTY_VOCABULARY', documents: 3 });
    expect((error as Error).message).toBe(
      'Bm25Retriever.index: empty vocabulary after fitting 3 document(s): no document produced a term. ' +
        'Check that the texts hold words of 2+ characters, drop stop-word removal, or relax minDf/maxDf.',
    );
  });

  it('throws typed errors for bad use', async () => {
    const r = new Bm25Retriever();
    {
      const error = await caught(() => r.search(['q'], { k: 1 }));
      expect(error).toBeInstanceOf(NotFittedError);
      expect(error).toMatchObject({ code: 'ERR_TFIDF_NOT_FITTED' });
      expect((error as Error).message).toContain('Bm25Retriever.search: nothing fitted yet');
    }
    {
      const error = await caught(() => r.index(corpusOf(['a', ''])));
      expect(error).toBeInstanceOf(EmptyVocabularyError);
      expect(error).toMatchObject({ code: 'ERR_TFIDF_EMPTY_VOCABULARY' });
      expect((error as Error).message).toContain(
        'Bm25Retriever.index: empty vocabulary after fitting 2 document(s)',
      );
    }
  });
});
