/**
 * What `poolscope bench` adds to its suite for the peers, so they run through
 * the harness itself (worker threads, native loops, counters) next to
 * poolscope's pools: the `alloc` scenario on every allocator peer that loads
 * here and on glibc, at 64 B, 4 KiB and 64 KiB (K = 1) and at 64 B with the
 * suite's K, plus poolscope's get-put at the sizes the suite lacks, so every
 * row of the peers table has its reference.
 */
import type { BenchmarkSpec } from '../harness/options.js';
import { probeAllocatorPeers } from './allocators.js';

/** The object sizes the peers are compared at. */
export const PEER_SIZES = [64, 4096, 65536] as const;

/** Specs for the peers, minus those `existing` already has (same parameters). */
export function peerSuiteSpecs(existing: readonly BenchmarkSpec[], batch: number): BenchmarkSpec[] {
  const loaded = probeAllocatorPeers().flatMap((p) => (p.state === 'loaded' ? [p.name] : []));
  const wanted: BenchmarkSpec[] = [];
  for (const pool of ['malloc', ...loaded]) {
    for (const objectSize of PEER_SIZES) wanted.push({ scenario: 'alloc', pool, threads: 1, objectSize, batch: 1 });
    wanted.push({ scenario: 'alloc', pool, threads: 1, objectSize: 64, batch });
  }
  for (const objectSize of PEER_SIZES) wanted.push({ scenario: 'get-put', pool: 'sync', threads: 1, objectSize });
  const key = (s: BenchmarkSpec) =>
    JSON.stringify([
      s.scenario,
      s.pool ?? (s.scenario === 'alloc' ? 'malloc' : 'sync'),
      s.layout ?? 'pad128',
      s.publish ?? 'xadd',
      s.threads ?? 1,
      s.objectSize ?? 64,
      s.batch ?? (s.scenario === 'batch' ? 16 : 1),
    ]);
  const have = new Set(existing.map(key));
  return wanted.filter((s) => !have.has(key(s)));
}
