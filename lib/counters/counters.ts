/**
 * Per-thread counters: `Counters.open(events)` opens perf events for the
 * calling thread (the main thread or the worker it is called in; other
 * threads' work is not counted), grouped one group per kernel PMU, so one
 * unsupported event never sinks the rest.
 *
 * Costs: `start()` is one ioctl per group; `stop()` one ioctl and one
 * read(2) per group; `read()` while counting one read(2) per group. Counts
 * accumulate only while started, so no reset is needed between intervals.
 */
import { CountersError } from '../errors.js';
import type { EventState } from '../results/schema.js';
import { describeValue, expectBoolean, expectObject, rejectUnknownKeys } from '../validate.js';
import {
  type CountersAddon,
  countersAddon,
  type NativeCounterSet,
  type NativeEventInfo,
  STATE_BY_CODE,
} from './native.js';

/** One event's count over an interval. */
export interface CounterReading {
  /** The event name as requested. */
  name: string;
  /** Raw count over the interval (TSC ticks for `tsc`). */
  value: number;
  /** `value × enabled / running`: the estimate for the whole interval when the kernel multiplexed the counter. */
  scaled: number;
  /** Percentage of the interval the counter was really counting (100 without multiplexing). */
  runningPct: number;
  state: EventState;
  /** Why it is not `counted`: errno name and meaning, and what to do. */
  reason?: string;
}

/** How one event was opened. */
export interface CounterEventInfo extends NativeEventInfo {}

/** Options of {@link Counters.open}. */
export interface CountersOptions {
  /**
   * Throw a {@link CountersError} when any event cannot be opened, instead
   * of reporting it with its state and reason.
   * @default false
   */
  requireAll?: boolean;
}

const SLOTS = 4; // value, scaled, runningPct, state code per event (native/addon/counters_binding.cpp)

/**
 * perf counters of the calling thread, read by hand: open once, then
 * `start()`/`stop()` around each interval. Events the machine cannot count
 * are kept with their state and reason, never dropped. Use it in the thread
 * whose work you want counted (a worker counts only itself); close it when
 * done (or let GC close its fds).
 *
 * @example
 * ```ts
 * import { Counters } from 'poolscope';
 *
 * const counters = Counters.open(['task-clock', 'page-faults', 'tsc']);
 * counters.start();
 * new Uint8Array(1 << 22).fill(1);
 * for (const r of counters.stop()) console.log(r.name, r.state, r.scaled, `${r.runningPct}%`);
 * counters.close();
 * ```
 */
export class Counters {
  /** Every requested event: how it was opened (state, reason, group, privilege level). */
  readonly events: readonly CounterEventInfo[];
  /** The privilege level chosen for events without a `:u`/`:k` modifier, and why. */
  readonly exclusion: string;
  /** Number of perf groups (one enable ioctl and one read each). */
  readonly groups: number;
  #native: NativeCounterSet | undefined;
  /** native.fast(): what the hot-path entry points take; undefined once closed. */
  #fast: unknown;
  readonly #addon: CountersAddon;
  readonly #buf: Float64Array;
  readonly #names: readonly string[];
  #running = false;

  private constructor(addon: CountersAddon, native: NativeCounterSet, buf: Float64Array) {
    this.#addon = addon;
    this.#native = native;
    this.#fast = native.fast();
    this.#buf = buf;
    const info = native.info();
    this.events = info.events;
    this.exclusion = info.exclusion;
    this.groups = info.groups;
    this.#names = info.events.map((e) => e.name);
    // Before the first interval, read() reports every event's open state with zero counts.
    this.events.forEach((e, i) => {
      buf[i * SLOTS + 3] = STATE_BY_CODE.indexOf(e.state);
    });
  }

  /**
   * Opens `events` (names as `perf list` spells them, `rNNNN` raw codes, `:u`/`:k` modifiers, `tsc`)
   * for the calling thread, stopped. An unknown name, an empty list, a duplicate or a malformed raw
   * code throws a RangeError (unknown names list the closest known ones); an event the machine
   * cannot count does not throw, it reports its state and reason (unless `requireAll`).
   */
  static open(events: readonly string[], options?: CountersOptions): Counters {
    if (!Array.isArray(events)) {
      throw new TypeError(`events must be an array of event names (received ${describeValue(events)})`);
    }
    const opts = expectObject('options', options, true);
    rejectUnknownKeys('options', opts, ['requireAll']);
    const requireAll = opts.requireAll === undefined ? false : expectBoolean('options.requireAll', opts.requireAll);
    const buf = new Float64Array(Math.max(1, events.length) * SLOTS);
    const addon = countersAddon();
    const counters = new Counters(addon, new addon.CounterSet([...events], buf), buf);
    if (requireAll) {
      const failed = counters.events.filter((e) => e.state !== 'counted');
      if (failed.length > 0) {
        counters.close();
        const list = failed.map((e) => `${e.name}: ${e.state}: ${e.reason ?? ''}`).join('; ');
        throw new CountersError(failed[0]?.state === 'denied' ? 'EACCES' : 'ERR_COUNTERS_UNAVAILABLE', list);
      }
    }
    return counters;
  }

  /** True between start() and stop(). */
  get running(): boolean {
    return this.#running;
  }

  /** Starts (or resumes) counting: one ioctl per group. */
  start(): void {
    this.#addon.countersFastStart(this.#liveFast());
    this.#running = true;
  }

  /** Stops counting and returns the counts since the previous stop() (or open/mark()). */
  stop(): CounterReading[] {
    this.#addon.countersFastStop(this.#liveFast());
    this.#running = false;
    return this.#readings();
  }

  /** While counting: the counts so far in this interval. Stopped: the last interval's readings. */
  read(): CounterReading[] {
    this.#addon.countersFastRead(this.#liveFast());
    return this.#readings();
  }

  /** Starts a new interval without returning readings (e.g. to drop a warmup counted natively). */
  mark(): void {
    this.#live().mark();
  }

  /**
   * The handle native addon code takes to enable/disable these counters
   * around its own loop (native/addon/counters_binding.hpp,
   * `counterSetFromHandle`); after such a native interval, `stop()` returns
   * its readings. Only valid in the thread that opened the counters.
   */
  get nativeHandle(): unknown {
    return this.#live();
  }

  /** Closes every fd. Idempotent; any other method afterwards throws a CountersError. */
  close(): void {
    this.#native?.close();
    this.#native = undefined;
    this.#fast = undefined;
    this.#running = false;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#native === undefined;
  }

  #live(): NativeCounterSet {
    if (this.#native === undefined) throw new CountersError('ERR_COUNTERS_CLOSED', 'the counters are closed');
    return this.#native;
  }

  #liveFast(): unknown {
    if (this.#fast === undefined) throw new CountersError('ERR_COUNTERS_CLOSED', 'the counters are closed');
    return this.#fast;
  }

  #readings(): CounterReading[] {
    const names = this.#names;
    const out: CounterReading[] = new Array(names.length);
    const buf = this.#buf;
    for (let i = 0; i < names.length; i++) {
      const o = i * SLOTS;
      const state = STATE_BY_CODE[buf[o + 3] ?? 4] ?? 'error';
      const r: CounterReading = {
        name: names[i] ?? '',
        value: buf[o] ?? 0,
        scaled: buf[o + 1] ?? 0,
        runningPct: buf[o + 2] ?? 0,
        state,
      };
      if (state !== 'counted') r.reason = this.#native?.reason(i) ?? this.events[i]?.reason;
      out[i] = r;
    }
    return out;
  }
}
