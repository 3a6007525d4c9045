/**
 * Findings: each effect a scenario exists to show, stated from the document's
 * own samples as numbers (a `Finding` of lib/results/schema.ts) — or "not
 * significant" where the samples do not support it (Mann–Whitney p ≥ 0.05, or
 * the 95% interval of the ratio contains 1). A finding whose benchmarks are
 * absent is skipped; nothing here is claimed without data, and nothing is
 * credited to a mechanism that did not run:
 *
 * - a publish-instruction comparison only where shared pushes per op > 0 on
 *   both sides (from each sample's get sources): else `not-exercised`;
 * - a layout comparison at one thread is `placement` (no line is shared);
 * - false sharing only where ≥ 2 workers overlapped in time (task-clock
 *   summed over workers exceeds the wall time): else the layout effect is
 *   stated without a cause;
 * - an effect smaller than the benchmarks' placement spread says so
 *   (`withinSpread`) instead of claiming a cause.
 *
 * The sentences are made in lib/report/finding-text.ts.
 */

import { samplesPerProcess } from '../results/merge.js';
import type {
  BenchmarkResult,
  BusyBenchmark,
  ContrastFields,
  Finding,
  FindingContext,
  FindingDimension,
  FindingSide,
  ResultsDocument,
} from '../results/schema.js';
import { mannWhitneyU, median, pairedRatioTest, shiftCI } from '../stats.js';
import { displayName, nsPerOpStats } from './figures.js';
import { isPlacementRandomized, placementSpread } from './placement.js';

/** Significance level of every finding. */
export const ALPHA = 0.05;
/** With fewer samples on a side, the smallest two-sided Mann–Whitney p (3 vs 3: 0.1) cannot reach 0.05. */
export const MIN_SAMPLES_FOR_TEST = 4;

/** How `other` compares with `base` on some per-sample figure. */
export interface Contrast {
  /** median(other) ÷ median(base). */
  ratio: number;
  /** 95% Hodges–Lehmann interval of other ÷ base. */
  low: number;
  high: number;
  p: number;
  significant: boolean;
}

/** Contrast of two sample sets of positive values (ns/op): ratio, its CI, and the test. */
export function contrast(base: readonly number[], other: readonly number[]): Contrast {
  const ci = shiftCI(base, other, 'ratio');
  const { p } = mannWhitneyU(base, other);
  const ratio = median(other) / median(base);
  const excludesOne = ci.low > 1 || ci.high < 1;
  return { ratio, low: ci.low, high: ci.high, p, significant: p < ALPHA && excludesOne };
}

function nsSamples(b: BenchmarkResult): number[] {
  return b.samples.map((s) => s.nsPerOp);
}

/** Processes a paired test needs: with fewer, the samples are compared as one group each. */
export const MIN_PROCESSES_FOR_PAIRED_TEST = 3;

/**
 * Contrast of two benchmarks of one document. When the run was split across
 * processes (`bench --processes`) and both took samples in the same ≥ 3
 * processes, the test pairs their per-process medians (a paired t test on the
 * log ratios): the process is the unit that varies, so an effect must hold
 * from process to process. Otherwise the samples are compared ({@link contrast}).
 */
export function benchmarkContrast(base: BenchmarkResult, other: BenchmarkResult): Contrast & { processes?: number } {
  const a = perProcessMedians(base);
  const b = perProcessMedians(other);
  const shared = [...a.keys()].filter((p) => b.has(p));
  if (shared.length < MIN_PROCESSES_FOR_PAIRED_TEST || a.size !== shared.length || b.size !== shared.length) {
    return contrast(nsSamples(base), nsSamples(other));
  }
  const t = pairedRatioTest(
    shared.map((p) => a.get(p) as number),
    shared.map((p) => b.get(p) as number),
  );
  const excludesOne = t.low > 1 || t.high < 1;
  return { ...t, significant: t.p < ALPHA && excludesOne, processes: shared.length };
}

/** process → median ns/op of the benchmark's samples in it. */
function perProcessMedians(b: BenchmarkResult): Map<number, number> {
  return new Map([...samplesPerProcess(b)].map(([p, v]) => [p, median(v)]));
}

/** What every comparison of one document shares: the spreads, the busy benchmarks, randomization. */
interface Setting {
  randomized: boolean;
  busy: ReadonlySet<BenchmarkResult>;
}

function side(b: BenchmarkResult, label: unknown): FindingSide {
  return { benchmark: displayName(b), label: String(label), nsPerOp: nsPerOpStats(b).median, n: b.samples.length };
}

function contextOf(b: BenchmarkResult, shared: readonly ('layout' | 'publish' | 'clearEvery')[]): FindingContext {
  const ctx: FindingContext = { threads: b.params.threads, objectSize: b.params.objectSize };
  if (typeof b.params.batch === 'number' && b.params.batch > 1) ctx.batch = b.params.batch;
  for (const k of shared) {
    const v = b.params[k];
    if (k === 'clearEvery' && typeof v === 'number') ctx.clearEvery = v;
    else if (k !== 'clearEvery' && typeof v === 'string') ctx[k] = v;
  }
  return ctx;
}

/** The larger robust log-SD of the two sides (null when neither has enough samples). */
function spreadOf(s: Setting, a: BenchmarkResult, b: BenchmarkResult): { pct: number | null; logSd: number } {
  const spreads = [placementSpread(a, s.randomized), placementSpread(b, s.randomized)].filter((x) => x !== undefined);
  if (spreads.length === 0) return { pct: null, logSd: 0 };
  const widest = spreads.reduce((x, y) => (y.logSd > x.logSd ? y : x));
  return { pct: widest.pct, logSd: widest.logSd };
}

/** The numbers of a ns/op contrast, the same for every kind of finding built on one. */
function ratioFields(
  s: Setting,
  scenario: string,
  dimension: FindingDimension,
  base: BenchmarkResult,
  other: BenchmarkResult,
  labels: [unknown, unknown],
  context: FindingContext,
): { fields: ContrastFields; c: Contrast; logSd: number } {
  const c = benchmarkContrast(base, other);
  const spread = spreadOf(s, base, other);
  return {
    c,
    logSd: spread.logSd,
    fields: {
      scenario,
      dimension,
      base: side(base, labels[0]),
      other: side(other, labels[1]),
      context,
      scale: 'ratio',
      estimate: c.ratio,
      ciLow: c.low,
      ciHigh: c.high,
      p: c.p,
      spreadPct: spread.pct,
      placementRandomized: s.randomized,
      busy: s.busy.has(base) || s.busy.has(other),
      ...(c.processes !== undefined ? { processes: c.processes } : {}),
    },
  };
}

/** An `effect` or a `not-significant` finding from a ns/op contrast. */
function effectOrNot(made: { fields: ContrastFields; c: Contrast; logSd: number }, cause?: 'false-sharing'): Finding {
  const { fields, c, logSd } = made;
  if (!c.significant) {
    return {
      kind: 'not-significant',
      ...fields,
      tooFewSamples: Math.min(fields.base.n, fields.other.n) < MIN_SAMPLES_FOR_TEST,
    };
  }
  const withinSpread = Math.abs(Math.log(c.ratio)) < logSd;
  return { kind: 'effect', ...fields, withinSpread, ...(cause && !withinSpread ? { cause } : {}) };
}

/** Params identity with the given keys left out, to pair benchmarks that differ only in those keys. */
function keyWithout(b: BenchmarkResult, omit: readonly string[]): string {
  const entries = Object.entries(b.params)
    .filter(([k, v]) => !omit.includes(k) && v !== undefined)
    .sort(([a], [b2]) => (a < b2 ? -1 : a > b2 ? 1 : 0));
  return JSON.stringify(entries);
}

/** Pairs (base, other) in one scenario that differ only in `key`, base having `key` = `baseValue`. */
function pairsOn(
  benchmarks: readonly BenchmarkResult[],
  key: string,
  baseValue: unknown,
): Array<[BenchmarkResult, BenchmarkResult]> {
  const bases = new Map<string, BenchmarkResult>();
  for (const b of benchmarks) {
    if (b.params[key] !== baseValue || b.samples.length === 0) continue;
    bases.set(keyWithout(b, [key]), b);
  }
  const out: Array<[BenchmarkResult, BenchmarkResult]> = [];
  for (const b of benchmarks) {
    if (b.params[key] === baseValue || b.params[key] === undefined || b.samples.length === 0) continue;
    const base = bases.get(keyWithout(b, [key]));
    if (base) out.push([base, b]);
  }
  return out;
}

/**
 * How many workers ran at once, on average: task-clock summed over workers ÷
 * wall time, median over samples. Above 1, at least two workers overlapped in
 * time (their CPU time cannot fit in the wall time otherwise); null without
 * task-clock.
 */
export function workersOverlapping(b: BenchmarkResult): number | null {
  const values: number[] = [];
  for (const s of b.samples) {
    const tc = s.counters['task-clock'];
    if (tc?.scaled != null && s.elapsedNs > 0) values.push(tc.scaled / s.elapsedNs);
  }
  return values.length > 0 ? median(values) : null;
}

/**
 * Gets served from a shared deque (own or stolen) per op, median over
 * samples: every such object was pushed to a shared deque, so above 0 the
 * publish instruction ran. Null where the samples record no sources.
 */
export function sharedPushesPerOp(b: BenchmarkResult): number | null {
  const values: number[] = [];
  for (const s of b.samples) if (s.sources && s.ops > 0) values.push((s.sources.shared + s.sources.steal) / s.ops);
  return values.length > 0 ? median(values) : null;
}

function layoutFindings(s: Setting, scenario: string, benchmarks: readonly BenchmarkResult[]): Finding[] {
  const hasPad64 = benchmarks.some((b) => b.params.layout === 'pad64');
  const baseLayout = hasPad64 ? 'pad64' : 'pad128';
  return pairsOn(benchmarks, 'layout', baseLayout).map(([b, o]): Finding => {
    const made = ratioFields(
      s,
      scenario,
      'layout',
      b,
      o,
      [b.params.layout, o.params.layout],
      contextOf(o, ['publish']),
    );
    // At one thread no cache line is shared, so a layout difference there is code or data placement.
    if (o.params.threads <= 1) return { kind: 'placement', ...made.fields, significant: made.c.significant };
    // Two workers' CPU time exceeding the wall time proves they overlapped (the pigeonhole): only
    // then can a line have bounced between them. Otherwise the difference is stated without a cause.
    const a = workersOverlapping(b);
    const c = workersOverlapping(o);
    const overlap = a === null || c === null ? null : Math.min(a, c);
    const falseSharing = overlap !== null && overlap > 1 && o.params.layout === 'packed' && made.c.ratio > 1;
    const f = effectOrNot(made, falseSharing ? 'false-sharing' : undefined);
    return f.kind === 'effect' ? { ...f, overlap } : f;
  });
}

function publishFindings(s: Setting, scenario: string, benchmarks: readonly BenchmarkResult[]): Finding[] {
  return pairsOn(benchmarks, 'publish', 'xadd').map(([b, o]): Finding => {
    const context = contextOf(o, ['layout']);
    const pushesBase = sharedPushesPerOp(b);
    const pushesOther = sharedPushesPerOp(o);
    // No shared push on a side: no publish instruction executed there, so nothing to credit it with.
    if (!(pushesBase !== null && pushesBase > 0 && pushesOther !== null && pushesOther > 0)) {
      return {
        kind: 'not-exercised',
        scenario,
        dimension: 'publish',
        base: side(b, b.params.publish),
        other: side(o, o.params.publish),
        context,
        reason: 'no-shared-pushes',
        baseValue: pushesBase,
        otherValue: pushesOther,
      };
    }
    return effectOrNot(ratioFields(s, scenario, 'publish', b, o, [b.params.publish, o.params.publish], context));
  });
}

/**
 * The access pattern a benchmark measures, whatever the pool: `alloc` runs
 * the get-put and batch patterns on an allocator (batch=1 is get+put), so a
 * baseline in `alloc` is paired with the sync pool in `get-put` or `batch`.
 */
function patternOf(b: BenchmarkResult): { key: string; label: string } {
  const p = b.params;
  const k = typeof p.batch === 'number' ? p.batch : undefined;
  if ((p.scenario === 'alloc' && (k === undefined || k === 1)) || p.scenario === 'get-put') {
    return { key: 'get-put', label: 'get+put' };
  }
  if (p.scenario === 'alloc' || p.scenario === 'batch') return { key: `batch/${k}`, label: `batch of ${k}` };
  if (p.scenario === 'gc-churn') {
    return { key: `gc-churn/${p.clearEvery}/${p.victim}/${k}`, label: `clear() every ${p.clearEvery}` };
  }
  return { key: p.scenario, label: p.scenario };
}

function poolKey(b: BenchmarkResult): string {
  return `${patternOf(b).key}|${b.params.threads}|${b.params.objectSize}`;
}

/** The sync pool against every other pool measuring the same pattern, threads and object size (any scenario). */
function poolFindings(
  s: Setting,
  scenario: string,
  benchmarks: readonly BenchmarkResult[],
  all: readonly BenchmarkResult[],
): Finding[] {
  const bases = new Map<string, BenchmarkResult>();
  for (const b of all) {
    if (b.params.pool !== 'sync' || b.samples.length === 0) continue;
    const k = poolKey(b);
    // Several sync variants can match: prefer Go's design (pad128, lock xadd).
    if (!bases.has(k) || (b.params.layout === 'pad128' && b.params.publish === 'xadd')) bases.set(k, b);
  }
  const out: Finding[] = [];
  for (const o of benchmarks) {
    if (o.params.pool === 'sync' || o.samples.length === 0) continue;
    const b = bases.get(poolKey(o));
    if (!b) continue;
    const context: FindingContext = {
      threads: o.params.threads,
      objectSize: o.params.objectSize,
      pattern: patternOf(o).label,
    };
    out.push(effectOrNot(ratioFields(s, scenario, 'pool', b, o, ['sync', o.params.pool], context)));
  }
  return out;
}

/** Share of the gets that missed the primary caches (private, shared, steals) which the victim cache served. */
function victimRescue(b: BenchmarkResult): number[] {
  const out: number[] = [];
  for (const smp of b.samples) {
    if (!smp.sources) continue;
    const missed = smp.sources.victim + smp.sources.new;
    if (missed > 0) out.push(smp.sources.victim / missed);
  }
  return out;
}

function victimFindings(s: Setting, scenario: string, benchmarks: readonly BenchmarkResult[]): Finding[] {
  const out: Finding[] = [];
  for (const [b, o] of pairsOn(benchmarks, 'victim', false)) {
    if (o.params.victim !== true) continue;
    const off = victimRescue(b);
    const on = victimRescue(o);
    if (off.length === 0 || on.length === 0) continue;
    const { p } = mannWhitneyU(off, on);
    const ci = shiftCI(off, on, 'difference');
    const significant = p < ALPHA && (ci.low > 0 || ci.high < 0);
    const fields: ContrastFields = {
      scenario,
      dimension: 'victim',
      base: side(b, false),
      other: side(o, true),
      context: contextOf(o, ['clearEvery']),
      scale: 'difference',
      estimate: median(on) - median(off),
      ciLow: ci.low,
      ciHigh: ci.high,
      p,
      spreadPct: null,
      placementRandomized: s.randomized,
      busy: s.busy.has(b) || s.busy.has(o),
      hitRates: { base: median(off), other: median(on) },
    };
    out.push(
      significant
        ? { kind: 'effect', ...fields, withinSpread: false }
        : { kind: 'not-significant', ...fields, tooFewSamples: Math.min(off.length, on.length) < MIN_SAMPLES_FOR_TEST },
    );
  }
  return out;
}

function handoffFindings(scenario: string, benchmarks: readonly BenchmarkResult[]): Finding[] {
  const out: Finding[] = [];
  for (const b of benchmarks) {
    if (b.samples.length === 0) continue;
    const perSample = b.samples.filter((x) => x.sources && x.ops > 0).map((x) => (x.sources?.steal ?? 0) / x.ops);
    // Results imported from `go test` carry their custom metrics per sample (`steals/op`).
    const imported = b.samples.flatMap((x) => (x.metrics?.['steals/op'] === undefined ? [] : [x.metrics['steals/op']]));
    const steals = perSample.length > 0 ? median(perSample) : imported.length > 0 ? median(imported) : null;
    const st = nsPerOpStats(b);
    const variant = [b.params.pool, b.params.layout, b.params.publish].filter((x) => x !== undefined).join(' ');
    out.push({
      kind: 'figure',
      scenario,
      figure: 'handoff',
      benchmark: displayName(b),
      label: variant,
      context: contextOf(b, []),
      nsPerOp: st.median,
      ciLow: st.ciLow,
      ciHigh: st.ciHigh,
      n: st.n,
      stealsPerOp: steals,
    });
  }
  return out;
}

/** Below this share of the wall time on a CPU, a benchmark's workers were waiting for one. */
export const MIN_ON_CPU = 0.8;

/**
 * Per sample, the share of the wall time the workers were on a CPU:
 * task-clock summed over workers ÷ (elapsed × threads). Near 1 when the
 * workers ran undisturbed; well below when the machine was busy (or the
 * workers block), which inflates ns/op.
 */
function onCpuShares(b: BenchmarkResult): number[] {
  const out: number[] = [];
  for (const s of b.samples) {
    const tc = s.counters['task-clock'];
    if (tc?.scaled != null && s.elapsedNs > 0) out.push(tc.scaled / (s.elapsedNs * b.params.threads));
  }
  return out;
}

/** Scenario name of the findings about the measurement itself rather than one scenario. */
export const MEASUREMENT = 'measurement';

/** Benchmarks whose workers were on a CPU for under {@link MIN_ON_CPU} of the wall time, and one finding about them. */
function busyFindings(benchmarks: readonly BenchmarkResult[]): { busy: Set<BenchmarkResult>; findings: Finding[] } {
  const flagged: Array<BusyBenchmark & { b: BenchmarkResult }> = [];
  let measured = 0;
  for (const b of benchmarks) {
    const shares = onCpuShares(b);
    if (shares.length === 0) continue;
    measured++;
    const share = median(shares);
    if (share >= MIN_ON_CPU) continue;
    const perOp = b.samples
      .filter((s) => s.counters['task-clock']?.scaled != null && s.ops > 0)
      .map((s) => (s.counters['task-clock']?.scaled ?? 0) / s.ops);
    flagged.push({
      b,
      benchmark: displayName(b),
      onCpu: share,
      cpuNsPerOp: median(perOp),
      nsPerOp: nsPerOpStats(b).median,
    });
  }
  const busy = new Set(flagged.map((f) => f.b));
  if (flagged.length === 0) return { busy, findings: [] };
  flagged.sort((x, y) => x.onCpu - y.onCpu);
  return {
    busy,
    findings: [
      {
        kind: 'measurement',
        scenario: 'measurement',
        issue: 'busy',
        benchmarks: flagged.map(({ b: _b, ...rest }) => rest),
        measured,
        threshold: MIN_ON_CPU,
      },
    ],
  };
}

/**
 * Every finding the document's data supports (or refutes), scenario by
 * scenario: layouts against pad64, publish instructions against lock xadd,
 * the victim cache on against off, the sync pool against each baseline, and
 * producer-consumer handoffs. Warnings about the measurement come first.
 * Reports read the findings stored in the document (lib/report/analyze.ts);
 * this computes them.
 *
 * @example
 * ```ts
 * import { computeFindings, findingText, readResultsFile } from 'poolscope';
 *
 * for (const f of computeFindings(await readResultsFile('results.json'))) console.log(f.kind, findingText(f));
 * ```
 */
export function computeFindings(doc: ResultsDocument): Finding[] {
  const groups = new Map<string, BenchmarkResult[]>();
  for (const b of doc.benchmarks) {
    const list = groups.get(b.params.scenario) ?? [];
    list.push(b);
    groups.set(b.params.scenario, list);
  }
  const { busy, findings: warnings } = busyFindings(doc.benchmarks);
  const setting: Setting = { randomized: isPlacementRandomized(doc), busy };
  const found: Finding[] = [];
  for (const [scenario, list] of groups) {
    found.push(...layoutFindings(setting, scenario, list));
    found.push(...publishFindings(setting, scenario, list));
    found.push(...victimFindings(setting, scenario, list));
    found.push(...poolFindings(setting, scenario, list, doc.benchmarks));
    if (scenario === 'producer-consumer') found.push(...handoffFindings(scenario, list));
  }
  const effects = found.filter((f) => f.kind === 'effect' && f.scale === 'ratio').length;
  if (!setting.randomized && effects > 0) {
    warnings.push({ kind: 'measurement', scenario: 'measurement', issue: 'not-randomized', effects });
  }
  // Warnings about the measurement itself come first: they qualify the other findings.
  return [...warnings, ...found];
}
