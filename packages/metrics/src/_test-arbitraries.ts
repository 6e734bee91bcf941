// Shared fast-check arbitraries for this package's tests (excluded from the build).
import { fc } from '@fast-check/vitest';
import type { ScoredDoc } from './types.js';

/** One query: a ranking (unique ids, descending scores) and judgements with ≥ 1 relevant doc. */
export interface QueryCase {
  readonly ranking: ScoredDoc[];
  readonly grades: Map<string, number>;
}

/**
 * Documents d0..d(m-1); a random subset of them, in random order, is the ranking; a random
 * subset is judged with grades in −1..3 (some relevant docs may be missing from the ranking);
 * one doc is forced relevant so every metric is defined.
 */
export const queryCase: fc.Arbitrary<QueryCase> = fc
  .integer({ min: 1, max: 25 })
  .chain((m) =>
    fc.record({
      m: fc.constant(m),
      grades: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: m, maxLength: m }),
      judged: fc.array(fc.boolean(), { minLength: m, maxLength: m }),
      positive: fc.integer({ min: 0, max: m - 1 }),
      positiveGrade: fc.integer({ min: 1, max: 3 }),
      order: fc.shuffledSubarray(
        Array.from({ length: m }, (_, i) => i),
        { minLength: 0, maxLength: m },
      ),
    }),
  )
  .map(({ m, grades, judged, positive, positiveGrade, order }) => {
    const judgements = new Map<string, number>();
    for (let i = 0; i < m; i++) {
      if (i === positive) judgements.set(`d${i}`, positiveGrade);
      else if (judged[i]) judgements.set(`d${i}`, grades[i]!);
    }
    const ranking = order.map((i, r) => ({ id: `d${i}`, score: order.length - r }));
    return { ranking, grades: judgements };
  });

/** A cut-off k in 1..30 (rankings have at most 25 docs, so k past the end is covered). */
export const cutoff: fc.Arbitrary<number> = fc.integer({ min: 1, max: 30 });

/** Whitespace-free ids as TREC files need them (letters, digits, `-_.:`, and non-ASCII). */
export const trecToken: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...'abcXYZ019-_.:é日😀'.split(/(?:)/u)), { minLength: 1, maxLength: 6 })
  .map((chars) => chars.join(''));

/** Like {@link queryCase}, but exactly one document is relevant (the NQ pairs setting). */
export const singleRelevantCase: fc.Arbitrary<QueryCase> = queryCase.map(({ ranking, grades }) => {
  let kept = false;
  const single = new Map<string, number>();
  for (const [id, grade] of grades) {
    single.set(id, grade > 0 && !kept ? grade : Math.min(grade, 0));
    if (grade > 0) kept = true;
  }
  return { ranking, grades: single };
});

/** Throws unless `fn` throws; returns what it threw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/**
 * The worked example of the metric tests: ranking a b c d e; relevant b (grade 2, rank 2),
 * d (grade 1, rank 4) and z (grade 1, never retrieved), so |R| = 3; c is judged non-relevant
 * (grade 0).
 */
export const EXAMPLE_RANKING: readonly ScoredDoc[] = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({
  id,
  score: 5 - i,
}));
export const EXAMPLE_GRADES: ReadonlyMap<string, number> = new Map([
  ['b', 2],
  ['d', 1],
  ['z', 1],
  ['c', 0],
]);

/**
 * What `fn` threw; throws (failing the test) unless it threw an instance of `type`. Pair it with
 * `toMatchObject` for the code, the fields and the message.
 */
export function errorOf<T extends Error>(
  fn: () => unknown,
  type: abstract new (...args: never[]) => T,
): T {
  const error = thrown(fn);
  if (!(error instanceof type)) {
    throw new Error(`expected a ${type.name}, received ${String(error)}`);
  }
  return error;
}
