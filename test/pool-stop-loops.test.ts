/**
 * NativePool.runLoop with an op count that would run for weeks can be
 * stopped from another thread (stopLoops), like the harness's loops by their
 * run's stop flag; and the pool registry keeps nothing per destroyed id.
 */
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { PoolError } from '../lib/errors.js';
import { NativePool, type RunLoopResult } from '../lib/pool.js';
import { call, startPoolWorker } from './pool-worker-client.js';

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

describe('NativePool.stopLoops', () => {
  for (const scenario of ['get-put', 'batch'] as const) {
    it(`${scenario}: a loop asked for 2^52 ops returns with stopped: true and the ops it did`, async () => {
      const pool = NativePool.create({ objectSize: 64 });
      try {
        const w = startPoolWorker();
        workers.push(w);
        await call(w, { cmd: 'attach', id: pool.id });
        const running = call<RunLoopResult>(w, { cmd: 'runLoop', options: { scenario, ops: 2 ** 52, batch: 8 } });
        // Stop once the loop has visibly started (its puts show in the pool's counters).
        while (pool.stats().puts === 0) await new Promise((r) => setTimeout(r, 5));
        pool.stopLoops();
        const r = await running;
        expect(r.stopped).toBe(true);
        expect(r.ops).toBeGreaterThan(0);
        expect(r.ops).toBeLessThan(2 ** 52);
        expect(r.stats.puts).toBe(r.ops);
        // A loop started after the stop runs to its count.
        const next = await call<RunLoopResult>(w, { cmd: 'runLoop', options: { scenario, ops: 10_000, batch: 8 } });
        expect(next).toMatchObject({ ops: 10_000, stopped: false });
      } finally {
        pool.destroy();
      }
    });
  }

  it('a loop that was not stopped says so', () => {
    const pool = NativePool.create({ objectSize: 64 });
    try {
      expect(pool.runLoop({ scenario: 'get-put', ops: 1000 })).toMatchObject({ ops: 1000, stopped: false });
      expect(pool.runLoop({ scenario: 'get-put', ops: 0 })).toMatchObject({ ops: 0, stopped: false });
    } finally {
      pool.destroy();
    }
  });
});

describe('pool registry ids', () => {
  it('a destroyed id reads as destroyed long after, an id never issued as not found', () => {
    const first = NativePool.create({ objectSize: 64 });
    const firstId = first.id;
    first.destroy();
    let last = firstId;
    for (let i = 0; i < 2000; i++) {
      const p = NativePool.create({ objectSize: 64 });
      last = p.id;
      p.destroy();
    }
    const codeOf = (id: number) => {
      try {
        NativePool.attach(id);
      } catch (err) {
        expect(err).toBeInstanceOf(PoolError);
        return (err as PoolError).code;
      }
      return 'live';
    };
    expect(codeOf(firstId)).toBe('ERR_POOL_DESTROYED');
    expect(codeOf(last)).toBe('ERR_POOL_DESTROYED');
    expect(codeOf(2 ** 32 - 1)).toBe('ERR_POOL_NOT_FOUND');
  });
});
