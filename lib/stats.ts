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
const Z_975 = 1.959963984540054;

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
