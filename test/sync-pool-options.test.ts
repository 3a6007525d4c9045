import { describe, expect, it } from 'vitest';
import { readSharedStats, SyncPool } from '../lib/sync-pool.js';

describe('SyncPool options', () => {
  it('names the field and the accepted values', () => {
    expect(() => new SyncPool(undefined as never)).toThrow(/options must be an object/);
    expect(() => new SyncPool({} as never)).toThrow(/options.create must be a function \(received undefined\)/);
    expect(() => new SyncPool({ create: () => ({}), maxSize: -1 })).toThrow(RangeError);
    expect(() => new SyncPool({ create: () => ({}), maxSize: 1.5 })).toThrow(/options.maxSize must be an integer/);
    expect(() => new SyncPool({ create: () => ({}), reset: 3 as never })).toThrow(TypeError);
    expect(() => new SyncPool({ create: () => ({}), maxsize: 3 } as never)).toThrow(/options.maxsize is not a known/);
    expect(() => new SyncPool({ create: () => ({}), sharedStats: new SharedArrayBuffer(3) })).toThrow(
      /options.sharedStats must be a SharedArrayBuffer/,
    );
  });

  it('keeps statistics in a shared buffer another thread can read', () => {
    const sab = SyncPool.createSharedStats();
    const pool = new SyncPool({ create: () => ({}), sharedStats: sab });
    pool.put(pool.get());
    pool.get();
    expect(readSharedStats(sab)).toMatchObject({ misses: 1, puts: 1, hitsPrimary: 1 });
    expect(() => readSharedStats(new SharedArrayBuffer(8))).toThrow(TypeError);
  });
});
