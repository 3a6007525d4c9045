/**
 * `measure(fn)`: counters around a synchronous function, per call.
 */
import type { EventState } from '../report/schema.js';
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

export interface MeasureOptions {
  /**
   * Events to count (names as `perf list` spells them); `tsc` is always added.
   * @default ['task-clock', 'page-faults', 'context-switches']
   */
  events?: readonly string[];
  /** Calls counted, in total. @default 100000 */
  iterations?: number;
  /**
   * Calls made first and not counted (JIT warm-up; they also size the batches). At least 2 calls are made
   * even with 0: one checks that `fn` is synchronous, one times it.
   * @default 1000
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
  /** Median over batches of (scaled count in the batch ÷ calls in the batch). */
  perCall: number;
  /** Lowest and highest per-call value of any batch. */
  perCallMin: number;
  perCallMax: number;
  /** Scaled count summed over every batch. */
  total: number;
  /** Lowest running percentage of any batch (below 100: the kernel multiplexed the counter). */
  runningPct: number;
}

export interface MeasureResult {
  /** Calls counted (warm-up excluded). */
  iterations: number;
  warmup: number;
  /** Calls between two counter reads, and how many such batches ran. */
  batchSize: number;
  batches: number;
  /** TSC ticks per call (median over batches). */
  tscCyclesPerCall: number;
  /** Nanoseconds per call, from the TSC and its calibrated rate (median over batches). */
  nsPerCall: number;
  /** Every requested event (and `tsc`). */
  events: MeasuredEvent[];
  /** IPC and miss ratios per call, only from events counted in the same perf group. */
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

function median(sorted: readonly number[]): number {
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
 * warm-up calls are timed to estimate one call's cost, and the counted calls
 * run in batches of `batchTimeMs` (2 ms: ~2000 calls of a 1 µs function)
 * between one `start()` and one `stop()` — one enable ioctl, one disable
 * ioctl and one read per perf group per batch, never per call, so the ~5 µs
 * the syscalls cost is < 0.3% of a batch and only the loop's own overhead
 * (a few ns per call) is counted with `fn`. Per-call figures are the median
 * over batches, so a batch disturbed by another process (a preemption, a
 * migration) does not move the result; min and max show the spread.
 *
 * `fn` must be synchronous (a function returning a promise is rejected:
 * counting a promise's creation is not measuring the work it stands for).
 */
export function measure(fn: () => unknown, options?: MeasureOptions): MeasureResult {
  expectFunction('fn', fn);
  const opts = expectObject('options', options, true);
  rejectUnknownKeys('options', opts, ['events', 'iterations', 'warmup', 'batchTimeMs']);
  const iterations =
    opts.iterations === undefined ? 100_000 : expectInteger('options.iterations', opts.iterations, 1, 1e9);
  const warmup = opts.warmup === undefined ? 1000 : expectInteger('options.warmup', opts.warmup, 0, 1e9);
  const batchTimeMs =
    opts.batchTimeMs === undefined ? 2 : expectNumber('options.batchTimeMs', opts.batchTimeMs, 0.01, 10_000);
  const requested = opts.events === undefined ? [...DEFAULT_EVENTS] : opts.events;
  if (!Array.isArray(requested)) {
    throw new TypeError(`options.events must be an array of event names (received ${describeValue(requested)})`);
  }
  const names: string[] = requested.includes('tsc') ? [...requested] : [...requested, 'tsc'];

  // Warm-up, timed to size the batches (one untimed call when there is no warm-up).
  const first = fn();
  if (first !== null && typeof first === 'object' && typeof (first as { then?: unknown }).then === 'function') {
    throw new TypeError('fn must be synchronous: it returned a promise, whose work measure() cannot count');
  }
  const warmCalls = Math.max(1, warmup - 1);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < warmCalls; i++) fn();
  const perCallNs = Math.max(1, Number(process.hrtime.bigint() - t0) / warmCalls);
  const batchSize = Math.min(iterations, Math.max(1, Math.round((batchTimeMs * 1e6) / perCallNs)));

  const counters = Counters.open(names);
  try {
    const perBatch: number[][] = names.map(() => []);
    const totals = names.map(() => 0);
    const worst = names.map(() => ({ state: 'counted' as EventState, reason: undefined as string | undefined }));
    const minRunning = names.map(() => 100);
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
      done += calls;
      batches++;
    }
    const events: MeasuredEvent[] = names.map((name, e) => {
      const sorted = [...(perBatch[e] ?? [])].sort((a, b) => a - b);
      const w = worst[e] ?? { state: 'error' as EventState, reason: undefined };
      const m: MeasuredEvent = {
        name,
        state: w.state,
        perCall: w.state === 'counted' ? median(sorted) : 0,
        perCallMin: sorted[0] ?? 0,
        perCallMax: sorted[sorted.length - 1] ?? 0,
        total: totals[e] ?? 0,
        runningPct: minRunning[e] ?? 0,
      };
      if (w.reason !== undefined) m.reason = w.reason;
      return m;
    });
    const tscIndex = names.indexOf('tsc');
    const tscCyclesPerCall = events[tscIndex]?.perCall ?? 0;
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
      tscCyclesPerCall,
      nsPerCall: (tscCyclesPerCall / countersAddon().countersTscHz()) * 1e9,
      events,
      derived,
      exclusion: counters.exclusion,
    };
  } finally {
    counters.close();
  }
}
