/**
 * `SyncPool<T>`: Go's `sync.Pool` for JavaScript objects, one per isolate.
 *
 * Contract (Go's): `get()` returns some previously `put()` object or a new one
 * from `create()`; nothing is guaranteed to stay cached. Objects survive at
 * most two V8 major GCs in the pool: each major GC (or `clear()`) moves the
 * primary cache into the victim cache and drops the old victim, so a pool
 * never pins memory a quiet service no longer needs, yet one GC does not empty
 * it (a `get` right after a GC is served from the victim).
 *
 * Why one per isolate: the objects live on one V8 heap. A worker thread is a
 * separate isolate with its own heap; an object cannot be handed to it, only
 * copied by structured clone, so a pool shared by threads would pool copies,
 * not objects. Each worker makes its own pools. For memory that threads
 * really share, use `SharedBufferPool`; to see a worker's pool statistics in
 * the main thread, give the pool a `sharedStats` buffer
 * ({@link SyncPool.createSharedStats}).
 *
 * When not to use it: for objects that are cheap to create (V8's young
 * generation allocates in a few ns), or that hold references you must
 * release promptly (the pool keeps them reachable until two GCs pass).
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { describeValue, expectFunction, expectInteger, expectObject, rejectUnknownKeys } from './validate.js';

/** Options of {@link SyncPool}. */
export interface SyncPoolOptions<T> {
  /** Makes a new object when the pool is empty (Go's `New`). Must not return null or undefined. */
  create: () => T;
  /** Runs on every `put` before the object is cached, to clear its state. @default none */
  reset?: (obj: T) => void;
  /** Most objects the primary cache holds; a `put` beyond it drops the object (counted in `drops`). @default 1024 */
  maxSize?: number;
  /**
   * Where the pool counts its statistics: a buffer from
   * {@link SyncPool.createSharedStats}, so that another thread (the main
   * thread's metrics) can read them with {@link readSharedStats}.
   * @default a private buffer
   */
  sharedStats?: SharedArrayBuffer;
}

/** Where `get`s were served from and what became of `put`s; counts since the pool was made. */
export interface SyncPoolStats {
  /** Tells these statistics from a SharedBufferPool's (`'shared-buffer'`). */
  kind: 'sync';
  /** `get`s served from the primary cache. */
  hitsPrimary: number;
  /** `get`s served from the victim cache (objects that survived one GC or `clear()`). */
  hitsVictim: number;
  /** `get`s that called `create()`. */
  misses: number;
  /** `put`s that cached the object. */
  puts: number;
  /** `put`s dropped because the primary cache held `maxSize` objects. */
  drops: number;
  /** Victim rotations (major GCs seen plus `clear()` calls). */
  rotations: number;
  /** Objects in the primary cache now. */
  primarySize: number;
  /** Objects in the victim cache now. */
  victimSize: number;
}

/** Upper bound of `maxSize`: arrays this long are already far past any sensible pool. */
export const SYNC_POOL_MAX_SIZE = 1 << 24;

// Slots of the statistics Float64Array. Written only by the pool's own thread
// (plain stores); another thread reading a SharedArrayBuffer copy sees values
// at most a few operations old (aligned 8-byte stores do not tear on the
// 64-bit platforms Node supports).
const HITS_PRIMARY = 0;
const HITS_VICTIM = 1;
const MISSES = 2;
const PUTS = 3;
const DROPS = 4;
const ROTATIONS = 5;
const PRIMARY_SIZE = 6;
const VICTIM_SIZE = 7;
const STATS_SLOTS = 8;
/** The statistics Float64Array, typed so that its fixed slots read as numbers. */
type StatsSlots = Float64Array & Record<0 | 1 | 2 | 3 | 4 | 5 | 6 | 7, number>;

/**
 * Reads the statistics a pool in another thread keeps in `buffer` (from {@link SyncPool.createSharedStats}).
 * Throws a TypeError for anything but such a buffer.
 *
 * @example
 * ```ts
 * import { readSharedStats, SyncPool } from 'poolscope';
 *
 * const stats = SyncPool.createSharedStats();
 * // pass `stats` to a worker (workerData) that makes its pool with { create, sharedStats: stats }
 * const pool = new SyncPool({ create: () => ({ n: 0 }), sharedStats: stats });
 * pool.put(pool.get());
 * console.log(readSharedStats(stats).misses); // 1, readable from any thread
 * ```
 */
export function readSharedStats(buffer: SharedArrayBuffer): SyncPoolStats {
  if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength !== STATS_SLOTS * 8) {
    throw new TypeError(
      `buffer must be a SharedArrayBuffer from SyncPool.createSharedStats() (received ${describeValue(buffer)})`,
    );
  }
  return statsFrom(new Float64Array(buffer));
}

function statsFrom(s: Float64Array): SyncPoolStats {
  return {
    kind: 'sync',
    hitsPrimary: s[HITS_PRIMARY] ?? 0,
    hitsVictim: s[HITS_VICTIM] ?? 0,
    misses: s[MISSES] ?? 0,
    puts: s[PUTS] ?? 0,
    drops: s[DROPS] ?? 0,
    rotations: s[ROTATIONS] ?? 0,
    primarySize: s[PRIMARY_SIZE] ?? 0,
    victimSize: s[VICTIM_SIZE] ?? 0,
  };
}

/**
 * Go's `sync.Pool` for JavaScript objects, in one isolate (thread): `get()`
 * returns an object given to `put()` earlier, or a new one from
 * `options.create`; nothing is guaranteed to stay cached. Each V8 major GC
 * (or `clear()`) turns the cached objects into the victim cache and drops the
 * previous victims, so an object stays at most two GCs in the pool.
 *
 * Objects cannot be shared with worker threads (each isolate has its own
 * heap): each worker makes its own pools; for memory threads share use
 * {@link SharedBufferPool}. Not worth it for objects that are cheap to make.
 * Bad options throw a TypeError/RangeError naming the option.
 *
 * @example
 * ```ts
 * import { SyncPool } from 'poolscope';
 *
 * const pool = new SyncPool({ create: () => new Float64Array(1024), reset: (a) => a.fill(0), maxSize: 64 });
 * const scratch = pool.get();
 * scratch[0] = 42;
 * pool.put(scratch); // reset, then cached for the next get()
 * console.log(pool.stats()); // { kind: 'sync', misses: 1, puts: 1, ... }
 * ```
 */
export class SyncPool<T> {
  // All fields: this isolate's thread only (a pool is never shared).
  // Primary cache: `put` pushes, `get` pops (LIFO, so the warmest object is reused first).
  private primary: T[] = [];
  // Victim cache: the primary cache as it was at the last rotation; only popped, never pushed.
  private victim: T[] = [];
  private readonly create: () => T;
  private readonly reset: ((obj: T) => void) | undefined;
  private readonly maxSize: number;
  private readonly counts: StatsSlots;

  constructor(options: SyncPoolOptions<T>) {
    const o = expectObject('options', options);
    rejectUnknownKeys('options', o, ['create', 'reset', 'maxSize', 'sharedStats']);
    this.create = expectFunction<() => T>('options.create', o.create);
    this.reset = o.reset === undefined ? undefined : expectFunction<(obj: T) => void>('options.reset', o.reset);
    this.maxSize = o.maxSize === undefined ? 1024 : expectInteger('options.maxSize', o.maxSize, 0, SYNC_POOL_MAX_SIZE);
    if (o.sharedStats === undefined) {
      this.counts = new Float64Array(STATS_SLOTS) as StatsSlots;
    } else {
      if (!(o.sharedStats instanceof SharedArrayBuffer) || o.sharedStats.byteLength !== STATS_SLOTS * 8) {
        throw new TypeError(
          `options.sharedStats must be a SharedArrayBuffer from SyncPool.createSharedStats() (received ${describeValue(o.sharedStats)})`,
        );
      }
      this.counts = new Float64Array(o.sharedStats) as StatsSlots;
      this.counts.fill(0);
    }
    track(this as SyncPool<unknown>);
  }

  /** A buffer for the `sharedStats` option: pass it to a worker, read it here with {@link readSharedStats}. */
  static createSharedStats(): SharedArrayBuffer {
    return new SharedArrayBuffer(STATS_SLOTS * 8);
  }

  /** A cached object (primary first, then victim) or a new one from `create()`. */
  get(): T {
    const obj = this.primary.pop();
    if (obj !== undefined) {
      this.counts[HITS_PRIMARY]++;
      return obj;
    }
    return this.getSlow();
  }

  private getSlow(): T {
    const obj = this.victim.pop();
    if (obj !== undefined) {
      this.counts[HITS_VICTIM]++;
      return obj;
    }
    this.counts[MISSES]++;
    const made = this.create();
    if (made === undefined || made === null) {
      throw new TypeError(`options.create must return an object (returned ${describeValue(made)})`);
    }
    return made;
  }

  /**
   * Caches `obj` for a later `get` after running `reset` on it. `null` and
   * `undefined` are ignored, as Go ignores `Put(nil)`. The caller must not
   * use `obj` afterwards.
   */
  put(obj: T): void {
    if (obj === undefined || obj === null) return;
    if (this.reset !== undefined) this.reset(obj);
    if (this.primary.length < this.maxSize) {
      this.primary.push(obj);
      this.counts[PUTS]++;
    } else {
      this.counts[DROPS]++;
    }
  }

  /**
   * Ends an epoch by hand, as a major GC does: the primary cache becomes the
   * victim cache and the old victim cache is dropped.
   */
  clear(): void {
    // Reuse the old victim array as the new primary: no allocation, and the array keeps the
    // elements kind it has (a fresh [] would make the hot push/pop sites polymorphic).
    const old = this.victim;
    old.length = 0;
    this.victim = this.primary;
    this.primary = old;
    this.counts[ROTATIONS]++;
  }

  /** Counts since the pool was made, and the caches' sizes now. */
  stats(): SyncPoolStats {
    this.counts[PRIMARY_SIZE] = this.primary.length;
    this.counts[VICTIM_SIZE] = this.victim.length;
    return statsFrom(this.counts);
  }

  /** Publishes the cache sizes into the statistics buffer (a reader in another thread sees them). */
  private publishSizes(): void {
    this.counts[PRIMARY_SIZE] = this.primary.length;
    this.counts[VICTIM_SIZE] = this.victim.length;
  }

  /** @internal Called by the isolate's one GC observer after every major GC. */
  static rotateAfterGc(pool: SyncPool<unknown>): void {
    pool.clear();
    pool.publishSizes();
  }
}

// --- The isolate's one GC observer ------------------------------------------
// Every live pool of this isolate is reached through a WeakRef, so a pool the
// program no longer references is collected (the FinalizationRegistry then
// drops its WeakRef). The observer exists only while some pool is alive; a
// PerformanceObserver does not keep the event loop alive.
const livePools = new Set<WeakRef<SyncPool<unknown>>>();
const forget = new FinalizationRegistry<WeakRef<SyncPool<unknown>>>((ref) => {
  livePools.delete(ref);
  if (livePools.size === 0) stopObserver();
});
let observer: PerformanceObserver | undefined;

function track(pool: SyncPool<unknown>): void {
  const ref = new WeakRef(pool);
  livePools.add(ref);
  forget.register(pool, ref);
  if (observer === undefined) {
    observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = ((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) rotateAll();
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  }
}

function rotateAll(): void {
  for (const ref of livePools) {
    const pool = ref.deref();
    if (pool !== undefined) SyncPool.rotateAfterGc(pool);
  }
}

function stopObserver(): void {
  observer?.disconnect();
  observer = undefined;
}

/** @internal For tests: how many pools the GC observer tracks and whether it is connected. */
export function gcObserverState(): { trackedPools: number; observing: boolean } {
  return { trackedPools: livePools.size, observing: observer !== undefined };
}
