/**
 * Statistics over benchmark samples, all distribution-free: benchmark times
 * are skewed (a long right tail from preemption and migrations), so nothing
 * here assumes normality. Medians with order-statistic confidence intervals,
 * the Mann–Whitney U test for "did it change", and a Hodges–Lehmann interval
 * for the ratio of two sample sets (the interval that inverts the same test,
 * so the interval and the p-value agree).
 */
import type { Statistics } from './results/schema.js';

/** Confidence level of every interval in this module. */
export const CONFIDENCE = 0.95;
/** Below this many samples the 95% order-statistic interval of the median does not exist: the CI is the full range. */
export const MIN_SAMPLES_FOR_MEDIAN_CI = 6;

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Value at 0-based index `i` of a sorted array (callers keep `i` in range). */
function at(values: readonly number[], i: number): number {
  return values[i] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? at(s, mid) : (at(s, mid - 1) + at(s, mid)) / 2;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Geometric mean of positive values (NaN if empty or any value ≤ 0).
 *
 * @example
 * ```ts
 * import { geomean } from 'poolscope';
 *
 * console.log(geomean([1, 100])); // 10
 * ```
 */
export function geomean(values: readonly number[]): number {
  if (values.length === 0 || values.some((v) => !(v > 0))) return Number.NaN;
  let logSum = 0;
  for (const v of values) logSum += Math.log(v);
  return Math.exp(logSum / values.length);
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  // Sum C(n, i) / 2^n in log space, so n in the thousands does not overflow.
  let logC = -n * Math.LN2; // log(C(n,0) / 2^n)
  let total = Math.exp(logC);
  for (let i = 1; i <= k; i++) {
    logC += Math.log((n - i + 1) / i);
    total += Math.exp(logC);
  }
  return Math.min(1, total);
}

/** An interval of the median from order statistics, with the coverage it actually has. */
export interface MedianInterval {
  low: number;
  high: number;
  /** The exact coverage of [x(k), x(n−k+1)]: 1 − 2·P(B ≤ k−1), B ~ Binomial(n, ½). */
  coverage: number;
  /** True when n is too small for a 95% interval, so the interval is the full range of the samples. */
  fullRange: boolean;
}

/**
 * Distribution-free 95% confidence interval of the median: [x(k), x(n−k+1)]
 * for the largest k whose coverage is still ≥ 95%. With n < 6 no such k
 * exists and the interval is the full range (its coverage is then below 95%,
 * e.g. 93.75% at n = 5).
 *
 * @example
 * ```ts
 * import { medianCI } from 'poolscope';
 *
 * const { low, high } = medianCI([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
 * console.log(low, high); // 2 9 (coverage 97.9%)
 * ```
 */
export function medianCI(values: readonly number[]): MedianInterval {
  const n = values.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN, coverage: 0, fullRange: true };
  const s = sorted(values);
  const alpha = 1 - CONFIDENCE;
  let k = 0;
  while (k + 1 <= n / 2 && 2 * binomialHalfCdf(k, n) <= alpha) k++;
  if (k === 0) {
    return { low: at(s, 0), high: at(s, n - 1), coverage: 1 - 2 * binomialHalfCdf(0, n), fullRange: true };
  }
  return { low: at(s, k - 1), high: at(s, n - k), coverage: 1 - 2 * binomialHalfCdf(k - 1, n), fullRange: false };
}

/**
 * The one summary shape used everywhere (schema.ts's `Statistics`): median,
 * mean, min, max, sample standard deviation and the 95% CI of the median
 * from {@link medianCI}.
 *
 * @example
 * ```ts
 * import { summarize } from 'poolscope';
 *
 * console.log(summarize([3, 1, 2])); // { n: 3, median: 2, mean: 2, min: 1, max: 3, stddev: 1, ciLow: 1, ciHigh: 3 }
 * ```
 */
export function summarize(values: readonly number[]): Statistics {
  const n = values.length;
  if (n === 0) {
    return {
      n: 0,
      median: Number.NaN,
      mean: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
      stddev: Number.NaN,
      ciLow: Number.NaN,
      ciHigh: Number.NaN,
    };
  }
  const m = mean(values);
  let sq = 0;
  for (const v of values) sq += (v - m) * (v - m);
  const ci = medianCI(values);
  return {
    n,
    median: median(values),
    mean: m,
    min: Math.min(...values),
    max: Math.max(...values),
    stddev: n > 1 ? Math.sqrt(sq / (n - 1)) : 0,
    ciLow: ci.low,
    ciHigh: ci.high,
  };
}

/** Standard normal upper tail P(Z > z), via erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const erfcAbs =
    t *
    Math.exp(
      -ax * ax -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const erfc = x >= 0 ? erfcAbs : 2 - erfcAbs;
  return erfc / 2;
}

/** Upper z quantile for the two-sided 95% level. */
export const Z_975 = 1.959963984540054;

/** Largest sample sizes for which the exact distribution of U is computed (cost ~ m·n·mn/4). */
const EXACT_MAX = 50;

/**
 * Counts of the Mann–Whitney U statistic for sample sizes (m, n) with no
 * ties: counts[u] = the number of the C(m+n, m) orderings whose U is u.
 * Recurrence f(i, j)[u] = f(i−1, j)[u−j] + f(i, j−1)[u] (the largest value
 * belongs to the first sample, beating all j of the second, or it does not).
 */
function exactUCounts(m: number, n: number): Float64Array {
  // row[j] = f(i, j) for the current i; f(0, j) = [1].
  let row: Float64Array[] = [];
  for (let j = 0; j <= n; j++) row.push(Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const next: Float64Array[] = [Float64Array.of(1)]; // f(i, 0) = [1]
    for (let j = 1; j <= n; j++) {
      const f = new Float64Array(i * j + 1);
      const up = row[j] as Float64Array; // f(i−1, j), length (i−1)·j + 1
      const left = next[j - 1] as Float64Array; // f(i, j−1), length i·(j−1) + 1
      for (let u = 0; u < left.length; u++) f[u] = left[u] as number;
      for (let u = 0; u < up.length; u++) f[u + j] = (f[u + j] as number) + (up[u] as number);
      next.push(f);
    }
    row = next;
  }
  return row[n] as Float64Array;
}

function cumulative(counts: Float64Array): { cdf: Float64Array; total: number } {
  const cdf = new Float64Array(counts.length);
  let run = 0;
  for (let u = 0; u < counts.length; u++) {
    run += counts[u] as number;
    cdf[u] = run;
  }
  return { cdf, total: run };
}

/** The result of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting ½. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  /** `exact`: the permutation distribution; `normal`: the tie-corrected normal approximation. */
  method: 'exact' | 'normal';
}

/**
 * Two-sided Mann–Whitney U test. Exact (the full permutation distribution)
 * when both samples have at most 50 values and there are no ties; otherwise
 * the normal approximation with tie correction and continuity correction
 * (what scipy's `mannwhitneyu(..., method='asymptotic')` computes).
 *
 * @example
 * ```ts
 * import { mannWhitneyU } from 'poolscope';
 *
 * const { u, p } = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]);
 * console.log(u, p); // 17 0.111… (exact)
 * ```
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) return { u: Number.NaN, p: 1, method: 'exact' };
  const all = [...x.map((v) => ({ v, first: true })), ...y.map((v) => ({ v, first: false }))].sort((a, b) => a.v - b.v);
  const N = m + n;
  let rankSumX = 0;
  let tieTerm = 0; // Σ (t³ − t) over groups of ties
  for (let i = 0; i < N; ) {
    let j = i;
    while (j + 1 < N && all[j + 1]?.v === all[i]?.v) j++;
    const t = j - i + 1;
    const avgRank = (i + j + 2) / 2; // ranks are 1-based
    for (let k = i; k <= j; k++) if (all[k]?.first) rankSumX += avgRank;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const u = rankSumX - (m * (m + 1)) / 2;
  if (tieTerm === 0 && m <= EXACT_MAX && n <= EXACT_MAX) {
    const { cdf, total } = cumulative(exactUCounts(m, n));
    const lower = (cdf[u] as number) / total; // P(U ≤ u)
    const upper = 1 - (u > 0 ? (cdf[u - 1] as number) : 0) / total; // P(U ≥ u)
    return { u, p: Math.min(1, 2 * Math.min(lower, upper)), method: 'exact' };
  }
  const mu = (m * n) / 2;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (!(variance > 0)) return { u, p: 1, method: 'normal' }; // every value equal
  const z = Math.max(0, Math.abs(u - mu) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalUpperTail(z)), method: 'normal' };
}

/** A point estimate of how `y` relates to `x`, with its confidence interval. */
export interface ShiftInterval {
  /** Hodges–Lehmann estimate: the median of all pairwise ratios (or differences). */
  estimate: number;
  low: number;
  high: number;
  /** True when the samples are too few for a 95% interval, so it spans every pairwise value. */
  fullRange: boolean;
}

/**
 * Distribution-free 95% CI for how `y` differs from `x` (Hodges–Lehmann /
 * Moses): sort the m·n pairwise values y_j ÷ x_i (`ratio`, needs positive
 * values) or y_j − x_i (`difference`) and take the k-th smallest and largest,
 * k from the null distribution of U. It is the set of shifts the
 * Mann–Whitney test would not reject, so "CI excludes 1" and "p < 0.05" agree.
 *
 * @example
 * ```ts
 * import { shiftCI } from 'poolscope';
 *
 * const before = [10.1, 9.9, 10.0, 10.2, 10.3, 9.8];
 * const after = [12.0, 12.3, 11.9, 12.1, 12.4, 11.8];
 * const { estimate, low, high } = shiftCI(before, after, 'ratio');
 * console.log(estimate, low, high); // about 1.2, an interval that excludes 1
 * ```
 */
export function shiftCI(x: readonly number[], y: readonly number[], mode: 'ratio' | 'difference'): ShiftInterval {
  const m = x.length;
  const n = y.length;
  const nan = { estimate: Number.NaN, low: Number.NaN, high: Number.NaN, fullRange: true };
  if (m === 0 || n === 0) return nan;
  if (mode === 'ratio' && [...x, ...y].some((v) => !(v > 0))) return nan;
  const pairs: number[] = [];
  for (const a of x) for (const b of y) pairs.push(mode === 'ratio' ? b / a : b - a);
  pairs.sort((a, b) => a - b);
  const mn = pairs.length;
  const alpha = 1 - CONFIDENCE;
  // k = 1 + the largest u with P(U ≤ u) ≤ α/2 (0 when even P(U ≤ 0) is too big).
  let k = 0;
  if (m <= EXACT_MAX && n <= EXACT_MAX) {
    const { cdf, total } = cumulative(exactUCounts(m, n));
    while (k < cdf.length && (cdf[k] as number) / total <= alpha / 2) k++;
  } else {
    k = Math.floor(mn / 2 - Z_975 * Math.sqrt((m * n * (m + n + 1)) / 12));
  }
  const estimate = median(pairs);
  if (k < 1 || k > mn - k + 1) return { estimate, low: at(pairs, 0), high: at(pairs, mn - 1), fullRange: true };
  return { estimate, low: at(pairs, k - 1), high: at(pairs, mn - k), fullRange: false };
}

/** Upper z quantile for 80% power (one side), for the minimum detectable change. */
export const Z_POWER_80 = 0.8416212335729143;

/**
 * A seeded PRNG (mulberry32), uniform in [0, 1): the bootstrap of `compare`
 * draws from it so a comparison with the same `--seed` gives the same numbers.
 *
 * @example
 * ```ts
 * import { seededRandom } from './stats.js'; // lib/stats.ts (internal)
 *
 * const rnd = seededRandom(42);
 * console.log(rnd() === seededRandom(42)()); // true
 * ```
 */
export function seededRandom(seed: number): () => number {
  const next = seededUint32(seed);
  return () => next() / 4294967296;
}

/** mulberry32's raw output: uniform 32-bit unsigned integers from a seed (the placement draws use it). */
export function seededUint32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values): rejecting every q < α
 * keeps the expected share of false discoveries among the rejections at or
 * below α, over all the rows of one comparison.
 *
 * @example
 * ```ts
 * import { benjaminiHochberg } from './stats.js'; // lib/stats.ts (internal)
 *
 * console.log(benjaminiHochberg([0.01, 0.04, 0.03, 0.5])); // [0.04, 0.0533…, 0.0533…, 0.5]
 * ```
 */
export function benjaminiHochberg(ps: readonly number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const q = new Array<number>(m).fill(1);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const { p, i } = order[k] as { p: number; i: number };
    running = Math.min(running, (p * m) / (k + 1));
    q[i] = Math.min(1, running);
  }
  return q;
}

/** The result of {@link hierarchicalBootstrap}: the change in ln(ns/op), new − old. */
export interface RunLevelChange {
  /** Mean over runs of each run's median ln value, new − old. exp(estimate) is the ratio. */
  estimate: number;
  /** Standard error of the estimate: the bootstrap's (bias-corrected for few runs), plus the one-run floor. */
  se: number;
  /** The bootstrap's standard error alone (runs, then samples, resampled). */
  bootstrapSe: number;
  /** Degrees of freedom of the reference t distribution: runs − 1 summed over sides; Infinity with a one-run floor. */
  df: number;
  /** Two-sided p of estimate ÷ se under Student's t with `df`. */
  p: number;
  /** True when a side has one run: its run-to-run variance is not measured but assumed (the floor). */
  floored: boolean;
}

/** ln of the median of values[idx] over the drawn indices. */
function medianOfDraw(values: Float64Array, rnd: () => number, scratch: Float64Array): number {
  const n = values.length;
  for (let i = 0; i < n; i++) scratch[i] = values[Math.floor(rnd() * n)] as number;
  const s = scratch.subarray(0, n).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Mean over runs of the median of each run (values already in ln). */
function runLevel(runs: readonly Float64Array[]): number {
  let sum = 0;
  for (const r of runs) sum += median(Array.from(r));
  return sum / runs.length;
}

/** (1.4826 × MAD)² of one run's ln values: the floor's assumed run-to-run variance. */
function robustLogVariance(run: Float64Array): number {
  const r = Array.from(run);
  const m = median(r);
  const sd = 1.4826 * median(r.map((x) => Math.abs(x - m)));
  return sd * sd;
}

/**
 * How a benchmark changed between two sets of runs, treating the run as a
 * random effect (Kalibera & Jones 2013): the statistic is the mean over runs
 * of each run's median ln(ns/op); its standard error comes from a
 * hierarchical bootstrap that resamples runs with replacement, then samples
 * within each drawn run, each side's variance scaled by R ÷ (R − 1) (the
 * bootstrap's bias with R runs), and the test refers estimate ÷ SE to
 * Student's t with (R_old − 1) + (R_new − 1) degrees of freedom. With one run
 * on a side the run-to-run variance cannot be measured; the floor adds that
 * run's own robust variance of ln(ns/op) (1.4826 × MAD, squared), as if
 * another run could differ by as much as its samples do, and the reference is
 * the normal. Values must be positive.
 *
 * @example
 * ```ts
 * import { hierarchicalBootstrap, seededRandom } from './stats.js'; // lib/stats.ts (internal)
 *
 * const old = [[10, 10.2, 9.9, 10.1], [10.4, 10.3, 10.6, 10.5]];
 * const neu = [[20, 20.5, 19.8, 20.1], [21, 20.7, 20.9, 21.2]];
 * const c = hierarchicalBootstrap(old, neu, { resamples: 500, random: seededRandom(1) });
 * console.log(Math.exp(c.estimate).toFixed(2), c.p < 0.05); // about 2.00 true
 * ```
 */
export function hierarchicalBootstrap(
  oldRuns: readonly (readonly number[])[],
  newRuns: readonly (readonly number[])[],
  options: { resamples: number; random: () => number },
): RunLevelChange {
  const toLogs = (runs: readonly (readonly number[])[]) =>
    runs.filter((r) => r.length > 0).map((r) => Float64Array.from(r, (v) => Math.log(v)));
  const a = toLogs(oldRuns);
  const b = toLogs(newRuns);
  if (a.length === 0 || b.length === 0) {
    return { estimate: Number.NaN, se: Number.NaN, bootstrapSe: Number.NaN, df: Number.NaN, p: 1, floored: false };
  }
  const estimate = runLevel(b) - runLevel(a);
  const rnd = options.random;
  const longest = Math.max(...a.map((r) => r.length), ...b.map((r) => r.length));
  const scratch = new Float64Array(longest);
  const B = Math.max(2, options.resamples);
  /** Bootstrap variance of one side's statistic, bias-corrected for its number of runs. */
  const sideVariance = (runs: readonly Float64Array[]) => {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < B; i++) {
      let sum = 0;
      for (let k = 0; k < runs.length; k++) {
        sum += medianOfDraw(runs[Math.floor(rnd() * runs.length)] as Float64Array, rnd, scratch);
      }
      const t = sum / runs.length;
      s1 += t;
      s2 += t * t;
    }
    const v = Math.max(0, (s2 - (s1 * s1) / B) / (B - 1));
    return runs.length > 1 ? (v * runs.length) / (runs.length - 1) : v;
  };
  const bootVar = sideVariance(a) + sideVariance(b);
  const floored = a.length === 1 || b.length === 1;
  const floorVar =
    (a.length === 1 ? robustLogVariance(a[0] as Float64Array) : 0) +
    (b.length === 1 ? robustLogVariance(b[0] as Float64Array) : 0);
  const se = Math.sqrt(bootVar + floorVar);
  const df = floored ? Number.POSITIVE_INFINITY : a.length - 1 + (b.length - 1);
  const p = se > 0 ? Math.min(1, 2 * studentUpperTail(Math.abs(estimate) / se, df)) : estimate === 0 ? 1 : 0;
  return { estimate, se, bootstrapSe: Math.sqrt(bootVar), df, p, floored };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularized incomplete beta (Numerical Recipes' betacf, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
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
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * Student's t upper tail P(T > t) with `df` degrees of freedom (the normal
 * tail for df = Infinity). `compare` refers estimate ÷ SE to it when the SE
 * comes from few runs.
 */
export function studentUpperTail(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalUpperTail(t);
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/** The t with P(T > t) = `upper` (bisection on {@link studentUpperTail}; 0 < upper < 0.5). */
export function studentQuantile(upper: number, df: number): number {
  let lo = 0;
  let hi = 1;
  while (studentUpperTail(hi, df) > upper) hi *= 2;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (studentUpperTail(mid, df) > upper) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The result of {@link pairedRatioTest}. */
export interface PairedRatio {
  /** exp(mean of ln(other_i ÷ base_i)): the geometric mean ratio over the pairs. */
  ratio: number;
  /** 95% interval of the ratio (Student's t with pairs − 1 degrees of freedom). */
  low: number;
  high: number;
  /** Two-sided p of the paired t test on the log ratios. */
  p: number;
}

/**
 * Paired t test on log ratios: pair i holds one process's figure for the
 * base and for the other benchmark, so what the two share in that process
 * (its load, its heap) cancels, and what differs between processes is the
 * unit of variance. Needs at least 2 pairs of positive values.
 */
export function pairedRatioTest(base: readonly number[], other: readonly number[]): PairedRatio {
  const k = base.length;
  if (k < 2 || other.length !== k) {
    throw new RangeError(`pairedRatioTest needs two lists of equal length ≥ 2 (received ${k} and ${other.length})`);
  }
  const d = base.map((b, i) => Math.log((other[i] as number) / b));
  const m = mean(d);
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / (k - 1));
  const se = sd / Math.sqrt(k);
  if (se === 0) return { ratio: Math.exp(m), low: Math.exp(m), high: Math.exp(m), p: m === 0 ? 1 : 0 };
  const q = studentQuantile(0.025, k - 1);
  const p = Math.min(1, 2 * studentUpperTail(Math.abs(m) / se, k - 1));
  return { ratio: Math.exp(m), low: Math.exp(m - q * se), high: Math.exp(m + q * se), p };
}
