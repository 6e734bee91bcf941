import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ComparisonError } from './errors.js';
import {
  compareEvaluations,
  fisherRandomizationTest,
  pairedStudentTTest,
  studentTwoSidedP,
} from './significance.js';

interface Golden {
  readonly cases: readonly {
    readonly name: string;
    readonly control: number[];
    readonly treatment: number[];
    readonly t: number;
    readonly df: number;
    readonly pValue: number;
  }[];
  readonly tails: readonly { readonly t: number; readonly df: number; readonly pValue: number }[];
}

// SciPy's ttest_rel and t.sf (scripts/make-significance-golden.py).
const golden = JSON.parse(
  readFileSync(new URL('../fixtures/significance-golden.json', import.meta.url), 'utf8'),
) as Golden;

/** |a − b| within `rel` of |b|, or both below `abs`. */
function close(a: number, b: number, rel: number, abs = 1e-300): boolean {
  return Math.abs(a - b) <= Math.max(rel * Math.abs(b), abs);
}

describe('pairedStudentTTest', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('equals SciPy: %s', (_, c) => {
    const r = pairedStudentTTest(c.control, c.treatment);
    expect(r.df).toBe(c.df);
    expect(close(r.t!, c.t, 1e-10)).toBe(true);
    expect(close(r.pValue, c.pValue, 1e-9)).toBe(true);
    expect(r.meanDifference).toBeCloseTo(
      (c.treatment.reduce((s, x) => s + x, 0) - c.control.reduce((s, x) => s + x, 0)) /
        c.control.length,
      12,
    );
  });

  it('the t distribution tails equal SciPy over t and df', () => {
    // Relative accuracy down to 1e-200; below that both are "zero" for every decision here.
    const off = golden.tails
      .map(({ t, df, pValue }) => ({ t, df, pValue, ours: studentTwoSidedP(t, df) }))
      .filter((r) => !close(r.ours, r.pValue, 1e-8, 1e-200));
    expect(off).toEqual([]);
    expect(golden.tails.length).toBeGreaterThan(50);
  });

  it('is symmetric: swapping the systems flips t, keeps p', () => {
    const c = golden.cases[4]!;
    const a = pairedStudentTTest(c.control, c.treatment);
    const b = pairedStudentTTest(c.treatment, c.control);
    expect(b.t).toBeCloseTo(-a.t!, 12);
    expect(b.pValue).toBeCloseTo(a.pValue, 14);
  });

  it('identical systems: p = 1 and t = 0 (SciPy: NaN); a constant shift: p = 0', () => {
    expect(pairedStudentTTest([0.1, 0.5, 1], [0.1, 0.5, 1])).toMatchObject({ t: 0, pValue: 1 });
    const shifted = pairedStudentTTest([0, 0.25, 0.5], [0.5, 0.75, 1]);
    expect(shifted.t).toBe(Infinity);
    expect(shifted.pValue).toBe(0);
  });

  it('rejects unpaired, too short and non-finite input, naming the argument', () => {
    const cases: [number[], number[], string, RegExp][] = [
      [[1, 0], [1], 'treatment', /2 control values, 1 treatment values/],
      [[1], [0], 'control', /at least 2/],
      [[1, Number.NaN], [1, 0], 'control', /value 1 is not a finite number/],
      [[1, 0], [Infinity, 0], 'treatment', /value 0 is not a finite number/],
    ];
    for (const [control, treatment, option, message] of cases) {
      let caught: unknown;
      try {
        pairedStudentTTest(control, treatment);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ComparisonError);
      expect((caught as ComparisonError).code).toBe('ERR_EVALUATION_INVALID_COMPARISON');
      expect((caught as ComparisonError).option).toBe(option);
      expect((caught as Error).message).toMatch(/^pairedStudentTTest: /);
      expect((caught as Error).message).toMatch(message);
    }
  });
});

/** The exact randomisation p-value: every one of the 2^n sign patterns. */
function exactRandomizationP(control: readonly number[], treatment: readonly number[]): number {
  const d = control.map((c, i) => treatment[i]! - c);
  const observed = Math.abs(d.reduce((s, x) => s + x, 0));
  let reached = 0;
  const patterns = 2 ** d.length;
  for (let mask = 0; mask < patterns; mask++) {
    let sum = 0;
    for (let i = 0; i < d.length; i++) sum += mask & (1 << i) ? -d[i]! : d[i]!;
    if (Math.abs(sum) >= observed * (1 - 1e-12)) reached += 1;
  }
  return reached / patterns;
}

describe('fisherRandomizationTest', () => {
  const control = [0.2, 1, 0.5, 0.333, 1, 0.25, 0, 1, 0.5, 0.1, 0.2, 1];
  const treatment = [0.5, 1, 1, 0.5, 1, 0.2, 0.5, 1, 1, 0.25, 0.1, 1];

  it('estimates the exact p (all 2^n sign patterns) within 4 standard errors', () => {
    const exact = exactRandomizationP(control, treatment);
    expect(exact).toBeGreaterThan(0.005); // not a degenerate case
    expect(exact).toBeLessThan(0.5);
    const permutations = 20_000;
    const r = fisherRandomizationTest(control, treatment, { permutations, seed: 7 });
    const se = Math.sqrt((exact * (1 - exact)) / permutations);
    expect(Math.abs(r.pValue - exact)).toBeLessThan(4 * se);
    expect(r).toMatchObject({ test: 'fisher', n: 12, permutations });
  });

  it('is deterministic under a seed, and the seed matters', () => {
    const a = fisherRandomizationTest(control, treatment, { seed: 3 });
    expect(fisherRandomizationTest(control, treatment, { seed: 3 })).toEqual(a);
    const others = [4, 5, 6].map(
      (seed) => fisherRandomizationTest(control, treatment, { seed }).pValue,
    );
    expect(others.some((p) => p !== a.pValue)).toBe(true);
  });

  it('identical systems: every draw reaches the observed 0, p = 1', () => {
    expect(fisherRandomizationTest([0.5, 1, 0], [0.5, 1, 0]).pValue).toBe(1);
  });

  it('a large consistent effect: p near 0; agrees with the t-test on which side of 0.01', () => {
    const base = Array.from({ length: 40 }, (_, i) => (i % 7) / 7);
    const better = base.map((x, i) => Math.min(1, x + 0.2 + (i % 3) * 0.05));
    const fisher = fisherRandomizationTest(base, better);
    expect(fisher.pValue).toBeLessThan(0.01);
    expect(pairedStudentTTest(base, better).pValue).toBeLessThan(0.01);
  });

  it('rejects a bad permutation count', () => {
    expect(() => fisherRandomizationTest(control, treatment, { permutations: 0 })).toThrow(
      /fisherRandomizationTest: permutations must be an integer ≥ 1/,
    );
    expect(() => fisherRandomizationTest(control, treatment, { permutations: 1.5 })).toThrow(
      ComparisonError,
    );
  });
});

describe('compareEvaluations', () => {
  const perQuery = (rows: Record<string, Record<string, number>>) => ({
    perQuery: new Map(Object.entries(rows)),
  });
  const baseline = perQuery({
    q1: { MRR: 0.5, 'Recall@1': 0 },
    q2: { MRR: 1, 'Recall@1': 1 },
    q3: { MRR: 0.25, 'Recall@1': 0 },
    q4: { MRR: 0.2, 'Recall@1': 0 },
  });
  // Same queries, another insertion order: pairing is by query id, not by position.
  const candidate = perQuery({
    q4: { MRR: 0.5, 'Recall@1': 0 },
    q3: { MRR: 0.5, 'Recall@1': 0 },
    q2: { MRR: 1, 'Recall@1': 1 },
    q1: { MRR: 1, 'Recall@1': 1 },
  });

  it('pairs by query id and tests each measure', () => {
    const rows = compareEvaluations(baseline, candidate);
    expect(rows.map((r) => r.measure)).toEqual(['MRR', 'Recall@1']);
    const mrr = rows[0]!;
    expect(mrr.baseline).toBeCloseTo(0.4875, 12);
    expect(mrr.candidate).toBeCloseTo(0.75, 12);
    const direct = pairedStudentTTest([0.5, 1, 0.25, 0.2], [1, 1, 0.5, 0.5]);
    expect(mrr.pValue).toBe(direct.pValue);
    expect(mrr.significant).toBe(direct.pValue <= 0.01);
    expect(compareEvaluations(baseline, candidate, { maxP: 0.5 })[0]!.significant).toBe(true);
    const fisher = compareEvaluations(baseline, candidate, { test: 'fisher', measures: ['MRR'] });
    expect(fisher).toHaveLength(1);
    expect(fisher[0]!.test).toBe('fisher');
  });

  it('refuses different query sets, unknown measures and tests, naming them', () => {
    const fewer = perQuery({ q1: { MRR: 1 }, q2: { MRR: 1 }, q3: { MRR: 1 } });
    expect(() => compareEvaluations(baseline, fewer)).toThrow(
      /candidate has no values for query "q4"/,
    );
    const more = perQuery({ ...Object.fromEntries(baseline.perQuery), q9: { MRR: 1 } });
    expect(() => compareEvaluations(baseline, more)).toThrow(
      /baseline has no values for query "q9"/,
    );
    expect(() => compareEvaluations(baseline, candidate, { measures: ['nDCG@10'] })).toThrow(
      /measures is not in the per-query values of query "q1"/,
    );
    expect(() =>
      compareEvaluations(baseline, candidate, { test: 'wilcoxon' as 'student' }),
    ).toThrow(/test must be one of student, fisher/);
    expect(() => compareEvaluations(baseline, candidate, { maxP: 1 })).toThrow(/maxP must be in/);
  });
});
