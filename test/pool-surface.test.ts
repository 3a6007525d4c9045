import { afterEach, describe, expect, it } from 'vitest';
import { PoolError } from '../lib/errors.js';
import { NativePool, POOL_LAYOUTS, POOL_PUBLISH } from '../lib/pool.js';

const made: NativePool[] = [];
function create(options: Parameters<typeof NativePool.create>[0]): NativePool {
  const p = NativePool.create(options);
  made.push(p);
  return p;
}
afterEach(() => {
  for (const p of made.splice(0)) {
    try {
      p.destroy();
    } catch {
      // already destroyed by the test
    }
  }
});

describe('NativePool', () => {
  it('creates every sync layout × publish combination and the baselines, named like Go benchmarks', () => {
    for (const layout of POOL_LAYOUTS) {
      for (const publish of POOL_PUBLISH) {
        const p = create({ layout, publish, objectSize: 64 });
        expect(p.info).toMatchObject({ pool: 'sync', layout, publish, objectSize: 64 });
        expect(p.info.name).toBe(`pool=sync/layout=${layout}/publish=${publish}`);
      }
    }
    for (const pool of ['malloc', 'mutex', 'treiber'] as const) {
      expect(create({ pool, objectSize: 32 }).info.name).toBe(`pool=${pool}`);
    }
  });

  it('runs get-put on the private slot and batch through the shared chain', () => {
    const p = create({ objectSize: 64 });
    const gp = p.runLoop({ scenario: 'get-put', ops: 10_000 });
    expect(gp.ops).toBe(10_000);
    expect(gp.stats).toMatchObject({ fromNew: 1, fromPrivate: 9_999, gets: 10_000, puts: 10_000, drops: 0 });
    expect(gp.elapsedNs).toBeGreaterThan(0);
    expect(gp.nsPerOp).toBeCloseTo(gp.elapsedNs / gp.ops);

    const b = p.runLoop({ scenario: 'batch', ops: 3_200, batch: 32 });
    // Each round of 32: one block from the private slot, 31 from the thread's own ring (31 new the first time).
    expect(b.stats.fromPrivate).toBe(100);
    expect(b.stats.fromNew).toBe(31);
    expect(b.stats.fromShared).toBe(99 * 31);
    expect(p.stats().gets).toBe(13_200);
  });

  it('keeps victims for one clear() and drops them at the second', () => {
    const p = create({ objectSize: 64 });
    const a = p.get() as bigint;
    const b = p.get() as bigint;
    const c = p.get() as bigint;
    p.put(a); // the thread's private slot: survives clears (owner-only)
    p.put(b); // shared chain
    p.put(c);
    p.clear(); // b and c become victims
    const got = [p.get(), p.get(), p.get()];
    expect(got).toEqual([a, c, b]); // private, then the victim chain's head first
    expect(p.stats()).toMatchObject({ fromPrivate: 1, fromVictim: 2, fromNew: 3 });
    for (const g of got) p.put(g as bigint);
    p.clear();
    p.clear(); // the victims from the first of these are freed now
    expect(p.get()).toBe(a);
    p.get();
    p.get();
    expect(p.stats().fromNew).toBe(5);
  });

  it('attaches by id and fails clearly once destroyed', () => {
    const p = create({ pool: 'mutex', objectSize: 16 });
    const again = NativePool.attach(p.id);
    expect(again.info).toEqual(p.info);
    p.destroy();
    let caught: unknown;
    try {
      again.stats();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PoolError);
    expect((caught as PoolError).code).toBe('ERR_POOL_DESTROYED');
    expect((caught as Error).message).toContain(`pool ${p.id}`);
    expect(() => NativePool.attach(p.id)).toThrow(/destroyed/);
    expect(() => p.destroy()).toThrow(PoolError);
    expect(() => NativePool.attach(4_000_000_000)).toThrow(expect.objectContaining({ code: 'ERR_POOL_NOT_FOUND' }));
  });
});
