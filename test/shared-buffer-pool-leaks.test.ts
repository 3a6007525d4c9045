import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { spawnWorker } from '../lib/internal/worker-entry.js';
import { liveSlabCount, SharedBufferPool } from '../lib/shared-buffer-pool.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const fdCount = () => readdirSync('/proc/self/fd').length;
const mappings = () => readFileSync('/proc/self/maps', 'utf8').split('\n').length;

// Detached ArrayBuffers are freed by V8 later, and their finalizers run on a later turn.
async function settle(cond: () => boolean): Promise<void> {
  for (let k = 0; k < 200 && !cond(); k++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('SharedBufferPool releases what it takes', () => {
  it('create/close cycles leave no slab mapped and no fd open', async () => {
    const slabs = liveSlabCount();
    // 16 MiB slabs: 50 leaked would be 800 MiB of mappings and easy to see
    const warm = new SharedBufferPool({ blockSize: 1 << 16, blocks: 256 });
    warm.close();
    await settle(() => liveSlabCount() === slabs);
    const fds = fdCount();
    const maps = mappings();
    for (let k = 0; k < 50; k++) {
      const pool = new SharedBufferPool({ blockSize: 1 << 16, blocks: 256 });
      const b = pool.acquire();
      b.fill(1);
      pool.release(b);
      pool.close();
    }
    await settle(() => liveSlabCount() === slabs);
    expect(liveSlabCount()).toBe(slabs);
    expect(fdCount()).toBe(fds);
    expect(mappings()).toBeLessThan(maps + 10);
  });

  it('close() of the last thread unmaps the slab itself: 10,000 create/close cycles, no gc(), VmSize flat', async () => {
    const vmSize = () => Number(/VmSize:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;
    const slabs = liveSlabCount();
    const cycle = (): Buffer => {
      // 16 MiB of address space each: 10,000 left mapped until a GC would be 160 GB
      const pool = new SharedBufferPool({ blockSize: 1 << 20, blocks: 16 });
      const b = pool.acquire();
      b[0] = 1;
      pool.close();
      expect(liveSlabCount()).toBe(slabs); // unmapped there and then, not at some later GC
      return b;
    };
    for (let k = 0; k < 100; k++) cycle(); // warm up the allocator and the JIT
    const before = vmSize();
    let last: Buffer | undefined;
    for (let round = 0; round < 10; round++) {
      for (let k = 0; k < 1000; k++) last = cycle();
      // Node runs N-API finalizers (a few hundred bytes of bookkeeping per pool) on event-loop
      // turns, as any program has; no gc() is forced.
      await new Promise((r) => setImmediate(r));
    }
    const grown = vmSize() - before;
    expect(grown).toBeLessThan(64 * 1024 * 1024);
    expect(last?.length).toBe(0); // a kept block is detached, never dangling
  });

  it('a pool dropped without close() is freed once garbage-collected', async () => {
    const slabs = liveSlabCount();
    (() => {
      const pool = new SharedBufferPool({ blockSize: 4096, blocks: 16 });
      pool.acquire();
    })();
    await settle(() => liveSlabCount() === slabs);
    expect(liveSlabCount()).toBe(slabs);
  });

  it('a pool object collected without close() keeps the blocks it held: their Buffers may still be in use', async () => {
    const pool = new SharedBufferPool({ blockSize: 64, blocks: 4, threadCacheSize: 1 });
    const kept = (() => {
      const other = SharedBufferPool.attach(pool.handle); // a second attachment, dropped below
      const b = other.acquire();
      b.fill(7);
      return b;
    })();
    await settle(() => pool.stats().threads === 1);
    expect(pool.stats().threads).toBe(1); // the dropped attachment's finalizer ran
    expect(pool.stats().inUse).toBe(1); // the block `kept` is still held ...
    const rest = [pool.acquire(), pool.acquire(), pool.acquire()];
    expect(pool.tryAcquire()).toBeUndefined(); // ... so nobody else gets it
    for (const b of rest) b.fill(1);
    expect(kept.every((x) => x === 7)).toBe(true);
    for (const b of rest) pool.release(b);
    pool.close();
  });

  it('a worker that exits without close() gives back its cached and held blocks and its reference', async () => {
    const pool = new SharedBufferPool({ blockSize: 64, blocks: 32, threadCacheSize: 8 });
    const w = spawnWorker(import.meta.url, './shared-buffer-pool-worker', {
      workerData: { mode: 'hold', handle: pool.handle, id: 1, count: 3 },
    });
    const [msg] = (await once(w, 'message')) as [{ holding: number; handedOn: number }];
    expect(msg.holding).toBe(3);
    const during = pool.stats();
    expect(during.threads).toBe(2);
    expect(during.inUse).toBe(3);
    expect(during.cachedInThreads).toBeGreaterThan(0); // the worker's cache
    await w.terminate();
    const after = pool.stats();
    expect(after.threads).toBe(1);
    expect(after.cachedInThreads).toBe(0);
    // what it held comes back too (its views are gone, nobody else could release them) ...
    expect(after.reclaimed).toBe(during.cachedInThreads + 2);
    // ... but not the block it handed on by index: that one is whoever claims it
    expect(after.inUse).toBe(1);
    const claimed = pool.fromIndex(msg.handedOn);
    pool.release(claimed);
    expect(pool.stats().inUse).toBe(0);
    pool.close();
  });
});
