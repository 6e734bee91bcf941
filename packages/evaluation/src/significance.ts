/**
 * Paired significance tests over per-query metric values, as ranx's `compare` runs them: the
 * two-sided paired Student t-test (ranx's default, `scipy.stats.ttest_rel`) and Fisher's
 * randomisation test (ranx's `fisher`: each query's pair swapped with probability ½, the share of
 * permutations whose |mean difference| reaches the observed one).
 */
import { mulberry32 } from '@rtk/datasets';
import { ComparisonError } from './errors.js';
import type { RetrieverEvaluation } from './evaluate-retriever.js';

/** The tests {@link pairedTest} runs: `student` (paired t-test) or `fisher` (randomisation). */
export type PairedTestName = 'student' | 'fisher';

/** The tests, in the order the CLI lists them. */
export const PAIRED_TESTS: readonly PairedTestName[] = ['student', 'fisher'];

/** What a paired test found for one measure. */
export interface PairedTestResult {
  readonly test: PairedTestName;
  /** Number of paired values (queries). */
  readonly n: number;
  /** mean(treatment) − mean(control). */
  readonly meanDifference: number;
  /** Two-sided p-value in [0, 1]. */
  readonly pValue: number;
  /** The t statistic of treatment − control (Student only). */
  readonly t?: number;
  /** Degrees of freedom, n − 1 (Student only). */
  readonly df?: number;
  /** Permutations drawn (Fisher only). */
  readonly permutations?: number;
}

/** Options of {@link fisherRandomizationTest}. */
export interface FisherOptions {
  /** Random sign patterns drawn. Default 1000 (ranx's `n_permutations`). */
  readonly permutations?: number;
  /** Seed of the generator (mulberry32). Default 42 (ranx's `random_seed`). */
  readonly seed?: number;
}

function checkPaired(fn: string, control: readonly number[], treatment: readonly number[]): number {
  if (control.length !== treatment.length) {
    throw new ComparisonError(
      fn,
      'treatment',
      treatment.length,
      `must pair with control: ${control.length} control values, ${treatment.length} treatment values`,
    );
  }
  if (control.length < 2) {
    throw new ComparisonError(fn, 'control', control.length, 'needs at least 2 paired values');
  }
  for (const [name, values] of [
    ['control', control],
    ['treatment', treatment],
  ] as const) {
    const at = values.findIndex((v) => !Number.isFinite(v));
    if (at !== -1) {
      throw new ComparisonError(fn, name, values[at], `value ${at} is not a finite number`);
    }
  }
  return control.length;
}

/**
 * Two-sided paired Student t-test of `treatment` against `control` (equal to
 * `scipy.stats.ttest_rel(treatment, control)`). Where SciPy answers NaN, because every difference
 * is zero, this answers p = 1 (no evidence of a difference) and t = 0; when the differences are a
 * non-zero constant, t = ±Infinity and p = 0, as SciPy.
 *
 * @throws {ComparisonError} arrays of different lengths, fewer than 2 values, non-finite values.
 * @example
 * ```ts
 * pairedStudentTTest([0.5, 1, 0.25, 1], [1, 1, 0.5, 1]).pValue; // ≈ 0.1817
 * ```
 */
export function pairedStudentTTest(
  control: readonly number[],
  treatment: readonly number[],
): PairedTestResult {
  const n = checkPaired('pairedStudentTTest', control, treatment);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += treatment[i]! - control[i]!;
  mean /= n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = treatment[i]! - control[i]! - mean;
    squares += d * d;
  }
  const df = n - 1;
  const sd = Math.sqrt(squares / df);
  let t: number;
  if (sd === 0) t = mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
  else t = mean / (sd / Math.sqrt(n));
  const meanDifference = mean;
  return { test: 'student', n, meanDifference, pValue: studentTwoSidedP(t, df), t, df };
}

/**
 * Fisher's randomisation test (ranx's `fisher`): `permutations` times, each query's two values are
 * swapped with probability ½; p is the share of draws whose |mean difference| is at least the
 * observed one (no +1 correction, as ranx; a p of 0 means "below 1 / permutations"). Seeded and
 * deterministic; ranx draws with NumPy's generator, so p-values agree in distribution, not digit
 * for digit.
 *
 * @throws {ComparisonError} as {@link pairedStudentTTest}, or `permutations` not an integer ≥ 1.
 */
export function fisherRandomizationTest(
  control: readonly number[],
  treatment: readonly number[],
  options: FisherOptions = {},
): PairedTestResult {
  const n = checkPaired('fisherRandomizationTest', control, treatment);
  const permutations = options.permutations ?? 1000;
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new ComparisonError(
      'fisherRandomizationTest',
      'permutations',
      permutations,
      'must be an integer ≥ 1',
    );
  }
  const random = mulberry32(options.seed ?? 42);
  const d = new Float64Array(n);
  let observed = 0;
  for (let i = 0; i < n; i++) {
    d[i] = treatment[i]! - control[i]!;
    observed += d[i]!;
  }
  // Sums in a different order can differ in the last bits; a draw equal up to rounding counts.
  const threshold = Math.abs(observed) * (1 - 1e-12);
  let reached = 0;
  for (let p = 0; p < permutations; p++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += random() < 0.5 ? -d[i]! : d[i]!;
    if (Math.abs(sum) >= threshold) reached += 1;
  }
  return {
    test: 'fisher',
    n,
    meanDifference: observed / n,
    pValue: reached / permutations,
    permutations,
  };
}

/** Two-sided tail of Student's t distribution: P(|T| ≥ |t|) with `df` degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const x = df / (df + t * t);
  return Math.min(1, regularizedIncompleteBeta(x, df / 2, 0.5));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: relative error below 1e-15). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const g = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(g) - g + Math.log(a);
}

/** I_x(a, b), the regularised incomplete beta function, by its continued fraction (Lentz). */
function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x),
  );
  // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return h;
}

/** Options of {@link compareEvaluations}. */
export interface CompareOptions extends FisherOptions {
  /** Which test. Default `student` (ranx's default). */
  readonly test?: PairedTestName;
  /** Significance level: `significant` is `pValue ≤ maxP`. Default 0.01 (ranx's `max_p`). */
  readonly maxP?: number;
  /** Measures to compare (labels of the evaluations' `perQuery`). Default: every shared one. */
  readonly measures?: readonly string[];
}

/** One measure of {@link compareEvaluations}. */
export interface MeasureComparison extends PairedTestResult {
  readonly measure: string;
  readonly baseline: number;
  readonly candidate: number;
  /** `pValue ≤ maxP`. */
  readonly significant: boolean;
}

const FN = 'compareEvaluations';

/**
 * Compare a candidate evaluation with a baseline over the same queries, measure by measure, with
 * a paired test on the per-query values (ranx's `compare` for two runs).
 *
 * @throws {ComparisonError} when the two evaluated different query sets (naming a query one of
 *   them lacks), a measure is missing, or `maxP` is outside (0, 1).
 */
export function compareEvaluations(
  baseline: Pick<RetrieverEvaluation, 'perQuery'>,
  candidate: Pick<RetrieverEvaluation, 'perQuery'>,
  options: CompareOptions = {},
): MeasureComparison[] {
  const test = options.test ?? 'student';
  if (!PAIRED_TESTS.includes(test)) {
    throw new ComparisonError(FN, 'test', test, `must be one of ${PAIRED_TESTS.join(', ')}`);
  }
  const maxP = options.maxP ?? 0.01;
  if (!(maxP > 0 && maxP < 1)) throw new ComparisonError(FN, 'maxP', maxP, 'must be in (0, 1)');
  const ids = [...baseline.perQuery.keys()];
  for (const id of ids) {
    if (!candidate.perQuery.has(id)) {
      throw new ComparisonError(
        FN,
        'candidate',
        id,
        `has no values for query ${JSON.stringify(id)}, which the baseline evaluated`,
      );
    }
  }
  if (candidate.perQuery.size !== ids.length) {
    const extra = [...candidate.perQuery.keys()].find((id) => !baseline.perQuery.has(id));
    throw new ComparisonError(
      FN,
      'baseline',
      extra,
      `has no values for query ${JSON.stringify(extra)}, which the candidate evaluated`,
    );
  }
  const first = baseline.perQuery.get(ids[0] ?? '') ?? {};
  const measures = options.measures ?? Object.keys(first);
  return measures.map((measure) => {
    const control: number[] = [];
    const treatment: number[] = [];
    for (const id of ids) {
      const b = baseline.perQuery.get(id)![measure];
      const c = candidate.perQuery.get(id)![measure];
      if (b === undefined || c === undefined) {
        throw new ComparisonError(
          FN,
          'measures',
          measure,
          `is not in the per-query values of query ${JSON.stringify(id)}`,
        );
      }
      control.push(b);
      treatment.push(c);
    }
    const result =
      test === 'student'
        ? pairedStudentTTest(control, treatment)
        : fisherRandomizationTest(control, treatment, options);
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    return {
      measure,
      ...result,
      baseline: mean(control),
      candidate: mean(treatment),
      significant: result.pValue <= maxP,
    };
  });
}
