/**
 * compare with several runs per side (issue 10.3 and 10.6), on synthetic
 * documents whose run-level variance is known: each run draws an offset (its
 * placement), and its samples scatter little around it — the situation in
 * which a test over pooled samples reports noise as change.
 */
import { describe, expect, it } from 'vitest';
import { compareRuns, regressions, renderCompareText } from '../lib/report/compare.js';
import { mergeProcessDocuments } from '../lib/results/merge.js';
import { validateResults } from '../lib/results/parse.js';
import type { BenchmarkResult, ResultsDocument } from '../lib/results/schema.js';
import { mannWhitneyU, seededRandom } from '../lib/stats.js';
import { makeBenchmark, makeDocument } from './fixtures/results.js';

/** A standard normal draw (Box–Muller). */
function normal(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** One run: per benchmark, a run offset of ±`runSd` (log scale) and `n` samples within ±`sampleSd`. */
function run(rnd: () => number, centers: readonly number[], runSd: number, sampleSd = 0.01, n = 8): ResultsDocument {
  const benchmarks: BenchmarkResult[] = centers.map((center, i) => {
    const offset = Math.exp(runSd * normal(rnd));
    const ns = Array.from({ length: n }, () => center * offset * Math.exp(sampleSd * normal(rnd)));
    return makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad64', publish: 'xadd', batch: i }, ns, {}, [
      'pool',
      'batch',
    ]);
  });
  return makeDocument(benchmarks);
}

const runs = (seed: number, k: number, centers: readonly number[], runSd: number) => {
  const rnd = seededRandom(seed);
  return Array.from({ length: k }, () => run(rnd, centers, runSd));
};

describe('compare over runs: the run is a random effect', () => {
  it('run-level offsets with no real change: not significant (a pooled-sample U test would say otherwise)', () => {
    const centers = Array.from({ length: 20 }, (_, i) => 1 + i / 10);
    const a = runs(11, 3, centers, 0.15);
    const b = runs(12, 3, centers, 0.15);
    const cmp = compareRuns(a, b, { seed: 5 });
    expect(cmp.changes).toHaveLength(20);
    expect(cmp.changes.filter((c) => c.significant)).toEqual([]);
    // The same data as one pooled run per side: the U test calls most rows changed.
    const pooled = cmp.changes.filter((_, i) => {
      const x = a.flatMap((d) => d.benchmarks[i]?.samples.map((s) => s.nsPerOp) ?? []);
      const y = b.flatMap((d) => d.benchmarks[i]?.samples.map((s) => s.nsPerOp) ?? []);
      return mannWhitneyU(x, y).p < 0.05;
    });
    expect(pooled.length).toBeGreaterThan(10);
  });

  it('a real 2× shift is significant, with an MDC well below it', () => {
    const centers = [1, 5, 20];
    const a = runs(21, 3, centers, 0.1);
    const b = runs(
      22,
      3,
      centers.map((c) => 2 * c),
      0.1,
    );
    const cmp = compareRuns(a, b, { seed: 5 });
    for (const c of cmp.changes) {
      expect(c.significant).toBe(true);
      expect(c.changePct).toBeGreaterThan(60);
      expect(c.changePct).toBeLessThan(150);
      expect(c.mdcPct).toBeLessThan(60);
      expect(c.floored).toBe(false);
    }
    expect(regressions(cmp, 50)).toHaveLength(3);
  });

  it('Benjamini–Hochberg over 100 null rows: at most a few flagged', () => {
    const centers = Array.from({ length: 100 }, (_, i) => 0.5 + i / 20);
    const cmp = compareRuns(runs(31, 4, centers, 0.08), runs(32, 4, centers, 0.08), { seed: 9 });
    expect(cmp.changes).toHaveLength(100);
    expect(cmp.changes.filter((c) => c.significant).length).toBeLessThanOrEqual(3);
    // q ≥ p on every row, and the rows are ordered alike by both.
    for (const c of cmp.changes) expect(c.q).toBeGreaterThanOrEqual(c.p);
  });

  it('the same seed gives the same numbers; another seed nearly the same', () => {
    const centers = [1, 2, 3];
    const a = runs(41, 2, centers, 0.05);
    const b = runs(42, 2, centers, 0.05);
    const one = compareRuns(a, b, { seed: 3 });
    expect(compareRuns(a, b, { seed: 3 })).toEqual(one);
    const other = compareRuns(a, b, { seed: 4 });
    for (const [i, c] of one.changes.entries()) {
      expect(other.changes[i]?.changePct).toBe(c.changePct);
      expect(Math.abs((other.changes[i]?.mdcPct ?? 0) - c.mdcPct)).toBeLessThan(0.25 * c.mdcPct);
    }
  });

  it('one run per side: the floor widens the interval and the output says the run variance is unknown', () => {
    const centers = [1, 2];
    const [a] = runs(51, 1, centers, 0);
    const [b] = runs(52, 1, centers, 0);
    const cmp = compareRuns([a as ResultsDocument], [b as ResultsDocument]);
    expect(cmp.changes.every((c) => c.floored)).toBe(true);
    expect(renderCompareText(cmp)).toContain('one run per side: the run-to-run variance is unknown');
    expect(renderCompareText(cmp)).toContain('not every run was placement-randomized');
  });

  it('one document split across processes (bench --processes) counts each process as a run', () => {
    const centers = Array.from({ length: 20 }, (_, i) => 1 + i / 10);
    // Three single-process runs per side, merged the way `bench --processes 3` merges its processes.
    const a = mergeProcessDocuments(runs(61, 3, centers, 0.15));
    const b = mergeProcessDocuments(runs(62, 3, centers, 0.15));
    expect(a.config.processes).toBe(3);
    expect(a.benchmarks[0]?.samples.map((s) => s.process)).toEqual([
      ...Array(8).fill(0),
      ...Array(8).fill(1),
      ...Array(8).fill(2),
    ]);
    const cmp = compareRuns([validateResults(a)], [validateResults(b)], { seed: 5 });
    expect(cmp.changes.every((c) => c.oldRuns === 3 && c.newRuns === 3 && !c.floored)).toBe(true);
    expect(cmp.changes.filter((c) => c.significant)).toEqual([]);
    // And a real 2× shift between two split documents is still found.
    const c2 = mergeProcessDocuments(
      runs(
        63,
        3,
        centers.map((c) => 2 * c),
        0.15,
      ),
    );
    const shifted = compareRuns([a], [c2], { seed: 5 });
    expect(shifted.changes.every((c) => c.significant && c.changePct > 50)).toBe(true);
  });

  it('a sample whose process is outside config.processes is refused, naming the field', () => {
    const a = mergeProcessDocuments(runs(71, 2, [1], 0.1));
    const bad = structuredClone(a);
    (bad.benchmarks[0]?.samples[0] as { process: number }).process = 2;
    expect(() => validateResults(bad, 'a.json')).toThrow(
      /benchmarks\[0\]\.samples\[0\]\.process.*an integer from 0 to 1/,
    );
    delete bad.config.processes;
    expect(() => validateResults(bad, 'a.json')).toThrow(/process.*an integer from 0 to 0/);
  });

  it('rejects what is not a list of documents with a typed error', () => {
    expect(() => compareRuns([], [makeDocument([])])).toThrow(/old must be a non-empty array of results documents/);
    expect(() => compareRuns([{} as ResultsDocument], [makeDocument([])])).toThrow(/not a poolscope results document/);
    expect(() => compareRuns([makeDocument([])], [makeDocument([])], { resamples: 5 })).toThrow(
      /options.resamples must be an integer from 100 to 100000/,
    );
  });
});
