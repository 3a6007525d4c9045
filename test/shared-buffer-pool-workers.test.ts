import { once } from 'node:events';
import { MessageChannel, type TransferListItem, type Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { spawnWorker } from '../lib/internal/worker-entry.js';
import { SharedBufferPool } from '../lib/shared-buffer-pool.js';

function start(workerData: object, transferList: TransferListItem[] = []): Worker {
  return spawnWorker(import.meta.url, './shared-buffer-pool-worker', { workerData, transferList } as never);
}

async function result<T>(w: Worker): Promise<T> {
  const [msg] = (await Promise.race([once(w, 'message'), once(w, 'error').then(([e]) => Promise.reject(e))])) as [T];
  return msg;
}

describe.each(['atomic', 'plain'] as const)(
  'SharedBufferPool across worker threads (releaseCheck %s)',
  (releaseCheck) => {
    it('two workers and the main thread never get the same block at once', async () => {
      // few blocks, so the threads compete and exhaust the pool now and then
      const pool = new SharedBufferPool({ blockSize: 64, blocks: 12, threadCacheSize: 2, releaseCheck });
      const ms = 400;
      const workers = [1, 2].map((id) => start({ mode: 'stress', handle: pool.handle, id, ms }));
      await Promise.all(workers.map((w) => result<string>(w))); // both attached and waiting
      const done = workers.map((w) => result<{ mismatches: number; acquired: number; threadAcquires: number }>(w));
      for (const w of workers) w.postMessage('go');
      // the main thread stresses too, yielding now and then
      let mainMismatches = 0;
      const end = Date.now() + ms;
      for (let r = 0; Date.now() < end; r++) {
        const b = pool.tryAcquire();
        if (b === undefined) {
          await new Promise((res) => setImmediate(res));
          continue;
        }
        b.writeUInt32LE(99, 0);
        b.writeUInt32LE(r, 4);
        if (r % 50 === 0) await new Promise((res) => setImmediate(res));
        if (b.readUInt32LE(0) !== 99 || b.readUInt32LE(4) !== r) mainMismatches++;
        pool.release(b);
      }
      const results = await Promise.all(done);
      for (const w of workers) await w.terminate();
      expect(mainMismatches).toBe(0);
      for (const r of results) {
        expect(r.mismatches).toBe(0);
        expect(r.acquired).toBeGreaterThan(0);
        expect(r.threadAcquires).toBe(r.acquired);
      }
      const s = pool.stats();
      expect(s.inUse).toBe(0);
      expect(s.free).toBe(12);
      expect(s.acquires).toBe(s.releases);
      expect(s.acquires).toBeGreaterThanOrEqual(results.reduce((n, r) => n + r.acquired, 0));
      pool.close();
    });

    it('hands blocks from one worker to another by index, zero copy', async () => {
      const pool = new SharedBufferPool({ blockSize: 64, blocks: 8, releaseCheck });
      const { port1, port2 } = new MessageChannel();
      const count = 200; // more than the pool has: the producer waits for the consumer's releases
      const consumer = start({ mode: 'consume', handle: pool.handle, id: 2, count, port: port2 }, [port2]);
      const producer = start({ mode: 'produce', handle: pool.handle, id: 1, count, port: port1 }, [port1]);
      const [c, p] = await Promise.all([
        result<{ received: number; bad: number }>(consumer),
        result<{ sent: number }>(producer),
      ]);
      await Promise.all([consumer.terminate(), producer.terminate()]);
      expect(p.sent).toBe(count);
      expect(c).toEqual({ received: count, bad: 0 });
      expect(pool.stats()).toMatchObject({ inUse: 0, free: 8 });
      pool.close();
    });
  },
);
