/**
 * The counters' part of the addon (native/addon/counters_binding.cpp,
 * counters_probe.cpp). Only lib/counters uses it.
 */
import { nativeAddon } from '../binding.js';
import type { EventState } from '../results/schema.js';

/** How one event was opened (CounterSet#info). */
export interface NativeEventInfo {
  name: string;
  /** The table's name (aliases resolved) or the raw code, without modifiers. */
  canonical: string;
  /** The PMU whose group it joined: `hardware`, `software`, `task-clock`, `cpu-clock`, `tsc`. */
  kind: string;
  state: EventState;
  reason?: string;
  note?: string;
  /** Index of its perf group; -1 for tsc and events not opened. */
  group: number;
  excludeUser: boolean;
  excludeKernel: boolean;
  excludeHv: boolean;
}

export interface NativeCounterSet {
  start(): void;
  stop(): void;
  read(): void;
  mark(): void;
  info(): { exclusion: string; groups: number; events: NativeEventInfo[] };
  reason(index: number): string | undefined;
  close(): void;
  /** An External for the fast entry points below (valid while this handle lives). */
  fast(): unknown;
}

export interface NativeProbe {
  paranoid: number | null;
  root: boolean;
  capPerfmon: boolean;
  capSysAdmin: boolean;
  exclusion: string;
  pmuListed: boolean;
  compiler: string;
  events: Array<{
    name: string;
    kind: string;
    state: EventState;
    reason?: string;
    note?: string;
    value: number;
    excludeKernel: boolean;
  }>;
}

export interface SyscallCosts {
  groups: number;
  ioctlEnableDisableNs: number;
  readNs: number;
  readEnabledNs: number;
  setEnableDisableNs: number;
  setReadNs: number;
}

export interface CountersAddon {
  CounterSet: new (events: string[], readings: Float64Array) => NativeCounterSet;
  countersProbe(): NativeProbe;
  countersTscHz(): number;
  countersSyscallCosts(events: string[], iterations: number): SyscallCosts;
  countersThreadCpuNs(): number;
  /** The hot path without ObjectWrap dispatch: start/stop/read on `fast()`'s External. */
  countersFastStart(fast: unknown): void;
  countersFastStop(fast: unknown): void;
  countersFastRead(fast: unknown): void;
}

/** Index = the native EventState enum (counter_set.hpp). */
export const STATE_BY_CODE: readonly EventState[] = ['counted', 'not-counted', 'not-supported', 'denied', 'error'];

export function countersAddon(): CountersAddon {
  return nativeAddon<CountersAddon>();
}
