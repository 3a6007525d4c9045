/**
 * The public types of {@link SharedBufferPool} (lib/shared-buffer-pool/index.ts):
 * its options, the handle another thread attaches with, its statistics and limits.
 */

/** Options of {@link SharedBufferPool}. */
export interface SharedBufferPoolOptions {
  /** Size of every block, in bytes (1 B to 1 GiB). */
  blockSize: number;
  /** Number of blocks in the slab (1 to 2^24); the slab never grows. */
  blocks: number;
  /**
   * Most free block indices a thread keeps in its JS-side cache; it refills
   * and flushes half of this per native call.
   * @default blocks / 8, clamped to 1..64
   */
  threadCacheSize?: number;
  /**
   * How a block handed on by index is claimed. Each state word records which
   * thread holds the block, so `acquire()` and `release()` of a block this
   * thread holds are a plain load and store in both modes: no other thread
   * writes that word. The difference is in the hand-off: with `'atomic'`,
   * `fromIndex()` (and a `release()` after `indexOf()` in the same thread)
   * claim the block with a compare-exchange, so of two threads claiming one
   * handed-on block at the same instant exactly one wins and the other
   * throws `ERR_BLOCK_NOT_HELD`. `'plain'` uses a load and a store there
   * too: it catches every double claim ordered by some synchronisation
   * (same thread, postMessage, …) but not two racing at once. Chosen by the
   * creating thread for every thread.
   * @default 'atomic'
   */
  releaseCheck?: 'atomic' | 'plain';
}

/** What another thread needs to attach to the pool: plain data (structured-cloneable), for `workerData` or `postMessage`. */
export interface SharedBufferPoolHandle {
  /** Marks the object as a handle, so `attach` can refuse anything else. */
  kind: 'poolscope.SharedBufferPool';
  /** The pool's process-wide id. */
  id: number;
  /** Bytes per block. */
  blockSize: number;
  /** Blocks in the slab. */
  blocks: number;
  /** Free blocks each thread may keep in its own cache (options.threadCacheSize). */
  threadCacheSize: number;
  /** How `release()` checks the block's state (options.releaseCheck). */
  releaseCheck: 'atomic' | 'plain';
}

/** Pool-wide statistics (all threads) and this thread's exact counts. */
export interface SharedBufferPoolStats {
  /** Tells these statistics from {@link SyncPoolStats} (`'sync'`). */
  kind: 'shared-buffer';
  /** Blocks in the slab (the capacity). */
  blocks: number;
  /** Bytes per block. */
  blockSize: number;
  /** Threads attached now. */
  threads: number;
  /** Blocks held by callers (acquired, not yet released), in every thread. */
  inUse: number;
  /** Blocks not held: `blocks - inUse`. */
  free: number;
  /** Free blocks parked in the threads' JS-side caches. */
  cachedInThreads: number;
  /** Free blocks in the native pool. */
  freeInPool: number;
  /** `acquire()`s in every thread; another thread's count is as of its last batch (refill, flush or stats call). */
  acquires: number;
  /** `release()`s in every thread, published like `acquires`. */
  releases: number;
  /** This thread's `acquire()`s, exact. */
  threadAcquires: number;
  /** This thread's `release()`s, exact. */
  threadReleases: number;
  /** Native batch calls that took indices, all threads. */
  refills: number;
  /** Native batch calls that gave indices back, all threads. */
  flushes: number;
  /** Blocks recovered from threads that exited without `close()`. */
  reclaimed: number;
  /**
   * Where the native pool (the core's SyncPool: per-thread private slot and
   * chains, stealing) served the blocks refills took: the thread's own
   * private slot, its own chain, another thread's chain, a victim cache, or
   * the slab's allocator (a block never handed out before, or dropped back).
   */
  fromPrivate: number;
  /** Refilled blocks from the thread's own chain (see `fromPrivate`). */
  fromShared: number;
  /** Refilled blocks stolen from another thread's chain (see `fromPrivate`). */
  fromSteal: number;
  /** Refilled blocks from a victim cache (see `fromPrivate`). */
  fromVictim: number;
  /** Refilled blocks from the slab's allocator (see `fromPrivate`). */
  fromNew: number;
  /** Blocks flushes gave to the native pool. */
  nativePuts: number;
  /** Of those, how many it had no room for and gave to the slab's allocator (never lost). */
  nativeDrops: number;
}

/** Largest block, in bytes. */
export const MAX_BLOCK_SIZE = 2 ** 30;
/** Most blocks in one pool. */
export const MAX_BLOCKS = 2 ** 24;
/** Largest `threadCacheSize`. */
export const MAX_THREAD_CACHE = 4096;
/** The accepted `releaseCheck` values. */
export const RELEASE_CHECKS = ['atomic', 'plain'] as const;
