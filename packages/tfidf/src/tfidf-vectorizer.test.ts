import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { caught } from './_test-errors.js';
import {
  EmptyVocabularyError,
  InvalidOptionError,
  InvalidTextError,
  NotFittedError,
} from './errors.js';
import { TfidfVectorizer, type TfidfVectorizerOptions } from './tfidf-vectorizer.js';
import { createSklearnAnalyzer } from './sklearn-analyzer.js';
import { optionsOf, readFixture, type Golden } from './_test-fixtures.js';
import type { SparseMatrix } from './types.js';

function rowsAsMaps(m: SparseMatrix, terms: readonly string[]): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  for (let r = 0; r < m.rows; r++) {
    const row = new Map<string, number>();
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++)
      row.set(terms[m.indices[p]!]!, m.values[p]!);
    out.push(row);
  }
  return out;
}

function expectRowsClose(actual: Map<string, number>[], expected: Record<string, number>[]): void {
  expect(actual.length).toBe(expected.length);
  for (let r = 0; r < expected.length; r++) {
    const want = expected[r]!;
    expect([...actual[r]!.keys()].sort()).toEqual(Object.keys(want).sort());
    for (const [term, value] of Object.entries(want))
      expect(Math.abs(actual[r]!.get(term)! - value)).toBeLessThan(1e-9);
  }
}

describe('TfidfVectorizer', () => {
  const golden = readFixture<Golden>('tfidf-golden.json');

  // Expected: scikit-learn 1.2.1 TfidfVectorizer (fixtures/README.md names the generator).
  it.each(golden.settings)('equals scikit-learn for setting $name', (setting) => {
    const v = new TfidfVectorizer(optionsOf(setting.params));
    const docs = v.fitTransform(golden.docs);
    expect(Object.fromEntries(v.vocabulary)).toEqual(setting.vocabulary);
    expect(v.terms.length).toBe(Object.keys(setting.vocabulary).length);
    for (const [term, idf] of Object.entries(setting.idf)) {
      expect(Math.abs(v.idf[v.vocabulary.get(term)!]! - idf)).toBeLessThan(1e-9);
    }
    expectRowsClose(rowsAsMaps(docs, v.terms), setting.doc_vectors);
    expectRowsClose(rowsAsMaps(v.transform(golden.queries), v.terms), setting.query_vectors);
    // fit then transform gives the same rows as fitTransform.
    expectRowsClose(
      rowsAsMaps(
        new TfidfVectorizer(optionsOf(setting.params)).fit(golden.docs).transform(golden.docs),
        v.terms,
      ),
      setting.doc_vectors,
    );
  });

  it('sorts the vocabulary by code point, not by UTF-16 unit', () => {
    // U+FF21 (fullwidth A, BMP above the surrogates) sorts before U+1D400 (astral) by code point,
    // after it by UTF-16 unit.
    const v = new TfidfVectorizer().fit(['\u{1D400}\u{1D401} \uFF41\uFF42 ab']);
    expect(v.terms).toEqual(['ab', '\uFF41\uFF42', '\u{1D400}\u{1D401}']);
  });

  it('prunes by minDf / maxDf like min_df / max_df', () => {
    const docs = ['aa bb cc', 'aa bb', 'aa dd'];
    // df: aa 3, bb 2, cc 1, dd 1.
    expect(new TfidfVectorizer({ minDf: 2 }).fit(docs).terms).toEqual(['aa', 'bb']);
    expect(new TfidfVectorizer({ maxDf: 2 }).fit(docs).terms).toEqual(['bb', 'cc', 'dd']);
    expect(new TfidfVectorizer({ maxDf: { fraction: 0.5 } }).fit(docs).terms).toEqual(['cc', 'dd']);
    expect(new TfidfVectorizer({ minDf: { fraction: 0.5 } }).fit(docs).terms).toEqual(['aa', 'bb']);
  });

  it('uses raw tf with useIdf: false and keeps empty rows zero', () => {
    const v = new TfidfVectorizer({ useIdf: false, norm: 'none' });
    const m = v.fitTransform(['aa aa bb', '']);
    expect(Array.from(m.values)).toEqual([2, 1]);
    expect(Array.from(m.indptr)).toEqual([0, 2, 2]);
    expect(Array.from(v.idf)).toEqual([1, 1]);
  });

  it.each([
    [() => new TfidfVectorizer().transform(['x']), 'TfidfVectorizer.transform: nothing fitted yet'],
    [() => new TfidfVectorizer().terms, 'TfidfVectorizer.terms: nothing fitted yet'],
  ])('throws NotFittedError before fit %#', async (call, fact) => {
    const error = await caught(call);
    expect(error).toBeInstanceOf(NotFittedError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_NOT_FITTED' });
    expect((error as Error).message).toContain(fact);
  });

  it.each([
    [() => new TfidfVectorizer().fit(['a b', '!']), 'no document produced a term'],
    [
      () => new TfidfVectorizer({ minDf: 2 }).fit(['aa', 'bb']),
      'all 2 terms fall outside minDf/maxDf',
    ],
  ])('throws EmptyVocabularyError when nothing is kept %#', async (call, fact) => {
    const error = await caught(call);
    expect(error).toBeInstanceOf(EmptyVocabularyError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_EMPTY_VOCABULARY' });
    expect((error as Error).message).toContain(
      'TfidfVectorizer.fit: empty vocabulary after fitting 2 document(s)',
    );
    expect((error as Error).message).toContain(fact);
  });

  it.each([
    [
      () => new TfidfVectorizer({ minDf: 3, maxDf: 2 }).fit(['aa', 'bb']),
      'TfidfVectorizer.fit: option maxDf must be at least minDf',
    ],
    [() => new TfidfVectorizer({ norm: 'l3' as 'l2' }), 'option norm must be one of'],
    [() => new TfidfVectorizer({ minDf: -1 }), 'option minDf must be a document count'],
    [
      () => new TfidfVectorizer({ maxDf: { fraction: 2 } }),
      'option maxDf must be a document count',
    ],
    [
      () => new TfidfVectorizer({ analyzer: createSklearnAnalyzer(), ngramRange: [1, 2] }),
      'option ngramRange must be left out when a custom analyzer is given',
    ],
  ])('throws InvalidOptionError naming the option %#', async (call, fact) => {
    const error = await caught(call);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION' });
    expect((error as Error).message).toContain(fact);
  });

  it('throws InvalidTextError for a text that is not a string', () => {
    expect(() => new TfidfVectorizer().fit(['ok', 42 as unknown as string])).toThrow(
      InvalidTextError,
    );
    expect(() => new TfidfVectorizer().fit(['ok', 42 as unknown as string])).toThrow(
      expect.objectContaining({ code: 'ERR_TFIDF_INVALID_TEXT', index: 1 }) as Error,
    );
  });

  const words = fc.constantFrom('aa', 'bb', 'cc', 'dd', 'ee', 'ff', 'gg', 'the', 'ßß', 'é1');
  const docs = fc.array(
    fc.array(words, { maxLength: 8 }).map((w) => w.join(' ')),
    { minLength: 1, maxLength: 12 },
  );

  test.prop([docs, fc.boolean()])(
    'l2 rows have unit norm (or are empty); l1 rows sum to 1',
    (texts, sublinearTf) => {
      fc.pre(texts.some((t) => t.length > 0));
      for (const norm of ['l2', 'l1'] as const) {
        const m = new TfidfVectorizer({ norm, sublinearTf }).fitTransform(texts);
        for (let r = 0; r < m.rows; r++) {
          let s = 0;
          for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++)
            s += norm === 'l2' ? m.values[p]! ** 2 : m.values[p]!;
          if (m.indptr[r + 1] === m.indptr[r]) expect(s).toBe(0);
          else expect(s).toBeCloseTo(1, 12);
        }
      }
    },
  );

  test.prop([docs])('fitTransform equals fit + transform on the same documents', (texts) => {
    fc.pre(texts.some((t) => t.length > 0));
    const a = new TfidfVectorizer().fitTransform(texts);
    const b = new TfidfVectorizer().fit(texts).transform(texts);
    expect(Array.from(a.indptr)).toEqual(Array.from(b.indptr));
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    for (let p = 0; p < a.values.length; p++) expect(a.values[p]).toBeCloseTo(b.values[p]!, 14);
  });

  // Hand-computed; the scikit-learn golden settings all keep idf and a norm. Vocabulary
  // cat = 0, dog = 1, eel = 2; smooth idf: cat = eel = ln(3/2) + 1, dog (in both) = ln(3/3) + 1 = 1.
  it('weights without idf (fit) and without a norm (transform) as scikit-learn defines them', () => {
    const dense = (m: {
      rows: number;
      indptr: ArrayLike<number>;
      indices: ArrayLike<number>;
      values: ArrayLike<number>;
    }): number[][] =>
      Array.from({ length: m.rows }, (_, r) => {
        const row = [0, 0, 0];
        for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) row[m.indices[p]!] = m.values[p]!;
        return row;
      });
    const docs = ['cat dog dog', 'dog eel'];
    // useIdf false: raw counts, l2-normalised: [1, 2, 0]/√5 and [0, 1, 1]/√2.
    const plain = dense(new TfidfVectorizer({ useIdf: false }).fitTransform(docs));
    const expectedPlain = [
      [1 / Math.sqrt(5), 2 / Math.sqrt(5), 0],
      [0, 1 / Math.SQRT2, 1 / Math.SQRT2],
    ];
    plain.forEach((row, r) =>
      row.forEach((v, c) => expect(v).toBeCloseTo(expectedPlain[r]![c]!, 14)),
    );
    // norm none: count · idf, not divided.
    const rare = Math.log(3 / 2) + 1;
    const unnormed = new TfidfVectorizer({ norm: 'none' });
    const fitted = dense(unnormed.fitTransform(docs));
    const transformed = dense(unnormed.transform(['dog dog eel']));
    const expectedFitted = [
      [rare, 2, 0],
      [0, 1, rare],
    ];
    fitted.forEach((row, r) =>
      row.forEach((v, c) => expect(v).toBeCloseTo(expectedFitted[r]![c]!, 14)),
    );
    transformed[0]!.forEach((v, c) => expect(v).toBeCloseTo([0, 2, rare][c]!, 14));
  });

  // Expected: errors.ts's InvalidOptionError template `<where>: option <option> must be
  // <expected>, received <shown>. Fix or omit <option>.`, with `where` = 'TfidfVectorizer'.
  it.each([
    [{ useIdf: 'yes' }, 'useIdf', 'true or false', '"yes"'],
    [{ smoothIdf: 1 }, 'smoothIdf', 'true or false', '1'],
    [{ sublinearTf: null }, 'sublinearTf', 'true or false', 'null'],
    [{ norm: 'l3' }, 'norm', "one of 'l2', 'l1', 'none'", '"l3"'],
    [{ analyzer: 'sklearn' }, 'analyzer', 'a function (text) => string[]', '"sklearn"'],
    [{ analyzer: 42 }, 'analyzer', 'a function (text) => string[]', '42'],
  ])(
    'rejects an out-of-domain constructor option with the full message %#',
    async (options, option, expected, shown) => {
      const error = await caught(
        () => new TfidfVectorizer(options as unknown as TfidfVectorizerOptions),
      );
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toMatchObject({
        code: 'ERR_TFIDF_INVALID_OPTION',
        option,
        value: (options as Record<string, unknown>)[option],
      });
      expect((error as Error).message).toBe(
        `TfidfVectorizer: option ${option} must be ${expected}, received ${shown}. Fix or omit ${option}.`,
      );
    },
  );

  it('rejects analyzer options next to a custom analyzer with the full message', async () => {
    const error = await caught(
      () => new TfidfVectorizer({ analyzer: createSklearnAnalyzer(), lowercase: false }),
    );
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION', option: 'lowercase' });
    expect((error as Error).message).toBe(
      'TfidfVectorizer: option lowercase must be left out when a custom analyzer is given ' +
        '(configure the analyzer instead), received false. Fix or omit lowercase.',
    );
  });

  // Not a count (integer ≥ 0) nor an object whose own or inherited `fraction` is a number in
  // [0, 1]; `shown` is how errors.ts renders the value.
  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    ['2', '"2"'],
    [true, 'true'],
    [null, 'null'],
    [{}, 'object'],
    [{ fraction: '0.5' }, 'object'],
    [{ fraction: null }, 'object'],
    [{ fraction: -0.5 }, 'object'],
    [{ fraction: 1.5 }, 'object'],
  ])(
    'rejects a malformed document-frequency limit with the full message %#',
    async (value, shown) => {
      for (const option of ['minDf', 'maxDf'] as const) {
        const error = await caught(() => new TfidfVectorizer({ [option]: value }));
        expect(error).toBeInstanceOf(InvalidOptionError);
        expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_OPTION', option, value });
        expect((error as Error).message).toBe(
          `TfidfVectorizer: option ${option} must be a document count (integer ≥ 0) or ` +
            `{ fraction } with 0 ≤ fraction ≤ 1, received ${shown}. Fix or omit ${option}.`,
        );
      }
    },
  );

  it('rejects a function carrying a fraction as a document-frequency limit', async () => {
    const limit = Object.assign(() => 0, { fraction: 0.5 });
    const error = await caught(() => new TfidfVectorizer({ minDf: limit }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toBe(
      'TfidfVectorizer: option minDf must be a document count (integer ≥ 0) or ' +
        '{ fraction } with 0 ≤ fraction ≤ 1, received function. Fix or omit minDf.',
    );
  });

  it('accepts 0 as a document count and as a fraction', async () => {
    // df: aa 2, bb 1 of 2 documents; a minimum of 0 keeps every term, like the default 1.
    const docs = ['aa bb', 'aa'];
    const count = new TfidfVectorizer({ minDf: 0 });
    expect(count.description).toBe('tfidf(min_df=0)+sklearn');
    expect(count.fit(docs).terms).toEqual(['aa', 'bb']);
    const fraction = new TfidfVectorizer({ minDf: { fraction: 0 } });
    expect(fraction.description).toBe('tfidf(min_df=0.0)+sklearn');
    expect(fraction.fit(docs).terms).toEqual(['aa', 'bb']);
    // A maximum of 0 is a valid option; it only fails against minDf when fitting.
    for (const maxDf of [0, { fraction: 0 }]) {
      const error = await caught(() => new TfidfVectorizer({ maxDf }).fit(docs));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as Error).message).toBe(
        'TfidfVectorizer.fit: option maxDf must be at least minDf (1 of 2 documents), ' +
          'received 0. Fix or omit maxDf.',
      );
    }
    // With minDf 0 too, the limits are consistent and prune both terms (df ≥ 1 > 0).
    const error = await caught(() => new TfidfVectorizer({ minDf: 0, maxDf: 0 }).fit(docs));
    expect(error).toBeInstanceOf(EmptyVocabularyError);
    expect((error as Error).message).toBe(
      'TfidfVectorizer.fit: empty vocabulary after fitting 2 document(s): all 2 terms fall ' +
        'outside minDf/maxDf. Check that the texts hold words of 2+ characters, drop stop-word ' +
        'removal, or relax minDf/maxDf.',
    );
  });

  // Expected: the scikit-learn names of the non-default settings (see `description`); a count
  // prints as an integer, a fraction with a decimal point, and max_df = 1.0 is the default.
  it.each([
    [{}, 'tfidf+sklearn'],
    [{ maxDf: { fraction: 1 } }, 'tfidf+sklearn'],
    [{ maxDf: 1 }, 'tfidf(max_df=1)+sklearn'],
    [{ maxDf: 5 }, 'tfidf(max_df=5)+sklearn'],
    [{ maxDf: { fraction: 0.9 } }, 'tfidf(max_df=0.9)+sklearn'],
    [
      {
        useIdf: false,
        smoothIdf: false,
        sublinearTf: true,
        norm: 'l1',
        minDf: 2,
        maxDf: { fraction: 0.5 },
      },
      'tfidf(use_idf=false,smooth_idf=false,sublinear_tf=true,norm=l1,min_df=2,max_df=0.5)+sklearn',
    ],
  ] as [TfidfVectorizerOptions, string][])(
    'describes its non-default settings in scikit-learn names %#',
    (options, description) => {
      expect(new TfidfVectorizer(options).description).toBe(description);
    },
  );

  it.each([
    [() => new TfidfVectorizer().transform(['x']), 'transform'],
    [() => new TfidfVectorizer().terms, 'terms'],
    [() => new TfidfVectorizer().vocabulary, 'vocabulary'],
    [() => new TfidfVectorizer().idf, 'idf'],
  ])('names the member used before fit in the full message %#', async (call, member) => {
    const error = await caught(call);
    expect(error).toBeInstanceOf(NotFittedError);
    expect((error as Error).message).toBe(
      `TfidfVectorizer.${member}: nothing fitted yet. Call fit(documents) or fitTransform(documents) first.`,
    );
  });

  it('names fit or transform in the message for a text that is not a string', async () => {
    const fitError = await caught(() => new TfidfVectorizer().fit(['aa', 42 as unknown as string]));
    expect(fitError).toBeInstanceOf(InvalidTextError);
    expect((fitError as Error).message).toBe(
      'TfidfVectorizer.fit: text at index 1 must be a string, received 42. ' +
        'Pass an array of strings (use "" for an empty document).',
    );
    const fitted = new TfidfVectorizer().fit(['aa bb']);
    const error = await caught(() => fitted.transform(['aa', undefined as unknown as string]));
    expect(error).toBeInstanceOf(InvalidTextError);
    expect(error).toMatchObject({ code: 'ERR_TFIDF_INVALID_TEXT', index: 1 });
    expect((error as Error).message).toBe(
      'TfidfVectorizer.transform: text at index 1 must be a string, received undefined. ' +
        'Pass an array of strings (use "" for an empty document).',
    );
  });

  it('returns a fresh idf copy, so changing it leaves the fit alone', () => {
    // n = 2; aa in both: ln(3/3) + 1 = 1; bb in one: ln(3/2) + 1.
    const v = new TfidfVectorizer({ norm: 'none' }).fit(['aa bb', 'aa']);
    const copy = v.idf;
    expect(copy).not.toBe(v.idf);
    copy.fill(7);
    const idf = v.idf;
    expect(idf.length).toBe(2);
    expect(idf[0]).toBeCloseTo(1, 14);
    expect(idf[1]).toBeCloseTo(Math.log(3 / 2) + 1, 14);
    const row = v.transform(['bb bb']);
    expect(Array.from(row.indices)).toEqual([1]);
    expect(row.values[0]).toBeCloseTo(2 * (Math.log(3 / 2) + 1), 14);
  });
});
