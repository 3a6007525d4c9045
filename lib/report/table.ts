/**
 * The benchmark table every format shows: one row per benchmark, columns for
 * ns/op (median and its 95% CI), operations per sample, and each
 * per-operation metric present in the document. Cells are plain strings;
 * each format decides how to draw them.
 */

import { formatNumber } from '../number-format.js';
import type { BenchmarkResult, ResultsDocument } from '../results/schema.js';
import { MIN_SAMPLES_FOR_MEDIAN_CI, median } from '../stats.js';
import { benchmarkSpread } from './analyze.js';
import { displayName, medianMetrics, metricUnits, nsPerOpStats } from './figures.js';
import { formatSpread, SPREAD_NOTE, spreadHeading } from './placement.js';

/** A table as plain strings: the header, each column's alignment, and the rows (each as long as the header). */
export interface Table {
  /** Column titles. */
  header: string[];
  /** 'l' for text columns, 'r' for numbers. */
  align: Array<'l' | 'r'>;
  /** Cells, row by row. */
  rows: string[][];
}

/** The table of `benchmarks` (default: all of the document's), with the metric columns the document has. */
export function benchmarkTable(doc: ResultsDocument, benchmarks: readonly BenchmarkResult[] = doc.benchmarks): Table {
  // A metric that is zero or absent in every row (no steals in a single-thread scenario) only adds noise.
  const medians = benchmarks.map(medianMetrics);
  const units = metricUnits({ ...doc, benchmarks: [...benchmarks] }).filter((u) =>
    medians.some((m) => (m.get(u) ?? 0) !== 0),
  );
  const header = ['benchmark', 'n', 'ns/op', '95% CI', spreadHeading(doc), 'ops/sample', ...units];
  const rows = benchmarks.map((b, i) => {
    const st = nsPerOpStats(b);
    const metrics = medians[i] ?? new Map<string, number>();
    const ci =
      st.n === 0
        ? '—'
        : `${formatNumber(st.ciLow)}–${formatNumber(st.ciHigh)}${st.n < MIN_SAMPLES_FOR_MEDIAN_CI ? ' (range)' : ''}`;
    return [
      displayName(b) + (b.interrupted ? ' (interrupted)' : ''),
      String(st.n),
      formatNumber(st.median),
      ci,
      formatSpread(benchmarkSpread(doc, b)),
      b.samples.length > 0 ? formatNumber(median(b.samples.map((s) => s.ops))) : '—',
      ...units.map((u) => {
        const v = metrics.get(u);
        return v === undefined ? '—' : formatNumber(v);
      }),
    ];
  });
  return { header, align: header.map((_, i) => (i === 0 ? 'l' : 'r')), rows };
}

/** Footnote for the CI and spread columns. */
export const CI_NOTE =
  '95% CI: distribution-free interval of the median from order statistics; "(range)" marks n < 6, where the interval is the full range of the samples. ' +
  SPREAD_NOTE;
