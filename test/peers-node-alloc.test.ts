/**
 * Node's allocation, measured into BenchmarkResults
 * for the results document (what is measured, not how fast: speed is for
 * the benchmark's ratios), and runPeers' option checks.
 */
import { describe, expect, it } from 'vitest';
import { NODE_POOLS, runNodeAllocation } from '../lib/peers/node-alloc.js';
import { runPeers } from '../lib/peers/run.js';

describe('runNodeAllocation', () => {
  it('measures every Node way at each size and K, named and parametrised for the document', () => {
    const results = runNodeAllocation({ objectSizes: [64, 4096], batches: [1, 32], repeats: 2, sampleMs: 1 });
    expect(results).toHaveLength(NODE_POOLS.length * 2 * 2);
    expect(NODE_POOLS).toContain('node-shared-buffer-pool');
    const names = results.map((r) => r.name);
    expect(names).toContain('Alloc/pool=node-alloc-unsafe/batch=1');
    expect(names).toContain('Alloc/pool=node-alloc/batch=32/objectSize=4096');
    expect(names).toContain('GetPut/pool=node-free-list');
    expect(names).toContain('Batch/pool=node-shared-buffer-pool/batch=32');
    expect(names).toContain('Batch/pool=node-sync-pool/batch=32/objectSize=4096');
    for (const r of results) {
      expect(r.params.pool.startsWith('node-')).toBe(true);
      expect(r.samples).toHaveLength(2);
      for (const s of r.samples) {
        expect(s.ops).toBeGreaterThan(0);
        expect(s.ops % ((r.params.batch as number | undefined) ?? 1)).toBe(0);
        expect(s.nsPerOp).toBeCloseTo(s.elapsedNs / s.ops, 6);
      }
      expect(r.summary.nsPerOp.n).toBe(2);
    }
  });
});

describe('runPeers options', () => {
  it('rejects unknown keys and out-of-range values, naming the field', async () => {
    await expect(runPeers({ repeat: 3 } as never)).rejects.toThrow(/repeat/);
    await expect(runPeers({ repeats: 0 })).rejects.toThrow(RangeError);
    await expect(runPeers({ repeats: 0 })).rejects.toThrow(
      /options\.repeats must be an integer from 1 to 1000 \(received 0\)/,
    );
    await expect(runPeers({ objectSizes: [64, 4] })).rejects.toThrow(
      /options\.objectSizes\[1\] must be an integer from 8/,
    );
    await expect(runPeers({ sampleMs: '20' as never })).rejects.toThrow(TypeError);
    await expect(runPeers({ batch: 1 })).rejects.toThrow(/options\.batch must be an integer from 2 to 4096/);
    await expect(runPeers({ allocatorPools: ['hoard' as never] })).rejects.toThrow(/options\.allocatorPools\[0\]/);
  });

  it('runs only the parts asked for and reports the status of every peer', async () => {
    const run = await runPeers({
      go: false,
      allocators: false,
      reference: false,
      batch: 8,
      repeats: 2,
      sampleMs: 1,
      objectSizes: [64],
    });
    expect(run.status.go).toEqual({ state: 'skipped' });
    expect(run.status.allocators.map((a) => a.name)).toEqual(['mimalloc', 'jemalloc', 'tcmalloc']);
    expect(run.benchmarks.every((b) => b.params.pool.startsWith('node-'))).toBe(true);
    expect(run.benchmarks.map((b) => b.name)).toContain('Batch/pool=node-free-list/batch=8');
    // Rounds are merged: one result per benchmark with every round's sample.
    expect(new Set(run.benchmarks.map((b) => b.name)).size).toBe(run.benchmarks.length);
    expect(run.benchmarks.every((b) => b.samples.length === 2 && b.summary.nsPerOp.n === 2)).toBe(true);
  });
});
