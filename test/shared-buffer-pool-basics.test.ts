import { describe, expect, it } from 'vitest';
import { SharedBufferPool } from '../lib/shared-buffer-pool.js';
import { closedAfterEachTest } from './fixtures/shared-buffer-pools.js';

const make = closedAfterEachTest();

describe('SharedBufferPool in one thread', () => {
  it('hands out distinct blocks of blockSize bytes and takes them back', () => {
    const pool = make(4096, 8);
    const held = Array.from({ length: 8 }, () => pool.acquire());
    for (const b of held) expect(b.length).toBe(4096);
    expect(new Set(held.map((b) => pool.indexOf(b))).size).toBe(8);
    for (const [k, b] of held.entries()) b.fill(k);
    for (const [k, b] of held.entries()) expect(b.every((x) => x === k)).toBe(true);
    for (const b of held) pool.release(b);
    expect(pool.stats()).toMatchObject({ inUse: 0, free: 8, acquires: 8, releases: 8, threads: 1 });
  });

  it('reuses the same Buffer object for a block (no allocation in steady state)', () => {
    const pool = make(64, 4, { threadCacheSize: 4 });
    const a = pool.acquire();
    pool.release(a);
    expect(pool.acquire()).toBe(a);
  });

  it('exhaustion: acquire() throws ERR_POOL_EXHAUSTED, tryAcquire() returns undefined', () => {
    const pool = make(16, 3);
    const held = [pool.acquire(), pool.acquire(), pool.acquire()];
    expect(pool.tryAcquire()).toBeUndefined();
    expect(() => pool.acquire()).toThrow(expect.objectContaining({ code: 'ERR_POOL_EXHAUSTED' }));
    pool.release(held.pop() as Buffer);
    expect(pool.tryAcquire()).toBeInstanceOf(Buffer);
  });

  it('counts in-use and free blocks, and this thread’s exact counts', () => {
    const pool = make(32, 16);
    const a = pool.acquire();
    const b = pool.acquire();
    pool.release(a);
    const s = pool.stats();
    expect(s).toMatchObject({ kind: 'shared-buffer', blocks: 16, blockSize: 32, inUse: 1, free: 15 });
    expect(s.threadAcquires).toBe(2);
    expect(s.threadReleases).toBe(1);
    expect(s.cachedInThreads + s.freeInPool).toBe(15);
    pool.release(b);
  });

  it('keeps at most threadCacheSize free blocks in a thread, moving them in batches', () => {
    const pool = make(64, 64, { threadCacheSize: 4 });
    const held = Array.from({ length: 20 }, () => pool.acquire());
    for (const b of held) pool.release(b);
    const s = pool.stats();
    expect(s.cachedInThreads).toBeLessThanOrEqual(4);
    expect(s.freeInPool).toBe(64 - s.cachedInThreads);
    // 20 blocks in batches of 2 (half the cache) each way: ten refills, at least eight flushes
    expect(s.refills).toBe(10);
    expect(s.flushes).toBeGreaterThanOrEqual(8);
    expect(s.threadAcquires).toBe(20);
    expect(s.threadReleases).toBe(20);
  });

  it('indexOf and fromIndex move a held block as a number', () => {
    const pool = make(128, 4);
    const a = pool.acquire();
    a.write('payload');
    const i = pool.indexOf(a);
    const again = pool.fromIndex(i);
    expect(again.toString('utf8', 0, 7)).toBe('payload');
    pool.release(again);
  });

  it('validates options, naming the field and the accepted values', () => {
    expect(() => new SharedBufferPool({ blockSize: 0, blocks: 1 })).toThrow(
      /options.blockSize must be an integer from 1 to 1073741824 \(received 0\)/,
    );
    expect(() => new SharedBufferPool({ blockSize: 8, blocks: 2 ** 24 + 1 })).toThrow(RangeError);
    expect(() => new SharedBufferPool({ blockSize: '8', blocks: 1 } as never)).toThrow(TypeError);
    expect(() => new SharedBufferPool({ blockSize: 8, blocks: 1, releaseCheck: 'maybe' } as never)).toThrow(
      /options.releaseCheck must be one of 'atomic', 'plain'/,
    );
    expect(() => new SharedBufferPool({ blockSize: 8, blocks: 1, blocksize: 3 } as never)).toThrow(
      /not a known option/,
    );
    expect(() => SharedBufferPool.attach({ kind: 'other' } as never)).toThrow(TypeError);
  });
});
