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

describe('SharedBufferPool double release across threads', () => {
  it('a block released in a worker cannot be released again in the main thread', async () => {
    const pool = new SharedBufferPool({ blockSize: 64, blocks: 8 });
    const { port1, port2 } = new MessageChannel();
    const consumer = start({ mode: 'consume', handle: pool.handle, id: 2, count: 1, port: port2 }, [port2]);
    const block = pool.acquire();
    block.write('block-0');
    block.writeUInt32LE(0, 60);
    port1.postMessage(pool.indexOf(block)); // the worker takes it and releases it
    expect(await result<{ received: number; bad: number }>(consumer)).toEqual({ received: 1, bad: 0 });
    await consumer.terminate();
    expect(() => pool.release(block)).toThrow(expect.objectContaining({ code: 'ERR_BLOCK_NOT_HELD' }));
    port1.close();
    pool.close();
  });

  // The main thread hands a block on (indexOf) and releases it itself, while the worker claims it
  // (fromIndex) and releases it. With releaseCheck 'plain' this fails now and then (both may
  // win; the block is then cached twice), which is what that option gives up; the spin loops
  // have a deadline so a dead worker fails the test.
  const releaseCheck = 'atomic' as const;
  it(`releaseCheck '${releaseCheck}': of two threads claiming one handed-on block at the same instant, exactly one wins`, async () => {
    const pool = new SharedBufferPool({ blockSize: 64, blocks: 16, threadCacheSize: 4, releaseCheck });
    const rounds = 100;
    const ctlBuffer = new SharedArrayBuffer(6 * 4);
    const ctl = new Int32Array(ctlBuffer);
    const worker = start({ mode: 'race', handle: pool.handle, id: 2, count: rounds, ctl: ctlBuffer });
    const finished = result<string>(worker);
    const deadline = Date.now() + 20_000;
    const alive = (): void => {
      if (Date.now() > deadline) throw new Error('the race worker stopped answering');
    };
    let mainWins = 0;
    let mainRefusals = 0;
    for (let r = 1; r <= rounds; r++) {
      const block = pool.acquire();
      Atomics.store(ctl, 1, pool.indexOf(block));
      Atomics.store(ctl, 0, r);
      Atomics.notify(ctl, 0);
      Atomics.add(ctl, 2, 1);
      while (Atomics.load(ctl, 2) < 2 * r) alive(); // spin until the worker is there too
      try {
        pool.release(block);
        mainWins++;
      } catch (err) {
        expect((err as { code?: string }).code).toBe('ERR_BLOCK_NOT_HELD');
        mainRefusals++;
      }
      while (Atomics.load(ctl, 5) < r) {
        alive();
        Atomics.wait(ctl, 5, r - 1, 100);
      }
    }
    expect(await finished).toBe('raced');
    await worker.terminate();
    const workerWins = Atomics.load(ctl, 3);
    const workerRefusals = Atomics.load(ctl, 4);
    expect(mainWins + workerWins).toBe(rounds);
    expect(mainRefusals + workerRefusals).toBe(rounds);
    const s = pool.stats();
    expect(s.inUse).toBe(0);
    expect(s.free).toBe(16);
    pool.close();
  });
});
