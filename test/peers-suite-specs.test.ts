/**
 * What `poolscope bench` and `poolscope peers` run for the peers: alloc on every loaded peer and glibc
 * at the three sizes, producer-consumer on each, without duplicates.
 */
import { describe, expect, it } from 'vitest';
import { probeAllocatorPeers } from '../lib/peers/allocators.js';
import { peerSuiteSpecs, peersRunSpecs } from '../lib/peers/suite-specs.js';

describe('peerSuiteSpecs', () => {
  const loaded = probeAllocatorPeers().flatMap((p) => (p.state === 'loaded' ? [p.name] : []));

  it('runs alloc on glibc and every peer that loads at 64 B, 4 KiB, 64 KiB, and K at 64 B', () => {
    const specs = peerSuiteSpecs([], 16);
    for (const pool of ['malloc', ...loaded]) {
      for (const objectSize of [64, 4096, 65536]) {
        expect(specs).toContainEqual({ scenario: 'alloc', pool, threads: 1, objectSize, batch: 1 });
      }
      expect(specs).toContainEqual({ scenario: 'alloc', pool, threads: 1, objectSize: 64, batch: 16 });
      expect(specs).toContainEqual({ scenario: 'producer-consumer', pool, threads: 2, objectSize: 64 });
    }
    const notLoaded = probeAllocatorPeers().filter((p) => p.state !== 'loaded');
    for (const p of notLoaded) expect(specs.some((s) => s.pool === p.name)).toBe(false);
    expect(specs).toContainEqual({ scenario: 'get-put', pool: 'sync', threads: 1, objectSize: 4096 });
  });

  it('leaves out what the suite already runs (defaults filled in)', () => {
    const specs = peerSuiteSpecs(
      [
        { scenario: 'alloc', pool: 'malloc', batch: 1, threads: 1 },
        { scenario: 'get-put', threads: 1 },
        { scenario: 'producer-consumer', pool: 'malloc', threads: 2 },
      ],
      16,
    );
    expect(specs).not.toContainEqual({ scenario: 'producer-consumer', pool: 'malloc', threads: 2, objectSize: 64 });
    expect(specs).not.toContainEqual({ scenario: 'alloc', pool: 'malloc', threads: 1, objectSize: 64, batch: 1 });
    expect(specs).not.toContainEqual({ scenario: 'get-put', pool: 'sync', threads: 1, objectSize: 64 });
    expect(specs).toContainEqual({ scenario: 'alloc', pool: 'malloc', threads: 1, objectSize: 64, batch: 16 });
  });

  it('peers runs producer-consumer on glibc and every loaded peer at each size, beside poolscope', () => {
    const sizes = [64, 4096];
    const specs = peersRunSpecs({
      objectSizes: sizes,
      batch: 32,
      clearEvery: 4096,
      reference: true,
      allocatorPools: ['malloc', 'jemalloc', 'tcmalloc', 'mimalloc'],
    });
    for (const objectSize of sizes) {
      for (const pool of ['sync', 'malloc', ...loaded]) {
        expect(specs).toContainEqual({ scenario: 'producer-consumer', pool, threads: 2, objectSize });
      }
    }
    const none = peersRunSpecs({
      objectSizes: [64],
      batch: 32,
      clearEvery: 4096,
      reference: false,
      allocatorPools: [],
    });
    expect(none).toEqual([]);
  });
});
