import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { CounterReading } from '../lib/counters/counters.js';
import { spawnWorker } from '../lib/internal/worker-entry.js';
import { expectNoPerfEventOpen, PORTABLE } from './fixtures/platform.js';

async function result(worker: ReturnType<typeof spawnWorker>): Promise<CounterReading[]> {
  for (;;) {
    const [msg] = (await once(worker, 'message')) as [{ readings?: CounterReading[] }];
    if (msg.readings !== undefined) return msg.readings;
  }
}

const value = (rs: CounterReading[], name: string) => rs.find((r) => r.name === name)?.value ?? Number.NaN;

describe('counters in worker threads', () => {
  it('count context switches in a worker that sleeps in a loop', async () => {
    const worker = spawnWorker(import.meta.url, './counters-fixture-worker', { workerData: { mode: 'sleep' } });
    try {
      const readings = await result(worker);
      // the worker loads its own instance of the addon: the same platform layer as this thread
      if (PORTABLE) expectNoPerfEventOpen(readings.find((r) => r.name === 'context-switches'));
      // 30 sleeps of 1 ms: each one blocks the thread, a voluntary context switch
      else expect(value(readings, 'context-switches')).toBeGreaterThanOrEqual(25);
    } finally {
      await worker.terminate();
    }
  });

  it('count only their own thread: a waiting worker does not see another worker spin', async () => {
    const flag = new SharedArrayBuffer(4);
    const waiter = spawnWorker(import.meta.url, './counters-fixture-worker', { workerData: { mode: 'wait', flag } });
    try {
      await once(waiter, 'message'); // ready: its counters are started
      const spinner = spawnWorker(import.meta.url, './counters-fixture-worker', {
        workerData: { mode: 'spin', ms: 100 },
      });
      const spun = await result(spinner);
      await spinner.terminate();
      Atomics.store(new Int32Array(flag), 0, 1);
      Atomics.notify(new Int32Array(flag), 0);
      const waited = await result(waiter);
      if (PORTABLE) {
        // no per-thread CPU time without perf_event_open: both workers report task-clock not-supported
        expectNoPerfEventOpen(spun.find((r) => r.name === 'task-clock'));
        expectNoPerfEventOpen(waited.find((r) => r.name === 'task-clock'));
        return;
      }
      expect(value(spun, 'task-clock')).toBeGreaterThan(90e6);
      // the waiter was blocked the whole time: a few ms at most of its own CPU
      expect(value(waited, 'task-clock')).toBeLessThan(20e6);
    } finally {
      await waiter.terminate();
    }
  });
});
