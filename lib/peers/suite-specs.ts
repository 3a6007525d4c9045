/**
 * The harness specs the peers are measured with (every peer that runs native
 * code goes through the harness, lib/harness/run-suite.ts; there is no second
 * loop for them):
 * - {@link peersRunSpecs}: what `poolscope peers` runs round-robin —
 *   poolscope's own pool as the table's reference (get-put, batch K over the
 *   publish instructions, gc-churn with clear() every M, producer-consumer on
 *   two threads), and glibc and every allocator peer that loads here: the
 *   `alloc` scenario at each size, K = 1 and K, and producer-consumer on two
 *   threads at each size (the producer mallocs, the consumer frees), so one
 *   run holds the handoff of every pool side by side;
 * - {@link peerSuiteSpecs}: what `poolscope bench` adds to its suite, the
 *   `alloc` scenario on the allocators at 64 B, 4 KiB and 64 KiB (K = 1) and
 *   at 64 B with the suite's K, producer-consumer on the allocators at 64 B,
 *   plus poolscope's get-put at the sizes the suite lacks, so every row of
 *   the peers table has its reference.
 */
import type { BenchmarkSpec } from '../harness/options.js';
import { ALLOCATOR_KINDS, type AllocatorKind, type PoolLayout, type PoolPublish } from '../pool.js';
import { probeAllocatorPeers } from './allocators.js';

/** The object sizes the peers are compared at. */
export const PEER_SIZES = [64, 4096, 65536] as const;

/** The sync variants the reference runs: get-put barely depends on publish; batch does. */
const GET_PUT_VARIANTS: ReadonlyArray<readonly [PoolLayout, PoolPublish]> = [
  ['pad128', 'xadd'],
  ['packed', 'xadd'],
];
const BATCH_VARIANTS: ReadonlyArray<readonly [PoolLayout, PoolPublish]> = [
  ['pad128', 'xadd'],
  ['pad128', 'cas'],
  ['pad128', 'xchg'],
];

/** What {@link peersRunSpecs} builds. */
export interface PeersRunSpecOptions {
  objectSizes: readonly number[];
  /** K of the batch pattern. */
  batch: number;
  /** gc-churn's M. */
  clearEvery: number;
  /** poolscope's own pool, the table's reference. */
  reference: boolean;
  /** Allocators for the `alloc` scenario; those that do not load here are left out. */
  allocatorPools: readonly AllocatorKind[];
}

/** The allocators of `wanted` that can run here (glibc's malloc always can). */
export function loadedAllocators(wanted: readonly AllocatorKind[] = ALLOCATOR_KINDS): AllocatorKind[] {
  const loaded = new Set(probeAllocatorPeers().flatMap((p) => (p.state === 'loaded' ? [p.name] : [])));
  return wanted.filter((p) => p === 'malloc' || loaded.has(p));
}

/** The specs of a `poolscope peers` run (see the file comment). */
export function peersRunSpecs(o: PeersRunSpecOptions): BenchmarkSpec[] {
  const specs: BenchmarkSpec[] = [];
  const pools = loadedAllocators(o.allocatorPools);
  for (const objectSize of o.objectSizes) {
    if (o.reference) {
      for (const [layout, publish] of GET_PUT_VARIANTS) {
        specs.push({ scenario: 'get-put', pool: 'sync', layout, publish, threads: 1, objectSize });
      }
      for (const [layout, publish] of BATCH_VARIANTS) {
        specs.push({ scenario: 'batch', pool: 'sync', layout, publish, threads: 1, objectSize, batch: o.batch });
      }
      specs.push({
        scenario: 'gc-churn',
        pool: 'sync',
        threads: 1,
        objectSize,
        batch: 1,
        clearEvery: o.clearEvery,
        victim: true,
      });
      specs.push({ scenario: 'producer-consumer', pool: 'sync', threads: 2, objectSize });
    }
    for (const pool of pools) {
      for (const batch of [1, o.batch]) specs.push({ scenario: 'alloc', pool, threads: 1, objectSize, batch });
      specs.push({ scenario: 'producer-consumer', pool, threads: 2, objectSize });
    }
  }
  return specs;
}

/** Specs for the peers in a `bench` suite, minus those `existing` already has (same parameters). */
export function peerSuiteSpecs(existing: readonly BenchmarkSpec[], batch: number): BenchmarkSpec[] {
  const wanted: BenchmarkSpec[] = [];
  for (const pool of loadedAllocators()) {
    for (const objectSize of PEER_SIZES) wanted.push({ scenario: 'alloc', pool, threads: 1, objectSize, batch: 1 });
    wanted.push({ scenario: 'alloc', pool, threads: 1, objectSize: 64, batch });
    // The handoff at 64 B only (the suite's own producer-consumer size): two threads per sample.
    wanted.push({ scenario: 'producer-consumer', pool, threads: 2, objectSize: 64 });
  }
  for (const objectSize of PEER_SIZES) wanted.push({ scenario: 'get-put', pool: 'sync', threads: 1, objectSize });
  const key = (s: BenchmarkSpec) =>
    JSON.stringify([
      s.scenario,
      s.pool ?? (s.scenario === 'alloc' ? 'malloc' : 'sync'),
      s.layout ?? 'pad128',
      s.publish ?? 'xadd',
      s.threads ?? (s.scenario === 'producer-consumer' ? 2 : 1),
      s.objectSize ?? 64,
      s.batch ?? (s.scenario === 'batch' ? 16 : 1),
    ]);
  const have = new Set(existing.map(key));
  return wanted.filter((s) => !have.has(key(s)));
}
