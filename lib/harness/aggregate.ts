/**
 * From the workers' replies of one sample to the document's `Sample`: ops and
 * counters summed over workers, wall time from the common start to the last
 * worker's end, per-worker ns/op for the spread across threads.
 */
import type { CounterReading } from '../counters/index.js';
import type { NativePoolStats } from '../pool.js';
import type { CounterValue, Sample } from '../results/schema.js';
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
  let stats: NativePoolStats | undefined;
  const counters = new CounterSums();
  const perWorkerNsPerOp: number[] = [];
  for (const { result, counters: readings } of replies) {
    ops += result.ops;
    elapsedNs = Math.max(elapsedNs, result.endOffsetNs);
    tsc += result.tscCycles;
    perWorkerNsPerOp.push(result.ops > 0 ? (result.endOffsetNs - result.startOffsetNs) / result.ops : Number.NaN);
    if (result.stats) stats = addStats(stats, result.stats);
    for (const r of Object.values(readings)) counters.add(r);
  }
  const sample: Sample = {
    ops,
    elapsedNs,
    nsPerOp: ops > 0 ? (elapsedNs * threads) / ops : Number.NaN,
    tscCyclesPerOp: ops > 0 ? tsc / ops : Number.NaN,
    counters: counters.values(replies.length),
    perWorkerNsPerOp,
  };
  if (stats) {
    // The one mapping from the core's PoolStats names to the document's (GetSources, puts, drops).
    sample.sources = {
      private: stats.fromPrivate,
      shared: stats.fromShared,
      steal: stats.fromSteal,
      victim: stats.fromVictim,
      new: stats.fromNew,
    };
    sample.puts = stats.puts;
    sample.drops = stats.drops;
  }
  return sample;
}

/** Two workers' pool counters added field by field (every field of PoolStats is a count). */
function addStats(a: NativePoolStats | undefined, b: NativePoolStats): NativePoolStats {
  if (!a) return { ...b };
  const out = { ...a };
  for (const key of Object.keys(out) as Array<keyof NativePoolStats>) out[key] += b[key];
  return out;
}

/** Counter readings summed over a sample's workers: counts add up, the running percentage is averaged. */
class CounterSums {
  readonly #sums: Record<string, CounterValue> = {};

  add(r: CounterReading): void {
    // Events not opened have no count to add.
    if (r.state !== 'counted' && r.state !== 'not-counted') return;
    // A worker that did not count it adds nothing; no worker counting it leaves null (not 0).
    const acc = this.#sums[r.name] ?? { value: null, scaled: null, runningPct: 0 };
    this.#sums[r.name] = acc;
    if (r.state === 'counted') {
      acc.value = (acc.value ?? 0) + r.value;
      acc.scaled = (acc.scaled ?? 0) + r.scaled;
    }
    acc.runningPct += r.runningPct;
  }

  values(workers: number): Record<string, CounterValue> {
    for (const acc of Object.values(this.#sums)) acc.runningPct /= workers;
    return this.#sums;
  }
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
