/**
 * poolscope's own pool as the peers run measures it (the table's reference):
 * named like the harness names it, and in producer-consumer every get is a
 * steal (or new) and every object arrives exactly once.
 */
import { describe, expect, it } from 'vitest';
import { runPoolscopeReference } from '../lib/peers/reference.js';

describe('runPoolscopeReference', () => {
  const results = runPoolscopeReference({ objectSizes: [64, 4096], repeats: 2, sampleMs: 2 });

  it('measures get-put, batch K and producer-consumer at each size, named like the harness', () => {
    const names = results.map((r) => r.name);
    expect(names).toContain('GetPut/pool=sync/layout=pad128/publish=xadd');
    expect(names).toContain('Batch/pool=sync/layout=pad128/publish=cas/batch=32/objectSize=4096');
    expect(names).toContain('ProducerConsumer/pool=sync/layout=pad128/publish=xadd/objectSize=4096');
    for (const r of results) {
      expect(r.params.pool).toBe('sync');
      expect(r.samples).toHaveLength(2);
      expect(r.samples.every((s) => s.ops > 0 && s.elapsedNs > 0)).toBe(true);
    }
  });

  it('gc-churn: clear() every 4096 operations with the victim cache on, every get accounted for', () => {
    const gc = results.filter((r) => r.params.scenario === 'gc-churn');
    expect(gc.map((r) => r.name)).toEqual([
      'GcChurn/pool=sync/layout=pad128/publish=xadd/victim=true/clearEvery=4096',
      'GcChurn/pool=sync/layout=pad128/publish=xadd/victim=true/clearEvery=4096/objectSize=4096',
    ]);
    for (const r of gc) {
      expect(r.params).toMatchObject({ victim: true, clearEvery: 4096, threads: 1 });
      for (const s of r.samples) {
        const src = s.sources;
        expect(src && src.private + src.shared + src.steal + src.victim + src.new).toBe(s.ops);
      }
    }
  });

  it('producer-consumer: two threads, every get served by a steal, a victim or a new object', () => {
    const pc = results.filter((r) => r.params.scenario === 'producer-consumer');
    expect(pc).toHaveLength(2);
    for (const r of pc) {
      expect(r.params.threads).toBe(2);
      for (const s of r.samples) {
        const src = s.sources;
        expect(src).toBeDefined();
        // ops count a get on the producer and a put on the consumer per object, as the harness counts them.
        if (src) expect(src.steal + src.new + src.victim).toBe(s.ops / 2);
        expect(s.nsPerOp).toBeCloseTo((s.elapsedNs * 2) / s.ops, 6); // wall time per object moved
      }
    }
  });

  it('producer-consumer: once warm, the producer steals nearly every object, each arriving exactly once', async () => {
    const { nativeAddon } = await import('../lib/binding.js');
    const a = nativeAddon<{
      peersRunProducerConsumer(o: object): {
        ops: number;
        steals: number;
        news: number;
        orderErrors: number;
        consumed: number;
      };
    }>();
    const r = a.peersRunProducerConsumer({ objectSize: 64, ops: 20_000 });
    expect(r.ops).toBe(20_000);
    expect(r.consumed).toBe(20_000);
    expect(r.orderErrors).toBe(0);
    // At most the ring's capacity (256) of objects are in flight, so only the first few hundred gets are new.
    expect(r.steals).toBeGreaterThan(r.ops / 2);
  });

  it('rejects a scenario the core does not run, naming the accepted ones', async () => {
    const { nativeAddon } = await import('../lib/binding.js');
    const a = nativeAddon<{ peersRunPool(o: object): unknown }>();
    expect(() =>
      a.peersRunPool({
        pool: 'sync',
        layout: 'pad128',
        publish: 'xadd',
        scenario: 'steal',
        objectSize: 64,
        ops: 1,
        batch: 1,
      }),
    ).toThrow(/scenario must be one of 'get-put', 'batch'/);
    expect(() =>
      a.peersRunPool({
        pool: 'hoard',
        layout: 'pad128',
        publish: 'xadd',
        scenario: 'get-put',
        objectSize: 64,
        ops: 1,
        batch: 1,
      }),
    ).toThrow(RangeError);
  });
});
