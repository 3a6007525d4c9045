/**
 * Findings: each effect a scenario exists to show, stated from the document's
 * own samples with the numbers behind it — or "not significant" where the
 * samples do not support it (Mann–Whitney p ≥ 0.05, or the 95% interval of
 * the ratio contains 1). A finding whose benchmarks are absent is skipped;
 * nothing here is claimed without data.
 */

import type { BenchmarkResult, Finding, ResultsDocument } from '../results/schema.js';
import { MIN_SAMPLES_FOR_MEDIAN_CI, mannWhitneyU, median, shiftCI } from '../stats.js';
import { displayName, formatNumber, formatRatio, nsPerOpStats } from './figures.js';

/** A finding and the benchmarks it rests on (to qualify it when they were measured on a busy machine). */
type Found = Finding & { involved: readonly BenchmarkResult[] };

/** Significance level of every finding. */
export const ALPHA = 0.05;

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

function formatP(p: number): string {
  return p < 0.0001 ? 'p<0.0001' : `p=${p.toPrecision(2)}`;
}

/** `(p=0.0002, 95% CI 36–40×)`, for the ratio the sentence states (`inverted` when it says "faster"). */
function evidence(c: Contrast, inverted: boolean): string {
  const lo = inverted ? 1 / c.high : c.low;
  const hi = inverted ? 1 / c.low : c.high;
  return `${formatP(c.p)}, 95% CI ${formatRatio(lo)}–${formatRatio(hi)}`;
}

function notSignificant(c: Contrast, n: number): string {
  const few = n < 4 ? `; ${n} samples are too few for the test to reach p<0.05` : '';
  return `not significant (${formatP(c.p)}, 95% CI of the ratio ${formatRatio(c.low)}–${formatRatio(c.high)}${few})`;
}

/** Params identity with the given keys left out, to pair benchmarks that differ only in those keys. */
function keyWithout(b: BenchmarkResult, omit: readonly string[]): string {
  const entries = Object.entries(b.params)
    .filter(([k, v]) => !omit.includes(k) && v !== undefined)
    .sort(([a], [b2]) => (a < b2 ? -1 : a > b2 ? 1 : 0));
  return JSON.stringify(entries);
}

/** Pairs (base, other) in one scenario that differ only in `key` (and `alsoOmit`), base having `key` = `baseValue`. */
function pairsOn(
  benchmarks: readonly BenchmarkResult[],
  key: string,
  baseValue: unknown,
  alsoOmit: readonly string[] = [],
): Array<[BenchmarkResult, BenchmarkResult]> {
  const omit = [key, ...alsoOmit];
  const bases = new Map<string, BenchmarkResult>();
  for (const b of benchmarks) {
    if (b.params[key] !== baseValue || b.samples.length === 0) continue;
    const k = keyWithout(b, omit);
    const prev = bases.get(k);
    // Several bases can match when alsoOmit drops keys (e.g. the sync pool in each layout): prefer Go's design.
    if (!prev || (b.params.layout === 'pad128' && b.params.publish === 'xadd')) bases.set(k, b);
  }
  const out: Array<[BenchmarkResult, BenchmarkResult]> = [];
  for (const b of benchmarks) {
    if (b.params[key] === baseValue || b.params[key] === undefined || b.samples.length === 0) continue;
    const base = bases.get(keyWithout(b, omit));
    if (base) out.push([base, b]);
  }
  return out;
}

/** `64 B`, `4 KiB`, `64 KiB`. */
function sizeLabel(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** `2 threads, 64 B` (+ `, batch of 32` where objects are held): what tells apart the findings of one scenario. */
function where(b: BenchmarkResult): string {
  const t = b.params.threads;
  const batch = typeof b.params.batch === 'number' && b.params.batch > 1 ? `, batch of ${b.params.batch}` : '';
  return `${t} thread${t === 1 ? '' : 's'}, ${sizeLabel(b.params.objectSize)}${batch}`;
}

function ns(b: BenchmarkResult): string {
  return formatNumber(nsPerOpStats(b).median);
}

/** "X× slower/faster than": the sentence for ratio r = other ÷ base, phrased with a ratio ≥ 1. */
function slowerOrFaster(c: Contrast): { phrase: string; inverted: boolean } {
  return c.ratio >= 1
    ? { phrase: `${formatRatio(c.ratio)} slower than`, inverted: false }
    : { phrase: `${formatRatio(1 / c.ratio)} faster than`, inverted: true };
}

function layoutFindings(scenario: string, benchmarks: readonly BenchmarkResult[]): Found[] {
  const hasPad64 = benchmarks.some((b) => b.params.layout === 'pad64');
  const base = hasPad64 ? 'pad64' : 'pad128';
  return pairsOn(benchmarks, 'layout', base).map(([b, o]) => {
    const c = contrast(nsSamples(b), nsSamples(o));
    const numbers = `${ns(o)} vs ${ns(b)} ns/op`;
    // Where publish varies too, each layout pair is per publish instruction: say which.
    const at = `${where(o)}${o.params.publish !== undefined ? `, ${o.params.publish} publish` : ''}`;
    if (!c.significant) {
      return {
        scenario,
        involved: [b, o],
        significant: false,
        text: `${o.params.layout} vs ${base} layout at ${at} in ${scenario}: ${numbers}, ${notSignificant(c, Math.min(o.samples.length, b.samples.length))}`,
      };
    }
    const { phrase, inverted } = slowerOrFaster(c);
    // At one thread no cache line is shared, so a layout difference there is code placement or
    // alignment, not sharing: say so rather than let the reader credit the layout.
    const cause =
      o.params.threads <= 1
        ? ' — one thread shares no line: code placement, not the layout'
        : o.params.layout === 'packed' && c.ratio > 1
          ? ' — false sharing'
          : '';
    return {
      scenario,
      involved: [b, o],
      significant: true,
      text: `${o.params.layout} layout: ${phrase} ${base} at ${at}${cause} (${scenario}, ${numbers}; ${evidence(c, inverted)})`,
    };
  });
}

const INSTRUCTION: Record<string, string> = {
  xadd: 'lock xadd',
  cas: 'a lock cmpxchg loop',
  mfence: 'mov+mfence',
  xchg: 'xchg',
};

function publishFindings(scenario: string, benchmarks: readonly BenchmarkResult[]): Found[] {
  return pairsOn(benchmarks, 'publish', 'xadd').map(([b, o]) => {
    const c = contrast(nsSamples(b), nsSamples(o));
    const name = String(o.params.publish);
    const layout = o.params.layout !== undefined ? `, ${o.params.layout} layout` : '';
    const numbers = `${ns(o)} vs ${ns(b)} ns/op at ${where(o)}${layout}`;
    if (!c.significant) {
      return {
        scenario,
        involved: [b, o],
        significant: false,
        text: `${name} publish vs lock xadd in ${scenario}: ${numbers}, ${notSignificant(c, Math.min(o.samples.length, b.samples.length))}`,
      };
    }
    const instr = INSTRUCTION[name] ?? name;
    const text =
      c.ratio >= 1
        ? `${name} publish (${instr}): ${formatRatio(c.ratio)} the cost of lock xadd in ${scenario} (${numbers}; ${evidence(c, false)})`
        : `${name} publish (${instr}): ${formatRatio(1 / c.ratio)} cheaper than lock xadd in ${scenario} (${numbers}; ${evidence(c, true)})`;
    return { scenario, significant: true, text, involved: [b, o] };
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
  scenario: string,
  benchmarks: readonly BenchmarkResult[],
  all: readonly BenchmarkResult[],
): Found[] {
  const bases = new Map<string, BenchmarkResult>();
  for (const b of all) {
    if (b.params.pool !== 'sync' || b.samples.length === 0) continue;
    const k = poolKey(b);
    // Several sync variants can match: prefer Go's design (pad128, lock xadd).
    if (!bases.has(k) || (b.params.layout === 'pad128' && b.params.publish === 'xadd')) bases.set(k, b);
  }
  const out: Found[] = [];
  for (const o of benchmarks) {
    if (o.params.pool === 'sync' || o.samples.length === 0) continue;
    const b = bases.get(poolKey(o));
    if (!b) continue;
    const c = contrast(nsSamples(b), nsSamples(o));
    const peer = String(o.params.pool);
    const what = `${patternOf(o).label}, ${where(o).replace(/, batch of \d+$/, '')}`;
    const numbers = `${ns(b)} vs ${ns(o)} ns/op`;
    if (!c.significant) {
      out.push({
        scenario,
        involved: [b, o],
        significant: false,
        text: `sync pool vs ${peer} (${what}): ${numbers}, ${notSignificant(c, Math.min(o.samples.length, b.samples.length))}`,
      });
      continue;
    }
    // c.ratio = peer ÷ pool: above 1 the pool is faster.
    const text =
      c.ratio >= 1
        ? `sync pool vs ${peer}: ${formatRatio(c.ratio)} faster (${what}; ${numbers}; ${evidence(c, false)})`
        : `sync pool vs ${peer}: ${formatRatio(1 / c.ratio)} slower (${what}; ${numbers}; ${evidence(c, true)})`;
    out.push({ scenario, significant: true, text, involved: [b, o] });
  }
  return out;
}

/** Share of the gets that missed the primary caches (private, shared, steals) which the victim cache served. */
function victimRescue(b: BenchmarkResult): number[] {
  const out: number[] = [];
  for (const s of b.samples) {
    if (!s.sources) continue;
    const missed = s.sources.victim + s.sources.new;
    if (missed > 0) out.push(s.sources.victim / missed);
  }
  return out;
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function victimFindings(scenario: string, benchmarks: readonly BenchmarkResult[]): Found[] {
  const out: Found[] = [];
  for (const [b, o] of pairsOn(benchmarks, 'victim', false)) {
    if (o.params.victim !== true) continue;
    const off = victimRescue(b);
    const on = victimRescue(o);
    if (off.length === 0 || on.length === 0) continue;
    const { p } = mannWhitneyU(off, on);
    const ci = shiftCI(off, on, 'difference');
    const significant = p < ALPHA && (ci.low > 0 || ci.high < 0);
    const every = ` (${where(o)}${o.params.clearEvery !== undefined ? `, clear() every ${String(o.params.clearEvery)} ops` : ''})`;
    const cost = `${ns(o)} ns/op with the victim cache vs ${ns(b)} without`;
    const numbers = `${percent(median(on))} vs ${percent(median(off))} of the gets that missed the primary cache after clear()${every}`;
    out.push({
      scenario,
      involved: [b, o],
      significant,
      text: significant
        ? `victim cache: hit rate ${numbers}; ${cost} (${formatP(p)}, 95% CI of the difference ${percent(ci.low)}–${percent(ci.high)})`
        : `victim cache: hit rate ${numbers}; ${cost} — not significant (${formatP(p)})`,
    });
  }
  return out;
}

function handoffFindings(scenario: string, benchmarks: readonly BenchmarkResult[]): Found[] {
  const out: Found[] = [];
  for (const b of benchmarks) {
    if (b.samples.length === 0) continue;
    const perSample = b.samples.filter((s) => s.sources && s.ops > 0).map((s) => (s.sources?.steal ?? 0) / s.ops);
    // Results imported from `go test` carry their custom metrics as params (`steals/op`).
    const imported = b.params['steals/op'];
    const steals = perSample.length > 0 ? median(perSample) : typeof imported === 'number' ? imported : undefined;
    const st = nsPerOpStats(b);
    const stealText = steals !== undefined ? `${formatNumber(steals)} steals/op, ` : '';
    out.push({
      scenario,
      involved: [b],
      // The effect is objects crossing threads; with steals unknown the handoff time is still measured.
      significant: steals === undefined || steals > 0,
      text:
        `producer-consumer (${b.params.pool}${b.params.layout !== undefined ? ` ${b.params.layout}` : ''}` +
        `${b.params.publish !== undefined ? ` ${b.params.publish}` : ''}, ${where(b)}): ${stealText}${formatNumber(st.median)} ns per handoff ` +
        `(95% CI ${formatNumber(st.ciLow)}–${formatNumber(st.ciHigh)}${st.n < MIN_SAMPLES_FOR_MEDIAN_CI ? `, full range: fewer than ${MIN_SAMPLES_FOR_MEDIAN_CI} samples` : ''})`,
    });
  }
  return out;
}

/** The findings of one scenario, effects first, then what the data does not support. */
export interface FindingGroup {
  scenario: string;
  significant: Finding[];
  notSignificant: Finding[];
}

/** Findings grouped by scenario, in the order scenarios first appear (measurement warnings come first, so do theirs). */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    let g = groups.get(f.scenario);
    if (!g) {
      g = { scenario: f.scenario, significant: [], notSignificant: [] };
      groups.set(f.scenario, g);
    }
    (f.significant ? g.significant : g.notSignificant).push(f);
  }
  return [...groups.values()];
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

/**
 * Benchmarks whose workers were on a CPU for under {@link MIN_ON_CPU} of the
 * wall time, and one warning about them: named one by one when few, else
 * counted with the range and the worst.
 */
function busyFindings(benchmarks: readonly BenchmarkResult[]): { busy: Set<BenchmarkResult>; findings: Finding[] } {
  const flagged: Array<{ b: BenchmarkResult; share: number; cpuNs: number }> = [];
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
    flagged.push({ b, share, cpuNs: median(perOp) });
  }
  const busy = new Set(flagged.map((f) => f.b));
  if (flagged.length === 0) return { busy, findings: [] };
  const consequence = (one: boolean) =>
    `the machine was busy or the workers waited, so ${one ? 'its ns/op is' : 'their ns/op are'} inflated and ` +
    `the findings that use ${one ? 'it' : 'them'} say so`;
  if (flagged.length <= 3) {
    return {
      busy,
      findings: flagged.map(({ b, share, cpuNs }) => ({
        scenario: MEASUREMENT,
        significant: true,
        text:
          `${displayName(b)}: the workers were on a CPU only ${percent(share)} of the wall time ` +
          `(task-clock ${formatNumber(cpuNs)} vs ${ns(b)} ns/op): ${consequence(true)}`,
      })),
    };
  }
  const shares = flagged.map((f) => f.share);
  const worst = flagged.reduce((a, f) => (f.share < a.share ? f : a));
  return {
    busy,
    findings: [
      {
        scenario: MEASUREMENT,
        significant: true,
        text:
          `${flagged.length} of ${measured} benchmarks had their workers on a CPU for only ` +
          `${percent(Math.min(...shares))}–${percent(Math.max(...shares))} of the wall time (median ${percent(median(shares))}; ` +
          `task-clock against elapsed time; worst ${displayName(worst.b)}): ${consequence(false)}`,
      },
    ],
  };
}

/**
 * Every finding the document's data supports (or refutes), scenario by
 * scenario: layouts against pad64, publish instructions against lock xadd,
 * the victim cache on against off, the sync pool against each baseline, and
 * producer-consumer handoffs.
 *
 * @example
 * ```ts
 * import { computeFindings, readResultsFile } from 'poolscope';
 *
 * for (const f of computeFindings(await readResultsFile('results.json'))) console.log(f.significant ? '•' : '~', f.text);
 * ```
 */
export function computeFindings(doc: ResultsDocument): Finding[] {
  const groups = new Map<string, BenchmarkResult[]>();
  for (const b of doc.benchmarks) {
    const list = groups.get(b.params.scenario) ?? [];
    list.push(b);
    groups.set(b.params.scenario, list);
  }
  const found: Found[] = [];
  for (const [scenario, list] of groups) {
    found.push(...layoutFindings(scenario, list));
    found.push(...publishFindings(scenario, list));
    found.push(...victimFindings(scenario, list));
    found.push(...poolFindings(scenario, list, doc.benchmarks));
    if (scenario === 'producer-consumer') found.push(...handoffFindings(scenario, list));
  }
  const { busy, findings: warnings } = busyFindings(doc.benchmarks);
  const qualified = found.map(({ involved, ...f }) =>
    f.significant && involved.some((b) => busy.has(b))
      ? { ...f, text: `${f.text} — measured on a busy machine (see the ${MEASUREMENT} warning)` }
      : f,
  );
  // Warnings about the measurement itself come first: they qualify the other findings.
  return [...warnings, ...qualified];
}
