import { describe, expect, it } from 'vitest';
import { SyncPool } from '../lib/sync-pool.js';

describe('SyncPool get/put (Go semantics)', () => {
  it('calls create when empty and reuses what was put', () => {
    let made = 0;
    const pool = new SyncPool({ create: () => ({ id: ++made }) });
    const a = pool.get();
    expect(a.id).toBe(1);
    pool.put(a);
    expect(pool.get()).toBe(a);
    expect(pool.get().id).toBe(2);
    const s = pool.stats();
    expect(s).toMatchObject({ kind: 'sync', hitsPrimary: 1, hitsVictim: 0, misses: 2, puts: 1, drops: 0 });
  });

  it('ignores put(null) and put(undefined), as Go ignores Put(nil)', () => {
    const pool = new SyncPool<object | null | undefined>({ create: () => ({}) });
    pool.put(null);
    pool.put(undefined);
    expect(pool.stats()).toMatchObject({ puts: 0, drops: 0, primarySize: 0 });
  });

  it('runs reset on put, before the object can be handed out again', () => {
    const pool = new SyncPool({ create: () => ({ items: [] as number[] }), reset: (o) => o.items.splice(0) });
    const o = pool.get();
    o.items.push(1, 2, 3);
    pool.put(o);
    expect(o.items).toEqual([]);
    expect(pool.get()).toBe(o);
  });

  it('drops puts beyond maxSize and counts them', () => {
    const pool = new SyncPool({ create: () => ({}), maxSize: 2 });
    for (let i = 0; i < 5; i++) pool.put({});
    expect(pool.stats()).toMatchObject({ puts: 2, drops: 3, primarySize: 2 });
  });

  it('maxSize 0 caches nothing', () => {
    const pool = new SyncPool({ create: () => ({}), maxSize: 0 });
    const o = pool.get();
    pool.put(o);
    expect(pool.get()).not.toBe(o);
  });

  it('clear() moves the primary cache to the victim; a second clear() drops it', () => {
    const pool = new SyncPool({ create: () => ({}) });
    const a = {};
    const b = {};
    pool.put(a);
    pool.put(b);
    pool.clear();
    expect(pool.stats()).toMatchObject({ primarySize: 0, victimSize: 2, rotations: 1 });
    const c = {};
    pool.put(c);
    // primary first, then the victim
    expect(pool.get()).toBe(c);
    expect(pool.get()).toBe(b);
    pool.clear();
    pool.clear();
    const fresh = pool.get();
    expect(fresh).not.toBe(a);
    expect(pool.stats()).toMatchObject({ hitsPrimary: 1, hitsVictim: 1, misses: 1 });
  });

  it('rejects a create() that returns nothing', () => {
    const pool = new SyncPool({ create: () => undefined as unknown as object });
    expect(() => pool.get()).toThrow(TypeError);
  });
});
