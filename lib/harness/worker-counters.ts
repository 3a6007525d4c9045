/**
 * The counters one worker measures with: opened inside the worker (so they
 * count that thread), enabled and disabled by the native sample right around
 * the timed loop (counters.nativeHandle), read after it in JS, outside the
 * timed region.
 */
import { type CounterReading, Counters } from '../counters/index.js';
import type { EventInfo } from '../results/schema.js';

export interface WorkerCounters {
  /** Every requested event and how it opened in this thread. */
  events: EventInfo[];
  /** What harnessRunSample gets as its `counters` argument. */
  nativeHandle: unknown;
  /** Starts counting from JS (for work not bracketed natively). */
  start(): void;
  /** The readings of the interval since the previous call, by event name (Counters.stop()'s, as they are). */
  readInterval(): Record<string, CounterReading>;
  close(): void;
}

/** Opens the events for the calling thread; an event the machine cannot count keeps its state and reason. */
export function openWorkerCounters(events: readonly string[]): WorkerCounters {
  if (events.length === 0) {
    return { events: [], nativeHandle: undefined, start() {}, readInterval: () => ({}), close() {} };
  }
  const counters = Counters.open(events);
  return {
    events: counters.events.map((e) => ({
      name: e.name,
      state: e.state,
      ...(e.reason !== undefined && e.state !== 'counted' ? { reason: e.reason } : {}),
    })),
    nativeHandle: counters.nativeHandle,
    start() {
      counters.start();
    },
    readInterval() {
      return Object.fromEntries(counters.stop().map((r) => [r.name, r]));
    },
    close() {
      counters.close();
    },
  };
}
