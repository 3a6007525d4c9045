/**
 * What this machine can count, and the machine facts every results document
 * carries (`MachineInfo` in lib/results/schema.ts).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { EventState, MachineInfo } from '../results/schema.js';
import { countersAddon } from './native.js';

/** The machine facts of {@link MachineInfo}, plus what decides which counters work. */
export interface CountersMachineInfo extends MachineInfo {
  /** Effective uid 0. */
  root: boolean;
  /** CAP_PERFMON in the effective capability set (bypasses perf_event_paranoid). */
  capPerfmon: boolean;
  /** CAP_SYS_ADMIN in the effective capability set (also bypasses it). */
  capSysAdmin: boolean;
  /** The privilege level chosen for events without a `:u`/`:k` modifier, and why. */
  exclusion: string;
  /** TSC ticks per second (calibrated against CLOCK_MONOTONIC), the rate of the `tsc` pseudo-event. */
  tscHz: number;
}

/** One known event on this machine. */
export interface ProbedEvent {
  name: string;
  /** The PMU whose group it joins: `hardware`, `software`, `task-clock`, `cpu-clock`, `tsc`. */
  kind: string;
  state: EventState;
  /** Why it is not `counted`: the errno name and meaning, and what to do. */
  reason?: string;
  /** How it was opened, when worth saying (e.g. user space only after the kernel was refused). */
  note?: string;
  /** What it counted over the probe's short workload (~2 ms busy, 32 fresh pages touched). */
  value: number;
  /** Opened without kernel counting (`exclude_kernel`). */
  userOnly: boolean;
}

/** What {@link probe} reports: the machine facts and every known event's state. */
export interface ProbeResult {
  machine: CountersMachineInfo;
  events: ProbedEvent[];
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    const model = line?.split(':')[1]?.trim();
    if (model) return model;
  } catch {
    // not Linux, or /proc not mounted: fall through to os.cpus()
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/**
 * Opens every known event on the calling thread, counts a short workload
 * (busy loop + fresh pages), and reports each event's state with the reason
 * when it is not counted, with the machine facts. Takes ~25 ms (TSC
 * calibration included); never throws for an event the machine lacks.
 *
 * @example
 * ```ts
 * import { probe } from 'poolscope';
 *
 * const { machine, events } = probe();
 * console.log(machine.cpuModel, `paranoid=${machine.perfEventParanoid}`, machine.pmu ? 'PMU' : 'no PMU');
 * for (const e of events) if (e.state !== 'counted') console.log(e.name, e.state, e.reason);
 * ```
 */
export function probe(): ProbeResult {
  const addon = countersAddon();
  const p = addon.countersProbe();
  const events: ProbedEvent[] = p.events.map((e) => {
    const out: ProbedEvent = { name: e.name, kind: e.kind, state: e.state, value: e.value, userOnly: e.excludeKernel };
    if (e.reason !== undefined) out.reason = e.reason;
    if (e.note !== undefined) out.note = e.note;
    return out;
  });
  // A PMU is there if the kernel lists one or any hardware event got further than "no such counter".
  const pmu = p.pmuListed || events.some((e) => e.kind === 'hardware' && e.state !== 'not-supported');
  const machine: CountersMachineInfo = {
    cpuModel: cpuModel(),
    logicalCores: os.availableParallelism(),
    kernel: os.release(),
    node: process.version,
    compiler: p.compiler,
    perfEventParanoid: p.paranoid,
    os: process.platform,
    arch: process.arch,
    pmu,
    root: p.root,
    capPerfmon: p.capPerfmon,
    capSysAdmin: p.capSysAdmin,
    exclusion: p.exclusion,
    tscHz: addon.countersTscHz(),
  };
  return { machine, events };
}
