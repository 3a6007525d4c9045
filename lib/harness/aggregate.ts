/**
 * From the workers' replies of one sample to the document's `Sample`: ops and
 * counters summed over workers, wall time from the common start to the last
 * worker's end, per-worker ns/op for the spread across threads.
 */
import type { CounterValue, GetSources, Sample } from '../results/schema.js';
import type { WorkerReply } from './team.js';

/** Checks the native handoff tallies of a producer-consumer sample: every object moved exactly once. */
export interface HandoffCheck {
  produced: number;
  consumed: number;
  orderErrors: number;
}

export function aggregateSample(replies: readonly WorkerReply[], threads: number): Sample {
  let ops = 0;
  let elapsedNs = 0;
  let tsc = 0;
  let sources: GetSources | undefined;
  let puts: number | undefined;
  let drops: number | undefined;
  const counters: Record<string, CounterValue> = {};
  const runningSum: Record<string, number> = {};
  const perWorkerNsPerOp: number[] = [];
  for (const { result, counters: c } of replies) {
    ops += result.ops;
    elapsedNs = Math.max(elapsedNs, result.endOffsetNs);
    tsc += result.tscCycles;
    perWorkerNsPerOp.push(result.ops > 0 ? (result.endOffsetNs - result.startOffsetNs) / result.ops : Number.NaN);
    if (result.sources) {
      sources ??= { private: 0, shared: 0, steal: 0, victim: 0, new: 0 };
      sources.private += result.sources.private;
      sources.shared += result.sources.shared;
      sources.steal += result.sources.steal;
      sources.victim += result.sources.victim;
      sources.new += result.sources.new;
    }
    if (result.puts !== undefined) puts = (puts ?? 0) + result.puts;
    if (result.drops !== undefined) drops = (drops ?? 0) + result.drops;
    for (const [name, v] of Object.entries(c)) {
      if (v.state !== 'counted' && v.state !== 'not-counted') continue;
      // A worker that did not count it adds nothing; no worker counting it leaves null (not 0).
      const acc = counters[name] ?? { value: null, scaled: null, runningPct: 0 };
      if (v.state === 'counted') {
        acc.value = (acc.value ?? 0) + v.value;
        acc.scaled = (acc.scaled ?? 0) + v.scaled;
      }
      counters[name] = acc;
      runningSum[name] = (runningSum[name] ?? 0) + v.runningPct;
    }
  }
  for (const [name, acc] of Object.entries(counters)) acc.runningPct = (runningSum[name] ?? 0) / replies.length;
  const sample: Sample = {
    ops,
    elapsedNs,
    nsPerOp: ops > 0 ? (elapsedNs * threads) / ops : Number.NaN,
    tscCyclesPerOp: ops > 0 ? tsc / ops : Number.NaN,
    counters,
    perWorkerNsPerOp,
  };
  if (sources) sample.sources = sources;
  if (puts !== undefined) sample.puts = puts;
  if (drops !== undefined) sample.drops = drops;
  return sample;
}

/** Sums the producer-consumer tallies of a sample (undefined for other scenarios). */
export function handoffOf(replies: readonly WorkerReply[]): HandoffCheck | undefined {
  let seen = false;
  const out: HandoffCheck = { produced: 0, consumed: 0, orderErrors: 0 };
  for (const { result } of replies) {
    if (!result.handoff) continue;
    seen = true;
    if (result.handoff.role === 'producer') out.produced += result.handoff.produced;
    else {
      out.consumed += result.handoff.consumed;
      out.orderErrors += result.handoff.orderErrors;
    }
  }
  return seen ? out : undefined;
}
