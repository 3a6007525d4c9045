/**
 * Sentences for findings: every report format (terminal, Markdown, HTML, the
 * `bench` summary) formats a `Finding` (lib/results/schema.ts) here, from its
 * numbers. Nothing reads these sentences back: code that needs to know what
 * a finding says looks at its `kind` and fields.
 */

import { formatNumber, formatRatio } from '../number-format.js';
import type { ContrastFields, EffectFinding, Finding, FindingContext } from '../results/schema.js';
import { MIN_SAMPLES_FOR_TEST } from './findings.js';

function formatP(p: number): string {
  return p < 0.0001 ? 'p<0.0001' : `p=${p.toPrecision(2)}`;
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** `64 B`, `4 KiB`, `64 KiB`. */
function sizeLabel(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** `2 threads, 64 B` (+ `, batch of 32` where objects are held). */
function where(ctx: FindingContext, withBatch = true): string {
  const t = ctx.threads;
  const batch = withBatch && ctx.batch !== undefined ? `, batch of ${ctx.batch}` : '';
  return `${t} thread${t === 1 ? '' : 's'}, ${sizeLabel(ctx.objectSize)}${batch}`;
}

/** `(p=0.0002, 95% CI 36–40×)`, for the ratio the sentence states (`inverted` when it says "faster"). */
function evidence(f: ContrastFields, inverted: boolean): string {
  const lo = inverted ? 1 / f.ciHigh : f.ciLow;
  const hi = inverted ? 1 / f.ciLow : f.ciHigh;
  return `${formatP(f.p)}, 95% CI ${formatRatio(lo)}–${formatRatio(hi)}${overProcesses(f)}`;
}

/** ` over 3 processes` when the test paired per-process medians (a run split across processes). */
function overProcesses(f: ContrastFields): string {
  return f.processes === undefined ? '' : ` over ${f.processes} processes`;
}

function notSignificant(f: ContrastFields, tooFew: boolean): string {
  const n = Math.min(f.base.n, f.other.n);
  const few = tooFew ? `; ${n} samples are too few for the test to reach p<0.05` : '';
  if (f.scale === 'difference') return `not significant (${formatP(f.p)}${few})`;
  return `not significant (${formatP(f.p)}, 95% CI of the ratio ${formatRatio(f.ciLow)}–${formatRatio(f.ciHigh)}${overProcesses(f)}${few})`;
}

/** `placement ±4.2%` / `spread ±0.8% within one placement`, for the sentence of a contrast. */
function spreadText(f: ContrastFields): string {
  if (f.spreadPct === null) return 'the spread';
  const pct = f.spreadPct >= 10 ? f.spreadPct.toFixed(0) : f.spreadPct.toFixed(1);
  return f.placementRandomized ? `the placement spread ±${pct}%` : `the sample spread ±${pct}% (one placement)`;
}

/** "X× slower/faster than": the phrase for ratio r = other ÷ base, with a ratio ≥ 1. */
function slowerOrFaster(r: number): { phrase: string; inverted: boolean } {
  return r >= 1
    ? { phrase: `${formatRatio(r)} slower than`, inverted: false }
    : { phrase: `${formatRatio(1 / r)} faster than`, inverted: true };
}

const INSTRUCTION: Record<string, string> = {
  xadd: 'lock xadd',
  cas: 'a lock cmpxchg loop',
  mfence: 'mov+mfence',
  xchg: 'xchg',
};

function ns(f: ContrastFields, which: 'base' | 'other'): string {
  return formatNumber(f[which].nsPerOp);
}

/** The sentence of a significant effect, by what it compares. */
function effectText(f: EffectFinding): string {
  const o = f.other;
  const b = f.base;
  const within = f.withinSpread ? ` — within ${spreadText(f)}: not credited to the ${f.dimension}` : '';
  switch (f.dimension) {
    case 'layout': {
      const { phrase, inverted } = slowerOrFaster(f.estimate);
      const at = `${where(f.context)}${f.context.publish !== undefined ? `, ${f.context.publish} publish` : ''}`;
      const packedSlower = o.label === 'packed' && f.estimate > 1 && f.context.threads > 1;
      const cause =
        f.cause === 'false-sharing'
          ? ' — false sharing'
          : packedSlower && !f.withinSpread
            ? ` — not credited to false sharing: ${f.overlap == null ? 'no task-clock to show the workers overlapped' : `the workers overlapped ${formatNumber(f.overlap)}× on average, not shown above 1`}`
            : '';
      return `${o.label} layout: ${phrase} ${b.label} at ${at}${cause}${within} (${f.scenario}, ${ns(f, 'other')} vs ${ns(f, 'base')} ns/op; ${evidence(f, inverted)})`;
    }
    case 'publish': {
      const instr = INSTRUCTION[o.label] ?? o.label;
      const layout = f.context.layout !== undefined ? `, ${f.context.layout} layout` : '';
      const numbers = `${ns(f, 'other')} vs ${ns(f, 'base')} ns/op at ${where(f.context)}${layout}`;
      return f.estimate >= 1
        ? `${o.label} publish (${instr}): ${formatRatio(f.estimate)} the cost of lock xadd in ${f.scenario}${within} (${numbers}; ${evidence(f, false)})`
        : `${o.label} publish (${instr}): ${formatRatio(1 / f.estimate)} cheaper than lock xadd in ${f.scenario}${within} (${numbers}; ${evidence(f, true)})`;
    }
    case 'pool': {
      const what = `${f.context.pattern ?? f.scenario}, ${where(f.context, false)}`;
      const numbers = `${ns(f, 'base')} vs ${ns(f, 'other')} ns/op`;
      // estimate = peer ÷ pool: above 1 the pool is faster.
      return f.estimate >= 1
        ? `sync pool vs ${o.label}: ${formatRatio(f.estimate)} faster${within} (${what}; ${numbers}; ${evidence(f, false)})`
        : `sync pool vs ${o.label}: ${formatRatio(1 / f.estimate)} slower${within} (${what}; ${numbers}; ${evidence(f, true)})`;
    }
    case 'victim':
      return `victim cache: ${victimNumbers(f)} (${formatP(f.p)}, 95% CI of the difference ${percent(f.ciLow)}–${percent(f.ciHigh)})`;
  }
}

/** Hit rates with and without the victim cache, and each side's ns/op. */
function victimNumbers(f: ContrastFields): string {
  const every = ` (${where(f.context)}${f.context.clearEvery !== undefined ? `, clear() every ${f.context.clearEvery} ops` : ''})`;
  const rates = f.hitRates
    ? `${percent(f.hitRates.other)} vs ${percent(f.hitRates.base)}`
    : `${percent(f.estimate)} more`;
  return (
    `hit rate ${rates} of the gets that missed the primary cache after clear()${every}; ` +
    `${ns(f, 'other')} ns/op with the victim cache vs ${ns(f, 'base')} without`
  );
}

function notSignificantText(f: ContrastFields, tooFew: boolean): string {
  const o = f.other;
  const b = f.base;
  const rest = notSignificant(f, tooFew);
  switch (f.dimension) {
    case 'layout': {
      const at = `${where(f.context)}${f.context.publish !== undefined ? `, ${f.context.publish} publish` : ''}`;
      return `${o.label} vs ${b.label} layout at ${at} in ${f.scenario}: ${ns(f, 'other')} vs ${ns(f, 'base')} ns/op, ${rest}`;
    }
    case 'publish': {
      const layout = f.context.layout !== undefined ? `, ${f.context.layout} layout` : '';
      return `${o.label} publish vs lock xadd in ${f.scenario}: ${ns(f, 'other')} vs ${ns(f, 'base')} ns/op at ${where(f.context)}${layout}, ${rest}`;
    }
    case 'pool':
      return `sync pool vs ${o.label} (${f.context.pattern ?? f.scenario}, ${where(f.context, false)}): ${ns(f, 'base')} vs ${ns(f, 'other')} ns/op, ${rest}`;
    case 'victim':
      return `victim cache: ${victimNumbers(f)} — ${rest}`;
  }
}

/**
 * One sentence with the numbers of a finding. `busy` findings qualify the
 * comparisons that used a busy benchmark; those say so.
 *
 * @example
 * ```ts
 * import { findingText, readResultsFile, storedFindings } from 'poolscope';
 *
 * const doc = await readResultsFile('bench-out/results.json');
 * for (const f of storedFindings(doc)) if (f.kind === 'effect') console.log(findingText(f));
 * ```
 */
export function findingText(f: Finding): string {
  const busy = 'busy' in f && f.busy ? ' — measured on a busy machine (see the measurement warning)' : '';
  switch (f.kind) {
    case 'effect':
      return effectText(f) + busy;
    case 'not-significant':
      return notSignificantText(f, f.tooFewSamples);
    case 'placement': {
      const at = `${where(f.context)}${f.context.publish !== undefined ? `, ${f.context.publish} publish` : ''}`;
      const numbers = `${ns(f, 'other')} vs ${ns(f, 'base')} ns/op`;
      const verdict = f.significant
        ? `${formatRatio(f.estimate >= 1 ? f.estimate : 1 / f.estimate)} ${f.estimate >= 1 ? 'slower' : 'faster'} (${evidence(f, f.estimate < 1)})`
        : notSignificant(f, Math.min(f.base.n, f.other.n) < MIN_SAMPLES_FOR_TEST);
      return `${f.other.label} vs ${f.base.label} layout at ${at} in ${f.scenario}: ${numbers}, ${verdict} — one thread shares no line: code and data placement, not the layout${busy}`;
    }
    case 'not-exercised': {
      const v = (x: number | null) => (x === null ? 'not recorded' : formatNumber(x));
      return (
        `${f.other.label} vs ${f.base.label} publish in ${f.scenario} (${where(f.context)}): not compared — no publish instruction ran ` +
        `(shared pushes per op: ${f.other.label} ${v(f.otherValue)}, ${f.base.label} ${v(f.baseValue)}; every get was served without the shared deque)`
      );
    }
    case 'figure': {
      const steals = f.stealsPerOp !== null ? `${formatNumber(f.stealsPerOp)} steals/op, ` : '';
      const few = f.n < 6 ? ', full range: fewer than 6 samples' : '';
      return (
        `producer-consumer (${f.label}, ${where(f.context)}): ${steals}${formatNumber(f.nsPerOp)} ns per handoff ` +
        `(95% CI ${formatNumber(f.ciLow)}–${formatNumber(f.ciHigh)}${few})`
      );
    }
    case 'measurement': {
      if (f.issue === 'not-randomized') {
        return (
          `the samples of each benchmark shared one code, stack and data placement (not placement-randomized): ` +
          `${f.effects} effect${f.effects === 1 ? '' : 's'} below may be placement rather than the cause stated, ` +
          'and a rerun can differ by more than the intervals say'
        );
      }
      const consequence = (one: boolean) =>
        `the machine was busy or the workers waited, so ${one ? 'its ns/op is' : 'their ns/op are'} inflated and ` +
        `the findings that use ${one ? 'it' : 'them'} say so`;
      const list = f.benchmarks;
      if (list.length <= 3) {
        return list
          .map(
            (b) =>
              `${b.benchmark}: the workers were on a CPU only ${percent(b.onCpu)} of the wall time ` +
              `(task-clock ${formatNumber(b.cpuNsPerOp)} vs ${formatNumber(b.nsPerOp)} ns/op): ${consequence(true)}`,
          )
          .join('; ');
      }
      const shares = list.map((b) => b.onCpu);
      const sorted = [...shares].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      const med =
        sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
      return (
        `${list.length} of ${f.measured} benchmarks had their workers on a CPU for only ` +
        `${percent(Math.min(...shares))}–${percent(Math.max(...shares))} of the wall time (median ${percent(med)}; ` +
        `task-clock against elapsed time; worst ${list[0]?.benchmark ?? '?'}): ${consequence(false)}`
      );
    }
  }
}

/** True for what a report lists first: effects beyond the spread, figures and warnings. */
export function isHeadline(f: Finding): boolean {
  return (f.kind === 'effect' && !f.withinSpread) || f.kind === 'figure' || f.kind === 'measurement';
}

/** The mark a list item carries: • effect or figure, ! warning, ≈ placement or within the spread, ~ not significant, – not compared. */
export function findingMark(f: Finding): string {
  switch (f.kind) {
    case 'effect':
      return f.withinSpread ? '≈' : '•';
    case 'figure':
      return '•';
    case 'measurement':
      return '!';
    case 'placement':
      return '≈';
    case 'not-significant':
      return '~';
    case 'not-exercised':
      return '–';
  }
}

/** The findings of one scenario: headlines first, then the rest (folded in HTML). */
export interface FindingGroup {
  scenario: string;
  headline: Finding[];
  rest: Finding[];
}

/** Findings grouped by scenario, in the order scenarios first appear (measurement warnings come first, so do theirs). */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    let g = groups.get(f.scenario);
    if (!g) {
      g = { scenario: f.scenario, headline: [], rest: [] };
      groups.set(f.scenario, g);
    }
    (isHeadline(f) ? g.headline : g.rest).push(f);
  }
  return [...groups.values()];
}
