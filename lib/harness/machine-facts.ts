/**
 * Machine facts and the state of each requested event, for the document,
 * from the counters' probe(). Opening the requested events once on the main
 * thread also validates their names here (an unknown name is a RangeError,
 * i.e. a usage error) before any worker starts; the workers' own view of
 * each event replaces this one (see run-suite.ts).
 */
import { Counters, probe } from '../counters/index.js';
import type { EventInfo, MachineInfo } from '../results/schema.js';

export interface Facts {
  machine: MachineInfo;
  events: EventInfo[];
  tscHz: number;
}

export function machineFacts(events: readonly string[]): Facts {
  let opened: EventInfo[] = [];
  if (events.length > 0) {
    const counters = Counters.open(events);
    opened = counters.events.map((e) => ({
      name: e.name,
      state: e.state,
      ...(e.reason !== undefined && e.state !== 'counted' ? { reason: e.reason } : {}),
    }));
    counters.close();
  }
  const m = probe().machine;
  const machine: MachineInfo = {
    cpuModel: m.cpuModel,
    logicalCores: m.logicalCores,
    kernel: m.kernel,
    node: m.node,
    compiler: m.compiler,
    perfEventParanoid: m.perfEventParanoid,
    os: m.os,
    arch: m.arch,
    pmu: m.pmu,
  };
  return { machine, events: opened, tscHz: m.tscHz };
}
