/**
 * `measure(fn)`: counters around a synchronous function, per call.
 */
import type { EventState } from '../results/schema.js';
import {
  describeValue,
  expectFunction,
  expectInteger,
  expectNumber,
  expectObject,
  rejectUnknownKeys,
} from '../validate.js';
import { Counters } from './counters.js';
import { type DerivedFigure, deriveFigures } from './derived.js';
import { countersAddon } from './native.js';

/** Options of {@link measure}. */
export interface MeasureOptions {
  /**
   * Events to count (names as `perf list` spells them). `task-clock` and `tsc` are always added: they
   * tell batches that ran undisturbed from batches that were preempted.
   * @default ['task-clock', 'page-faults', 'context-switches']
   */
  events?: readonly string[];
  /** Calls counted, in total. @default 100000 */
  iterations?: number;
  /**
   * Calls made first and not counted (JIT warm-up; the last quarter of them sizes the batches). At least
   * 2 calls are made even with 0: one checks that `fn` is synchronous, one times it.
   * @default max(100, iterations / 10)
   */
  warmup?: number;
  /** Wall time one batch of calls should take between two counter reads, in ms. @default 2 */
  batchTimeMs?: number;
}

/** One event's figures per call. */
export interface MeasuredEvent {
  name: string;
  /** The worst state seen in any batch (`counted` when every batch counted it). */
  state: EventState;
  reason?: string;
  /** Scaled count over all batches ÷ calls: the mean per call, disturbances included. */
  perCall: number;
  /** Median over batches of (scaled count in the batch ÷ calls in the batch). */
  perCallMedian: number;
  /** Lowest and highest per-call value of any batch. */
  perCallMin: number;
  perCallMax: number;
  /** Scaled count summed over every batch. */
  total: number;
  /** Lowest running percentage of any batch (below 100: the kernel multiplexed the counter). */
  runningPct: number;
}

/** What {@link measure} reports: per-call figures of every event, the TSC time per call, derived ratios. */
export interface MeasureResult {
  /** Calls counted (warm-up excluded). */
  iterations: number;
  warmup: number;
  /** Calls between two counter reads, and how many such batches ran. */
  batchSize: number;
  batches: number;
  /** Batches the thread spent ≥ 95% of on the CPU (task-clock vs TSC wall time): not preempted. */
  undisturbedBatches: number;
  /** TSC ticks per call: median over the undisturbed batches (over all when none was). */
  tscCyclesPerCall: number;
  /** Nanoseconds per call, from {@link tscCyclesPerCall} and the calibrated TSC rate. */
  nsPerCall: number;
  /** Every requested event, and the added `task-clock` and `tsc`. */
  events: MeasuredEvent[];
  /** IPC and miss ratios (from the totals), only from events counted in the same perf group. */
  derived: DerivedFigure[];
  /** The privilege level events were opened with, and why. */
  exclusion: string;
}

const DEFAULT_EVENTS = ['task-clock', 'page-faults', 'context-switches'] as const;
const STATE_RANK: Record<EventState, number> = {
  counted: 0,
  'not-counted': 1,
  'not-supported': 2,
  denied: 3,
  error: 4,
};
/** A batch is undisturbed when the thread was on a CPU for at least this share of its wall time. */
const ON_CPU_SHARE = 0.95;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Calls `fn` `warmup` times, then `iterations` times with counters open on
 * the calling thread, and reports every event per call.
 *
 * How a 1 µs function is measured precisely: the calls are batched. The
 * last quarter of the warm-up is timed to estimate one call's cost, and the
 * counted calls run in batches of `batchTimeMs` (2 ms: ~2000 calls of a 1 µs
 * function) between one `start()` and one `stop()` — one enable ioctl, one
 * disable ioctl and one read per perf group per batch, never per call — so
 * the ~5 µs the syscalls cost is < 0.3% of a batch, and what is counted with
 * `fn` is only the loop's own few ns per call. Time per call comes from the
 * TSC, read natively just inside the enabled region, as the median over
 * batches the thread was not preempted in (its task-clock ≥ 95% of the
 * batch's wall time): on a loaded machine, another process's time slice
 * would otherwise land in the figure. Count-type events (faults, context
 * switches) are reported as totals ÷ calls, disturbances included, because
 * leaving out disturbed batches would undercount them.
 *
 * `fn` must be synchronous (a function returning a promise is rejected:
 * counting a promise's creation is not measuring the work it stands for).
 * The JIT matters: too short a warm-up measures `fn` half-compiled.
 *
 * @example
 * ```ts
 * import { measure } from 'poolscope';
 *
 * const m = measure(() => JSON.stringify({ a: [1, 2, 3] }), { iterations: 20_000 });
 * console.log(`${m.nsPerCall.toFixed(0)} ns/call over ${m.batches} batches`);
 * for (const e of m.events) console.log(e.name, e.state, e.perCall);
 * ```
 */
export function measure(fn: () => unknown, options?: MeasureOptions): MeasureResult {
  expectFunction('fn', fn);
  const opts = expectObject('options', options, true);
  rejectUnknownKeys('options', opts, ['events', 'iterations', 'warmup', 'batchTimeMs']);
  const iterations =
    opts.iterations === undefined ? 100_000 : expectInteger('options.iterations', opts.iterations, 1, 1e9);
  const warmup =
    opts.warmup === undefined
      ? Math.max(100, Math.floor(iterations / 10))
      : expectInteger('options.warmup', opts.warmup, 0, 1e9);
  const batchTimeMs =
    opts.batchTimeMs === undefined ? 2 : expectNumber('options.batchTimeMs', opts.batchTimeMs, 0.01, 10_000);
  const requested = opts.events === undefined ? [...DEFAULT_EVENTS] : opts.events;
  if (!Array.isArray(requested)) {
    throw new TypeError(`options.events must be an array of event names (received ${describeValue(requested)})`);
  }
  const names: string[] = [...requested];
  for (const always of ['task-clock', 'tsc']) if (!names.includes(always)) names.push(always);

  // Warm-up; its last quarter (by then the JIT has usually compiled fn) is timed to size the batches.
  const first = fn();
  if (first !== null && typeof first === 'object' && typeof (first as { then?: unknown }).then === 'function') {
    throw new TypeError('fn must be synchronous: it returned a promise, whose work measure() cannot count');
  }
  const rest = Math.max(1, warmup - 1);
  const timed = Math.max(1, Math.floor(rest / 4));
  for (let i = 0; i < rest - timed; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < timed; i++) fn();
  const perCallNs = Math.max(1, Number(process.hrtime.bigint() - t0) / timed);
  const batchSize = Math.min(iterations, Math.max(1, Math.round((batchTimeMs * 1e6) / perCallNs)));

  const tscHz = countersAddon().countersTscHz();
  const taskClock = names.indexOf('task-clock');
  const tsc = names.indexOf('tsc');
  const counters = Counters.open(names);
  try {
    const perBatch: number[][] = names.map(() => []);
    const totals = names.map(() => 0);
    const worst = names.map(() => ({ state: 'counted' as EventState, reason: undefined as string | undefined }));
    const minRunning = names.map(() => 100);
    const undisturbedTsc: number[] = [];
    let done = 0;
    let batches = 0;
    while (done < iterations) {
      const calls = Math.min(batchSize, iterations - done);
      counters.start();
      for (let i = 0; i < calls; i++) fn();
      const readings = counters.stop();
      readings.forEach((r, e) => {
        perBatch[e]?.push(r.scaled / calls);
        totals[e] = (totals[e] ?? 0) + r.scaled;
        minRunning[e] = Math.min(minRunning[e] ?? 100, r.runningPct);
        const w = worst[e];
        if (w !== undefined && STATE_RANK[r.state] > STATE_RANK[w.state]) {
          w.state = r.state;
          w.reason = r.reason;
        }
      });
      const onCpuNs = readings[taskClock]?.state === 'counted' ? (readings[taskClock]?.scaled ?? 0) : 0;
      const wallTicks = readings[tsc]?.value ?? 0;
      if (onCpuNs >= ON_CPU_SHARE * (wallTicks / tscHz) * 1e9) undisturbedTsc.push(wallTicks / calls);
      done += calls;
      batches++;
    }
    const events: MeasuredEvent[] = names.map((name, e) => {
      const values = perBatch[e] ?? [];
      const w = worst[e] ?? { state: 'error' as EventState, reason: undefined };
      const m: MeasuredEvent = {
        name,
        state: w.state,
        perCall: (totals[e] ?? 0) / iterations,
        perCallMedian: median(values),
        perCallMin: Math.min(...values),
        perCallMax: Math.max(...values),
        total: totals[e] ?? 0,
        runningPct: minRunning[e] ?? 0,
      };
      if (w.reason !== undefined) m.reason = w.reason;
      return m;
    });
    const tscCyclesPerCall = undisturbedTsc.length > 0 ? median(undisturbedTsc) : median(perBatch[tsc] ?? []);
    const derived = deriveFigures(
      events.map((m, e) => ({
        name: m.name,
        canonical: counters.events[e]?.canonical ?? m.name,
        group: counters.events[e]?.group ?? -1,
        state: m.state,
        value: m.total,
      })),
    );
    return {
      iterations,
      warmup,
      batchSize,
      batches,
      undisturbedBatches: undisturbedTsc.length,
      tscCyclesPerCall,
      nsPerCall: (tscCyclesPerCall / tscHz) * 1e9,
      events,
      derived,
      exclusion: counters.exclusion,
    };
  } finally {
    counters.close();
  }
}
