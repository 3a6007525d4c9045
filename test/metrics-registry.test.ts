import { once } from 'node:events';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Counters } from '../lib/counters/index.js';
import { spawnWorker } from '../lib/internal/worker-entry.js';
import { registerMetrics } from '../lib/prometheus.js';
import { SharedBufferPool } from '../lib/shared-buffer-pool.js';
import { SyncPool } from '../lib/sync-pool.js';
import { parseExposition, sampleValue } from './metrics-text.js';

describe('registerMetrics', () => {
  it('exposes SyncPool statistics at scrape time, in the text format', async () => {
    const registry = new Registry();
    const pool = new SyncPool({ create: () => ({}), maxSize: 1 });
    registerMetrics(registry, { pools: { objects: pool } });
    const a = pool.get();
    const b = pool.get();
    pool.put(a);
    pool.put(b); // dropped: maxSize 1
    pool.get();
    pool.clear();
    const p = parseExposition(await registry.metrics());
    expect(p.types.get('poolscope_sync_pool_gets_total')).toBe('counter');
    expect(sampleValue(p, 'poolscope_sync_pool_gets_total', { pool: 'objects', source: 'new' })).toBe(2);
    expect(sampleValue(p, 'poolscope_sync_pool_gets_total', { pool: 'objects', source: 'primary' })).toBe(1);
    expect(sampleValue(p, 'poolscope_sync_pool_gets_total', { pool: 'objects', source: 'victim' })).toBe(0);
    expect(sampleValue(p, 'poolscope_sync_pool_puts_total', { pool: 'objects' })).toBe(1);
    expect(sampleValue(p, 'poolscope_sync_pool_drops_total', { pool: 'objects' })).toBe(1);
    expect(sampleValue(p, 'poolscope_sync_pool_rotations_total', { pool: 'objects' })).toBe(1);
    // values change between scrapes without anything being re-registered
    pool.put({});
    const q = parseExposition(await registry.metrics());
    expect(sampleValue(q, 'poolscope_sync_pool_cached', { pool: 'objects', cache: 'primary' })).toBe(1);
  });

  it('SharedBufferPool block states add up to the capacity; acquires and releases count every thread', async () => {
    const registry = new Registry();
    const pool = new SharedBufferPool({ blockSize: 256, blocks: 32 });
    registerMetrics(registry, { prefix: 'svc_', pools: { bodies: pool } });
    const held = [pool.acquire(), pool.acquire(), pool.acquire()];
    pool.release(held.pop() as Buffer);
    const p = parseExposition(await registry.metrics());
    const byState = (state: string) => sampleValue(p, 'svc_buffer_pool_blocks', { pool: 'bodies', state });
    expect(byState('in_use')).toBe(2);
    expect(byState('in_use') + byState('cached') + byState('in_pool')).toBe(
      sampleValue(p, 'svc_buffer_pool_capacity_blocks', { pool: 'bodies' }),
    );
    expect(sampleValue(p, 'svc_buffer_pool_capacity_blocks', { pool: 'bodies' })).toBe(32);
    expect(sampleValue(p, 'svc_buffer_pool_block_size_bytes', { pool: 'bodies' })).toBe(256);
    expect(sampleValue(p, 'svc_buffer_pool_acquires_total', { pool: 'bodies' })).toBe(3);
    expect(sampleValue(p, 'svc_buffer_pool_releases_total', { pool: 'bodies' })).toBe(1);
    expect(sampleValue(p, 'svc_buffer_pool_threads', { pool: 'bodies' })).toBe(1);
    // nothing was flushed back yet: every block the native pool handed out is held or in this thread's cache
    const nativeGets = ['private', 'shared', 'steal', 'victim', 'new'].map((source) =>
      sampleValue(p, 'svc_buffer_pool_native_gets_total', { pool: 'bodies', source }),
    );
    expect(nativeGets.reduce((a, b) => a + b, 0)).toBe(byState('in_use') + byState('cached'));
    for (const b of held) pool.release(b);
    pool.close();
    // a pool closed in this thread reports nothing (and the scrape still works)
    const q = parseExposition(await registry.metrics());
    expect(q.samples.filter((s) => s.labels.pool === 'bodies')).toEqual([]);
  });

  it('sums a SyncPool kept in several workers through their shared statistics buffers', async () => {
    const registry = new Registry();
    const buffers = [SyncPool.createSharedStats(), SyncPool.createSharedStats()];
    registerMetrics(registry, { pools: { perWorker: buffers } });
    const workers = buffers.map((sharedStats, k) =>
      spawnWorker(import.meta.url, './metrics-worker', { workerData: { sharedStats, gets: 10 * (k + 1) } }),
    );
    await Promise.all(workers.map((w) => once(w, 'message')));
    await Promise.all(workers.map((w) => w.terminate()));
    const p = parseExposition(await registry.metrics());
    // each worker: 1 miss, then hits; 10 + 20 gets in all
    expect(sampleValue(p, 'poolscope_sync_pool_gets_total', { pool: 'perWorker', source: 'new' })).toBe(2);
    expect(sampleValue(p, 'poolscope_sync_pool_gets_total', { pool: 'perWorker', source: 'primary' })).toBe(28);
    expect(sampleValue(p, 'poolscope_sync_pool_puts_total', { pool: 'perWorker' })).toBe(30);
  });

  it('exposes counter readings of the Counters it is given', async () => {
    const registry = new Registry();
    const counters = Counters.open(['task-clock', 'cycles']);
    registerMetrics(registry, { counters: { loop: counters } });
    counters.start();
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    const p = parseExposition(await registry.metrics());
    const taskClock = counters.events.find((e) => e.name === 'task-clock');
    if (taskClock?.state === 'counted') {
      // task-clock is time: seconds (the base unit), in its own family; perf counted nanoseconds
      const seconds = sampleValue(p, 'poolscope_perf_event_seconds', { counters: 'loop', event: 'task-clock' });
      expect(seconds).toBeGreaterThan(0);
      const ns = counters.read().find((r) => r.name === 'task-clock')?.scaled ?? 0;
      expect(seconds).toBeLessThanOrEqual(ns / 1e9); // read later: at least as much time
      expect(seconds).toBeGreaterThan(ns / 1e9 / 1e3); // not nanoseconds
      expect(p.samples.some((s) => s.name === 'poolscope_perf_events' && s.labels.event === 'task-clock')).toBe(false);
      const ratio = sampleValue(p, 'poolscope_perf_event_running_ratio', { counters: 'loop', event: 'task-clock' });
      expect(ratio).toBeGreaterThan(0);
      expect(ratio).toBeLessThanOrEqual(1);
    }
    // events this machine cannot count are left out, not reported as 0
    const cycles = counters.events.find((e) => e.name === 'cycles');
    if (cycles?.state !== 'counted') {
      expect(p.samples.some((s) => s.labels.event === 'cycles')).toBe(false);
    }
    counters.stop();
    counters.close();
  });

  it('reads each pool once per scrape, so the metrics of one scrape agree', async () => {
    const registry = new Registry();
    const pool = new SharedBufferPool({ blockSize: 64, blocks: 8 });
    let reads = 0;
    const counted = {
      stats: () => {
        reads++;
        return pool.stats();
      },
    };
    registerMetrics(registry, { pools: { counted } });
    await registry.metrics();
    expect(reads).toBe(1);
    await registry.metrics();
    expect(reads).toBe(2);
    pool.close();
  });

  it('validates its input and can be unregistered', () => {
    const registry = new Registry();
    expect(() => registerMetrics({} as never)).toThrow(/registry must be a prom-client Registry/);
    expect(() => registerMetrics(registry, { pools: { bad: 3 as never } })).toThrow(/options.pools.bad must be/);
    expect(() => registerMetrics(registry, { prefix: '9x' })).toThrow(/options.prefix/);
    expect(() => registerMetrics(registry, { counters: { c: {} as never } })).toThrow(/options.counters.c must be/);
    const r = registerMetrics(registry, { pools: {} });
    expect(() => registerMetrics(registry)).toThrow(/already been registered/);
    r.unregister();
    expect(registry.getMetricsAsArray()).toEqual([]);
    registerMetrics(registry); // free again
  });
});
