/**
 * A results document holding only the peers, for `poolscope peers` and
 * `npm run bench:peers` (the `bench` suite puts the same results into its
 * own document). Counters are not opened here: `events` is empty.
 */
import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import { type ResultsDocument, SCHEMA_VERSION } from '../results/schema.js';
import { toolVersion } from '../version.js';
import type { PeersRun } from './run.js';

function perfEventParanoid(): number | null {
  try {
    const n = Number.parseInt(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8').trim(), 10);
    return Number.isInteger(n) ? n : null;
  } catch {
    return null;
  }
}

/** Wraps a peers run into a results document; `config.peers` records which peers could run and why not. */
export function peersDocument(run: PeersRun, startedAt: Date, config: Record<string, unknown> = {}): ResultsDocument {
  const list = cpus();
  return {
    schema: SCHEMA_VERSION,
    tool: { name: 'poolscope', version: toolVersion() },
    startedAt: startedAt.toISOString(),
    machine: {
      cpuModel: list[0]?.model.trim() ?? 'unknown',
      logicalCores: list.length,
      kernel: release(),
      node: process.version,
      compiler: 'not recorded (peers run)',
      perfEventParanoid: perfEventParanoid(),
      os: platform(),
      arch: arch(),
      pmu: false,
    },
    events: [],
    config: { suite: 'peers', ...config, peers: run.status },
    benchmarks: run.benchmarks,
  };
}
