/** What `poolscope bench` adds for the peers: alloc on every loaded peer and glibc at the three sizes, without duplicates. */
import { describe, expect, it } from 'vitest';
import { probeAllocatorPeers } from '../lib/peers/allocators.js';
import { peerSuiteSpecs } from '../lib/peers/suite-specs.js';

describe('peerSuiteSpecs', () => {
  const loaded = probeAllocatorPeers().flatMap((p) => (p.state === 'loaded' ? [p.name] : []));

  it('runs alloc on glibc and every peer that loads at 64 B, 4 KiB, 64 KiB, and K at 64 B', () => {
    const specs = peerSuiteSpecs([], 16);
    for (const pool of ['malloc', ...loaded]) {
      for (const objectSize of [64, 4096, 65536]) {
        expect(specs).toContainEqual({ scenario: 'alloc', pool, threads: 1, objectSize, batch: 1 });
      }
      expect(specs).toContainEqual({ scenario: 'alloc', pool, threads: 1, objectSize: 64, batch: 16 });
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
      ],
      16,
    );
    expect(specs).not.toContainEqual({ scenario: 'alloc', pool: 'malloc', threads: 1, objectSize: 64, batch: 1 });
    expect(specs).not.toContainEqual({ scenario: 'get-put', pool: 'sync', threads: 1, objectSize: 64 });
    expect(specs).toContainEqual({ scenario: 'alloc', pool: 'malloc', threads: 1, objectSize: 64, batch: 16 });
  });
});
