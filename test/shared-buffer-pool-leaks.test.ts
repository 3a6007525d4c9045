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

  it('a pool dropped without close() is freed once garbage-collected', async () => {
    const slabs = liveSlabCount();
    (() => {
      const pool = new SharedBufferPool({ blockSize: 4096, blocks: 16 });
      pool.acquire();
    })();
    await settle(() => liveSlabCount() === slabs);
    expect(liveSlabCount()).toBe(slabs);
  });

  it('a worker that exits without close() gives back its cached blocks and its reference', async () => {
    const pool = new SharedBufferPool({ blockSize: 64, blocks: 32, threadCacheSize: 8 });
    const w = spawnWorker(import.meta.url, './shared-buffer-pool-worker', {
      workerData: { mode: 'hold', handle: pool.handle, id: 1, count: 3 },
    });
    const [msg] = await once(w, 'message');
    expect(msg).toEqual({ holding: 3 });
    const during = pool.stats();
    expect(during.threads).toBe(2);
    expect(during.inUse).toBe(3);
    expect(during.cachedInThreads).toBeGreaterThan(0); // the worker's cache
    await w.terminate();
    const after = pool.stats();
    expect(after.threads).toBe(1);
    expect(after.cachedInThreads).toBe(0);
    expect(after.reclaimed).toBe(during.cachedInThreads);
    // blocks it held stay held: they might have been handed on by index
    expect(after.inUse).toBe(3);
    pool.close();
  });
});
