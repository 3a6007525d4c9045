/**
 * Pool statistics and counter readings as Prometheus metrics, for a
 * prom-client registry. Everything is read at scrape time (each metric's
 * `get()` reads the pools when the registry renders); there are no timers.
 *
 * prom-client is an optional peer dependency: this module only uses its
 * types, and registers plain objects that implement prom-client's metric
 * contract (`name`, `help`, `type`, `aggregator`, `get()`, `reset()`), so
 * importing poolscope never loads prom-client.
 *
 * Worker threads (prom-client has no worker_threads support of its own):
 *  - `SharedBufferPool` statistics are pool-wide (read natively from the
 *    shared slab), so the main thread's pool object reports every thread.
 *  - a `SyncPool` lives in one isolate; to see a worker's pool, create its
 *    statistics buffer in the main thread with `SyncPool.createSharedStats()`,
 *    pass it to the worker (it is a SharedArrayBuffer: `workerData` shares
 *    it, no copy) and give it to the worker's pool as `sharedStats`; list the
 *    buffer here. Several sources under one name are summed, e.g. one name
 *    for the same pool in every worker.
 */
import type { Registry } from 'prom-client';
import type { CounterReading } from './counters/counters.js';
import { SharedBufferPool, type SharedBufferPoolStats } from './shared-buffer-pool.js';
import { readSharedStats, SyncPool, type SyncPoolStats } from './sync-pool.js';
import { describeValue, expectObject, rejectUnknownKeys } from './validate.js';

/** Where a pool's statistics come from. */
export type PoolMetricsSource =
  /** A SyncPool or SharedBufferPool (or anything reporting one of their statistics shapes). */
  | { stats(): SyncPoolStats | SharedBufferPoolStats }
  /**
   * A SyncPool's `sharedStats` buffer (in this or another thread). Its cache
   * sizes are as of that pool's last GC rotation or stats() call; its counts
   * are current.
   */
  | SharedArrayBuffer;

/** Something whose counter readings can be read at scrape time: a `Counters` (read in the thread that opened it). */
export interface CounterSource {
  read(): CounterReading[];
}

/** Options of {@link registerMetrics}. */
export interface RegisterMetricsOptions {
  /** Prefix of every metric name. @default 'poolscope_' */
  prefix?: string;
  /** Pools by the `pool` label value; an array is summed (the same pool in several workers). */
  pools?: Record<string, PoolMetricsSource | readonly PoolMetricsSource[]>;
  /** Counters by the `counters` label value (e.g. one per service loop). */
  counters?: Record<string, CounterSource>;
}

/** What {@link registerMetrics} registered, to take it out again. */
export interface RegisteredMetrics {
  /** Metric names registered. */
  readonly names: readonly string[];
  /** Removes them from the registry. */
  unregister(): void;
}

type MetricType = 'counter' | 'gauge';
interface Sample {
  labels: Record<string, string>;
  value: number;
}
/**
 * prom-client's metric contract (Registry.registerMetric / metrics() / getMetricsAsJSON()).
 * `name` is prom-client's to change: an OpenMetrics registry strips a counter's `_total`
 * from it before rendering (and appends `_total` to every sample), so `get()` reports
 * `this.name` as it is then, never the name the metric was created with (that gave
 * `…_total_total` samples under a `…_total` TYPE line). `key` is the name it was registered
 * under, for taking it out again.
 */
class CollectedMetric {
  readonly aggregator = 'sum';
  readonly key: string;
  constructor(
    public name: string,
    readonly help: string,
    readonly type: MetricType,
    private readonly collect: () => Sample[],
  ) {
    this.key = name;
  }
  get(): { name: string; help: string; type: MetricType; aggregator: 'sum'; values: Sample[] } {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.collect() };
  }
  reset(): void {}
}

/** perf events that count time (nanoseconds), exported in seconds. */
const TIME_EVENT = /^(task-clock|cpu-clock)(:|$)/;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Registers poolscope's metrics in `registry` (a prom-client `Registry`,
 * e.g. `register` from prom-client). Metric names (with the default prefix):
 *
 * SyncPool, label `pool`:
 * - `poolscope_sync_pool_gets_total{source="primary"|"victim"|"new"}` counter
 * - `poolscope_sync_pool_puts_total`, `poolscope_sync_pool_drops_total`,
 *   `poolscope_sync_pool_rotations_total` counters
 * - `poolscope_sync_pool_cached{cache="primary"|"victim"}` gauge
 *
 * SharedBufferPool, label `pool`:
 * - `poolscope_buffer_pool_blocks{state="in_use"|"cached"|"in_pool"}` gauge
 *   (the three add up to the capacity)
 * - `poolscope_buffer_pool_capacity_blocks`, `poolscope_buffer_pool_block_size_bytes`,
 *   `poolscope_buffer_pool_threads` gauges
 * - `poolscope_buffer_pool_acquires_total`, `poolscope_buffer_pool_releases_total`,
 *   `poolscope_buffer_pool_batches_total{direction="refill"|"flush"}`,
 *   `poolscope_buffer_pool_native_gets_total{source="private"|"shared"|"steal"|"victim"|"new"}`,
 *   `poolscope_buffer_pool_reclaimed_blocks_total` counters
 *
 * Counters, labels `counters` and `event` (events that cannot be counted on
 * this machine are left out):
 * - `poolscope_perf_events` gauge: the current interval's count of each
 *   counting event, scaled for multiplexing
 * - `poolscope_perf_event_seconds` gauge: the time events (`task-clock`,
 *   `cpu-clock`) in seconds, the base unit (perf counts them in ns)
 * - `poolscope_perf_event_running_ratio` gauge: the fraction of the interval
 *   the event really counted
 *
 * The names follow Prometheus's conventions (`promtool check metrics` finds
 * nothing, with the default and the OpenMetrics registry): base units,
 * `_total` on counters only, one unit per family, no type in a name.
 *
 * Values are read at scrape time; a bad registry, prefix or source throws a
 * TypeError naming it. prom-client is an optional peer: importing poolscope
 * never loads it.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import { registerMetrics, SyncPool } from 'poolscope';
 *
 * const registry = new Registry();
 * const objects = new SyncPool({ create: () => ({ id: 0 }) });
 * const metrics = registerMetrics(registry, { pools: { objects } });
 * console.log(await registry.metrics()); // poolscope_sync_pool_gets_total{pool="objects",source="new"} ...
 * metrics.unregister();
 * ```
 */
export function registerMetrics(registry: Registry, options: RegisterMetricsOptions = {}): RegisteredMetrics {
  if (typeof registry !== 'object' || registry === null || typeof registry.registerMetric !== 'function') {
    throw new TypeError(`registry must be a prom-client Registry (received ${describeValue(registry)})`);
  }
  const o = expectObject('options', options, true);
  rejectUnknownKeys('options', o, ['prefix', 'pools', 'counters']);
  const prefix = o.prefix === undefined ? 'poolscope_' : o.prefix;
  if (typeof prefix !== 'string' || (prefix !== '' && !NAME.test(prefix))) {
    throw new TypeError(
      `options.prefix must be a string of letters, digits, '_' and ':' not starting with a digit (received ${describeValue(prefix)})`,
    );
  }
  const pools = validatePools(expectObject('options.pools', o.pools, true));
  const counters = validateCounters(expectObject('options.counters', o.counters, true));

  const metrics: CollectedMetric[] = [];
  const add = (name: string, help: string, type: MetricType, collect: () => Sample[]): void => {
    metrics.push(new CollectedMetric(prefix + name, help, type, collect));
  };

  // One read of every source per scrape: prom-client calls every metric's get() in one
  // synchronous pass (Registry#metrics maps them before awaiting any), so a snapshot kept until
  // the next microtask serves them all. A SharedBufferPool read scans its state words (O(blocks)),
  // so this matters for big pools; it also makes the metrics of one scrape agree with each other.
  let snapshot: Map<PoolMetricsSource, SyncPoolStats | SharedBufferPoolStats | undefined> | undefined;
  const read = (source: PoolMetricsSource): SyncPoolStats | SharedBufferPoolStats | undefined => {
    if (snapshot === undefined) {
      snapshot = new Map();
      queueMicrotask(() => {
        snapshot = undefined;
      });
    }
    if (!snapshot.has(source)) snapshot.set(source, readStats(source));
    return snapshot.get(source);
  };
  const syncStats = (): [string, SyncPoolStats][] =>
    pools.flatMap(([name, sources]) => {
      const all = sources.map(read).filter((s): s is SyncPoolStats => s?.kind === 'sync');
      return all.length === 0 ? [] : [[name, sumSync(all)] as [string, SyncPoolStats]];
    });
  const bufferStats = (): [string, SharedBufferPoolStats][] =>
    pools.flatMap(([name, sources]) => {
      const all = sources.map(read).filter((s): s is SharedBufferPoolStats => s?.kind === 'shared-buffer');
      // pool-wide already: several sources for one pool would count it several times, so take the first
      return all[0] === undefined ? [] : [[name, all[0]] as [string, SharedBufferPoolStats]];
    });

  add('sync_pool_gets_total', 'SyncPool get() calls by where they were served from.', 'counter', () =>
    syncStats().flatMap(([pool, s]) => [
      { labels: { pool, source: 'primary' }, value: s.hitsPrimary },
      { labels: { pool, source: 'victim' }, value: s.hitsVictim },
      { labels: { pool, source: 'new' }, value: s.misses },
    ]),
  );
  add('sync_pool_puts_total', 'SyncPool put() calls that cached the object.', 'counter', () =>
    syncStats().map(([pool, s]) => ({ labels: { pool }, value: s.puts })),
  );
  add('sync_pool_drops_total', 'SyncPool put() calls dropped because the pool held maxSize objects.', 'counter', () =>
    syncStats().map(([pool, s]) => ({ labels: { pool }, value: s.drops })),
  );
  add('sync_pool_rotations_total', 'SyncPool victim rotations (major GCs and clear() calls).', 'counter', () =>
    syncStats().map(([pool, s]) => ({ labels: { pool }, value: s.rotations })),
  );
  add('sync_pool_cached', 'Objects cached in a SyncPool now.', 'gauge', () =>
    syncStats().flatMap(([pool, s]) => [
      { labels: { pool, cache: 'primary' }, value: s.primarySize },
      { labels: { pool, cache: 'victim' }, value: s.victimSize },
    ]),
  );

  add('buffer_pool_blocks', 'SharedBufferPool blocks by state (they add up to the capacity).', 'gauge', () =>
    bufferStats().flatMap(([pool, s]) => [
      { labels: { pool, state: 'in_use' }, value: s.inUse },
      { labels: { pool, state: 'cached' }, value: s.cachedInThreads },
      { labels: { pool, state: 'in_pool' }, value: s.freeInPool },
    ]),
  );
  add('buffer_pool_capacity_blocks', 'SharedBufferPool blocks in the slab.', 'gauge', () =>
    bufferStats().map(([pool, s]) => ({ labels: { pool }, value: s.blocks })),
  );
  add('buffer_pool_block_size_bytes', 'SharedBufferPool block size.', 'gauge', () =>
    bufferStats().map(([pool, s]) => ({ labels: { pool }, value: s.blockSize })),
  );
  add('buffer_pool_threads', 'Threads attached to a SharedBufferPool.', 'gauge', () =>
    bufferStats().map(([pool, s]) => ({ labels: { pool }, value: s.threads })),
  );
  add(
    'buffer_pool_acquires_total',
    "SharedBufferPool acquire() calls in all threads (other threads' as of their last batch).",
    'counter',
    () => bufferStats().map(([pool, s]) => ({ labels: { pool }, value: s.acquires })),
  );
  add(
    'buffer_pool_releases_total',
    "SharedBufferPool release() calls in all threads (other threads' as of their last batch).",
    'counter',
    () => bufferStats().map(([pool, s]) => ({ labels: { pool }, value: s.releases })),
  );
  add('buffer_pool_batches_total', 'SharedBufferPool native batch calls moving block indices.', 'counter', () =>
    bufferStats().flatMap(([pool, s]) => [
      { labels: { pool, direction: 'refill' }, value: s.refills },
      { labels: { pool, direction: 'flush' }, value: s.flushes },
    ]),
  );
  add(
    'buffer_pool_native_gets_total',
    'SharedBufferPool blocks the native pool handed to thread caches, by where it found them.',
    'counter',
    () =>
      bufferStats().flatMap(([pool, s]) => [
        { labels: { pool, source: 'private' }, value: s.fromPrivate },
        { labels: { pool, source: 'shared' }, value: s.fromShared },
        { labels: { pool, source: 'steal' }, value: s.fromSteal },
        { labels: { pool, source: 'victim' }, value: s.fromVictim },
        { labels: { pool, source: 'new' }, value: s.fromNew },
      ]),
  );
  add(
    'buffer_pool_reclaimed_blocks_total',
    'SharedBufferPool blocks recovered from threads that exited without close().',
    'counter',
    () => bufferStats().map(([pool, s]) => ({ labels: { pool }, value: s.reclaimed })),
  );

  if (counters.length > 0) {
    // One read of every Counters per scrape, shared by the three families (as for the pools).
    let cached: [string, CounterReading[]][] | undefined;
    const readings = (): [string, CounterReading[]][] => {
      if (cached === undefined) {
        cached = counters.map(([name, c]) => [name, safeRead(c).filter((r) => r.state === 'counted')]);
        queueMicrotask(() => {
          cached = undefined;
        });
      }
      return cached;
    };
    add(
      'perf_events',
      'perf_event_open event count in the current interval, scaled for multiplexing (time events: perf_event_seconds).',
      'gauge',
      () =>
        readings().flatMap(([name, rs]) =>
          rs
            .filter((r) => !TIME_EVENT.test(r.name))
            .map((r) => ({ labels: { counters: name, event: r.name }, value: r.scaled })),
        ),
    );
    add(
      'perf_event_seconds',
      'perf_event_open time events (task-clock, cpu-clock): CPU time in the current interval, scaled for multiplexing.',
      'gauge',
      () =>
        readings().flatMap(([name, rs]) =>
          rs
            .filter((r) => TIME_EVENT.test(r.name))
            .map((r) => ({ labels: { counters: name, event: r.name }, value: r.scaled / 1e9 })),
        ),
    );
    add(
      'perf_event_running_ratio',
      'perf_event_open event: fraction of the interval it was counting (below 1 when multiplexed).',
      'gauge',
      () =>
        readings().flatMap(([name, rs]) =>
          rs.map((r) => ({ labels: { counters: name, event: r.name }, value: r.runningPct / 100 })),
        ),
    );
  }

  const registered: CollectedMetric[] = [];
  try {
    for (const m of metrics) {
      registry.registerMetric(m as unknown as Parameters<Registry['registerMetric']>[0]);
      registered.push(m);
    }
  } catch (err) {
    for (const m of registered) registry.removeSingleMetric(m.key);
    throw err;
  }
  return {
    names: metrics.map((m) => m.key),
    unregister: () => {
      for (const m of metrics)
        if (registry.getSingleMetric(m.key) === (m as unknown)) registry.removeSingleMetric(m.key);
    },
  };
}

function validatePools(pools: Record<string, unknown>): [string, PoolMetricsSource[]][] {
  return Object.entries(pools).map(([name, value]) => {
    const list = Array.isArray(value) ? value : [value];
    for (const [k, s] of list.entries()) {
      const ok =
        s instanceof SyncPool ||
        s instanceof SharedBufferPool ||
        s instanceof SharedArrayBuffer ||
        (typeof s === 'object' && s !== null && typeof (s as { stats?: unknown }).stats === 'function');
      if (!ok) {
        const field = Array.isArray(value) ? `options.pools.${name}[${k}]` : `options.pools.${name}`;
        throw new TypeError(
          `${field} must be a SyncPool, a SharedBufferPool, a SyncPool sharedStats SharedArrayBuffer or an object with stats() (received ${describeValue(s)})`,
        );
      }
    }
    return [name, list as PoolMetricsSource[]];
  });
}

function validateCounters(counters: Record<string, unknown>): [string, CounterSource][] {
  return Object.entries(counters).map(([name, c]) => {
    if (typeof c !== 'object' || c === null || typeof (c as { read?: unknown }).read !== 'function') {
      throw new TypeError(`options.counters.${name} must be a Counters (received ${describeValue(c)})`);
    }
    return [name, c as CounterSource];
  });
}

/** A source's statistics now; undefined for a pool closed in this thread (it reports nothing). */
function readStats(source: PoolMetricsSource): SyncPoolStats | SharedBufferPoolStats | undefined {
  if (source instanceof SharedArrayBuffer) return readSharedStats(source);
  if (source instanceof SharedBufferPool && source.closed) return undefined;
  return source.stats();
}

function safeRead(c: CounterSource): CounterReading[] {
  try {
    return c.read();
  } catch {
    return []; // closed counters report nothing rather than failing the whole scrape
  }
}

function sumSync(all: SyncPoolStats[]): SyncPoolStats {
  const total: SyncPoolStats = {
    kind: 'sync',
    hitsPrimary: 0,
    hitsVictim: 0,
    misses: 0,
    puts: 0,
    drops: 0,
    rotations: 0,
    primarySize: 0,
    victimSize: 0,
  };
  for (const s of all) {
    total.hitsPrimary += s.hitsPrimary;
    total.hitsVictim += s.hitsVictim;
    total.misses += s.misses;
    total.puts += s.puts;
    total.drops += s.drops;
    total.rotations += s.rotations;
    total.primarySize += s.primarySize;
    total.victimSize += s.victimSize;
  }
  return total;
}
