import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { NativePool, type NativePoolStats, type RunLoopResult } from '../lib/pool.js';
import { ask, call, startPoolWorker } from './pool-worker-client.js';

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});
function start(): Worker {
  const w = startPoolWorker();
  workers.push(w);
  return w;
}

describe('NativePool shared by worker threads', () => {
  it('adds up the statistics of loops run in two workers', async () => {
    const pool = NativePool.create({ objectSize: 64, layout: 'pad128', publish: 'xadd' });
    try {
      const [a, b] = [start(), start()];
      await Promise.all([a, b].map((w) => call(w, { cmd: 'attach', id: pool.id })));
      const results = await Promise.all([
        call<RunLoopResult>(a, { cmd: 'runLoop', options: { scenario: 'batch', ops: 64_000, batch: 32 } }),
        call<RunLoopResult>(b, { cmd: 'runLoop', options: { scenario: 'get-put', ops: 50_000 } }),
      ]);
      expect(results.map((r) => r.ops)).toEqual([64_000, 50_000]);
      const total = pool.stats();
      const fromWorkers = await call<NativePoolStats>(a, { cmd: 'stats' });
      expect(fromWorkers).toEqual(total);
      expect(total.gets).toBe(114_000);
      expect(total.puts).toBe(114_000);
      const sum = (k: keyof NativePoolStats) => (results[0]?.stats[k] ?? 0) + (results[1]?.stats[k] ?? 0);
      for (const k of ['fromPrivate', 'fromShared', 'fromSteal', 'fromVictim', 'fromNew', 'drops'] as const) {
        expect(total[k]).toBe(sum(k));
      }
    } finally {
      pool.destroy();
    }
  });

  it('hands a block put in one worker to a get in another (a steal)', async () => {
    const pool = NativePool.create({ objectSize: 64 });
    try {
      const [a, b] = [start(), start()];
      await Promise.all([a, b].map((w) => call(w, { cmd: 'attach', id: pool.id })));
      const first = await call<bigint>(a, { cmd: 'get' });
      const second = await call<bigint>(a, { cmd: 'get' });
      await call(a, { cmd: 'put', block: first }); // worker a's private slot
      await call(a, { cmd: 'put', block: second }); // worker a's shared chain: stealable
      const got = await call<bigint>(b, { cmd: 'get' });
      expect(got).toBe(second);
      expect(pool.stats()).toMatchObject({ fromNew: 2, fromSteal: 1 });
      // b may give it back; a block is only put once.
      await call(b, { cmd: 'put', block: got });
      const again = await ask(a, { cmd: 'put', block: second });
      expect(again).toMatchObject({ ok: false, name: 'RangeError' });
    } finally {
      pool.destroy();
    }
  });

  it('lets a loop finish on a pool destroyed meanwhile, then refuses the id', async () => {
    const pool = NativePool.create({ objectSize: 64, pool: 'mutex' });
    const w = start();
    await call(w, { cmd: 'attach', id: pool.id });
    const ops = 10_000_000;
    const running = call<RunLoopResult>(w, { cmd: 'runLoop', options: { scenario: 'get-put', ops } });
    await new Promise((r) => setTimeout(r, 30));
    pool.destroy();
    const r = await running;
    expect(r.ops).toBe(ops);
    const after = await ask(w, { cmd: 'stats' });
    expect(after).toMatchObject({ ok: false, name: 'PoolError', code: 'ERR_POOL_DESTROYED' });
    expect(after.message).toContain(`pool ${pool.id}`);
  });
});
