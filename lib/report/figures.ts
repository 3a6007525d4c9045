/**
 * Figures derived from a results document that every report format shows the
 * same way: the display name, ns/op statistics recomputed from the samples,
 * and the per-operation metrics (TSC cycles, where gets were served, every
 * counter) with the unit names the Go benchmark text uses.
 */

import type { BenchmarkResult, ResultsDocument, Sample, Statistics } from '../results/schema.js';
import { median, summarize } from '../stats.js';

/** `GetPut/pool=sync-2`: the name plus Go's `-N` thread suffix (omitted for one thread, as `go test` does). */
export function displayName(b: BenchmarkResult): string {
  return b.params.threads === 1 ? b.name : `${b.name}-${b.params.threads}`;
}

/**
 * ns/op statistics from the samples (the source of truth), falling back to
 * the stored summary when a benchmark has no samples.
 */
export function nsPerOpStats(b: BenchmarkResult): Statistics {
  return b.samples.length > 0 ? summarize(b.samples.map((s) => s.nsPerOp)) : b.summary.nsPerOp;
}

/** Units of the get sources, per operation (an operation is one get+put pair unless the scenario says otherwise). */
export const SOURCE_UNITS = {
  private: 'private-hits/op',
  shared: 'shared-hits/op',
  steal: 'steals/op',
  victim: 'victim-hits/op',
  new: 'news/op',
} as const;

/** Events whose count is in nanoseconds. */
const TIME_EVENTS = new Set(['task-clock', 'cpu-clock', 'duration_time']);

/** The per-operation unit of a counter, one token without spaces: `task-clock-ns/op`, `page-faults/op`. */
export function counterUnit(event: string): string {
  const token = event.replace(/\s+/g, '_');
  return TIME_EVENTS.has(event) ? `${token}-ns/op` : `${token}/op`;
}

/** Every per-operation metric of one sample except ns/op, as [unit, value] in a fixed order. */
export function sampleMetrics(s: Sample): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  if (s.tscCyclesPerOp !== undefined) out.push(['tsc-cycles/op', s.tscCyclesPerOp]);
  if (s.sources !== undefined && s.ops > 0) {
    for (const [key, unit] of Object.entries(SOURCE_UNITS)) {
      out.push([unit, s.sources[key as keyof typeof SOURCE_UNITS] / s.ops]);
    }
  }
  if (s.ops > 0) {
    for (const [event, reading] of Object.entries(s.counters)) {
      if (reading.scaled !== null) out.push([counterUnit(event), reading.scaled / s.ops]); // null: not counted
    }
  }
  // A peer's own per-sample figures (`go test`'s news/op, steals/op, victim-hit-%), unless a unit is already there.
  for (const [unit, v] of Object.entries(s.metrics ?? {})) {
    if (!out.some(([u]) => u === unit)) out.push([unit.replace(/\s+/g, '_'), v]);
  }
  return out;
}

/** Median over the samples of each per-operation metric. */
export function medianMetrics(b: BenchmarkResult): Map<string, number> {
  const byUnit = new Map<string, number[]>();
  for (const s of b.samples) {
    for (const [unit, v] of sampleMetrics(s)) {
      const list = byUnit.get(unit);
      if (list) list.push(v);
      else byUnit.set(unit, [v]);
    }
  }
  return new Map([...byUnit].map(([unit, values]) => [unit, median(values)]));
}

/** The metric units present anywhere in the document, in first-seen order. */
export function metricUnits(doc: ResultsDocument): string[] {
  const units = new Set<string>();
  for (const b of doc.benchmarks) for (const s of b.samples) for (const [unit] of sampleMetrics(s)) units.add(unit);
  return [...units];
}

/** Benchmarks grouped by scenario, in the order scenarios first appear. */
export function byScenario(doc: ResultsDocument): Map<string, BenchmarkResult[]> {
  const groups = new Map<string, BenchmarkResult[]>();
  for (const b of doc.benchmarks) {
    const list = groups.get(b.params.scenario);
    if (list) list.push(b);
    else groups.set(b.params.scenario, [b]);
  }
  return groups;
}

/**
 * What a scenario exists to show, when the harness recorded it in
 * `config.scenarios` (scenario name → one sentence); undefined otherwise.
 */
export function scenarioDescription(doc: ResultsDocument, scenario: string): string | undefined {
  const all = doc.config.scenarios;
  if (typeof all !== 'object' || all === null) return undefined;
  const text = (all as Record<string, unknown>)[scenario];
  return typeof text === 'string' ? text : undefined;
}

/** The one-line machine description every report puts on top. */
export function machineLine(doc: ResultsDocument): string {
  const m = doc.machine;
  return (
    `${m.cpuModel}, ${m.logicalCores} logical cores, ${m.os} ${m.kernel} ${m.arch}, Node ${m.node}, ${m.compiler}, ` +
    `perf_event_paranoid ${m.perfEventParanoid ?? 'unreadable'}, hardware PMU ${m.pmu ? 'yes' : 'no'}`
  );
}

/**
 * How the samples were taken, for the top of every report: `samples in 3 processes
 * (compare counts each as a run), placement-randomized, seed 7`; undefined for a
 * document that records neither (imported results).
 */
export function samplingLine(doc: ResultsDocument): string | undefined {
  const parts: string[] = [];
  const processes = typeof doc.config.processes === 'number' ? doc.config.processes : 1;
  if (processes > 1) parts.push(`samples in ${processes} processes (compare counts each as a run)`);
  const pl = doc.config.placement;
  if (pl) parts.push(pl.randomized ? `placement-randomized, seed ${pl.seed}` : 'one placement (not randomized)');
  return parts.length > 0 ? parts.join(', ') : undefined;
}
