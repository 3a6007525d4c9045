/**
 * Placement sensitivity: how much of a benchmark's ns/op moves from sample
 * to sample. A tiny loop's time depends on where its code, stack and data
 * fall (Mytkowicz et al. 2009); when the harness draws a fresh placement per
 * sample (`config.placement.randomized`), the spread across samples is the
 * placement spread, and an effect smaller than it is not credited to a cause.
 * Without randomization it is the spread within one placement, and says so.
 */

import type { BenchmarkResult, ResultsDocument, RunPlacement, Spread } from '../results/schema.js';
import { median } from '../stats.js';

/** Scale of the median absolute deviation to a standard deviation under normality. */
export const MAD_TO_SD = 1.4826;
/** Below this many samples the spread is not stated (a MAD of 2 values says little). */
export const MIN_SAMPLES_FOR_SPREAD = 3;

/** The run's placement record, when the harness wrote one (`config.placement`); undefined otherwise. */
export function placementOf(doc: ResultsDocument): RunPlacement | undefined {
  const p: unknown = doc.config.placement;
  if (typeof p !== 'object' || p === null) return undefined;
  const { randomized, seed } = p as Partial<Record<keyof RunPlacement, unknown>>;
  if (typeof randomized !== 'boolean' || typeof seed !== 'number') return undefined;
  return { randomized, seed };
}

/** True when the document says every sample ran under a fresh random placement. */
export function isPlacementRandomized(doc: ResultsDocument): boolean {
  return placementOf(doc)?.randomized === true;
}

/** 1.4826 × MAD of ln(values): a standard deviation of the log that one outlier does not move. */
export function robustLogSd(values: readonly number[]): number {
  const logs = values.filter((v) => v > 0).map(Math.log);
  if (logs.length === 0) return Number.NaN;
  const m = median(logs);
  return MAD_TO_SD * median(logs.map((x) => Math.abs(x - m)));
}

/**
 * The spread of one benchmark's ns/op across its samples, as ±%: 1.4826 ×
 * MAD of ln(ns/op), turned into a percentage (exp(s) − 1). Undefined with
 * fewer than {@link MIN_SAMPLES_FOR_SPREAD} samples.
 *
 * @example
 * ```ts
 * import { placementSpread, readResultsFile } from 'poolscope';
 *
 * const doc = await readResultsFile('bench-out/results.json');
 * for (const b of doc.benchmarks) console.log(b.name, placementSpread(b, true)?.pct.toFixed(1));
 * ```
 */
export function placementSpread(benchmark: BenchmarkResult, randomized: boolean): Spread | undefined {
  if (benchmark.samples.length < MIN_SAMPLES_FOR_SPREAD) return undefined;
  const logSd = robustLogSd(benchmark.samples.map((s) => s.nsPerOp));
  if (!Number.isFinite(logSd)) return undefined;
  return { pct: (Math.exp(logSd) - 1) * 100, logSd, placement: randomized };
}

/** `±4.2%`: how every report writes a spread (the column title says whether it is placement's). */
export function formatSpread(spread: Spread | undefined): string {
  if (spread === undefined) return '—';
  return `±${spread.pct >= 10 ? spread.pct.toFixed(0) : spread.pct.toFixed(1)}%`;
}

/** The column title of the spread: placement when the samples were randomized. */
export function spreadHeading(doc: ResultsDocument): string {
  return isPlacementRandomized(doc) ? 'placement' : 'spread';
}

/** Footnote for the spread column. */
export const SPREAD_NOTE =
  'placement/spread: 1.4826 × MAD of ln(ns/op) across samples, as ±%. With placement-randomized samples it is the placement spread ' +
  '(how much code, stack and data placement alone move ns/op); otherwise the spread within one placement, which understates it.';
