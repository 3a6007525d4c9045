/**
 * `SharedBufferPool`: fixed-size blocks of one native slab, shared by the
 * main thread and worker threads, handed out as `Buffer`s without copying
 * and moved between threads as block indices.
 *
 * Design, from costs measured on the reference machine (README, Embedding): a native call
 * costs ~22 ns and wrapping native memory in an ArrayBuffer ~1.2 µs, while a
 * JS array pop+push costs ~6 ns. So:
 *  - each thread maps the whole slab once (one external ArrayBuffer per
 *    thread) and makes each block's `Buffer` view once, then reuses it;
 *  - each thread keeps a small cache of free block indices in a JS array and
 *    moves indices to and from the native pool in batches, through a
 *    Uint32Array (one native call per batch, never per block). The native
 *    pool is the core's lock-free SyncPool (per-thread private slot and
 *    chains, stealing) over a bounded SlabAllocator
 *    (native/core/shared_slab.hpp);
 *  - every block has a state word in the slab (shared memory), changed with
 *    `Atomics`: free in the native pool, free in thread T's cache, or held.
 *    `release()` changes held → cached with a compare-exchange, so releasing
 *    a block twice is detected at once, even when the two releases happen in
 *    different threads at the same instant (option `releaseCheck: 'plain'`
 *    trades that last case for a cheaper release).
 *
 * Errors are detected at once, never at a later flush: a buffer that is not
 * one of this thread's block views (another pool's, a copy, a `subarray`) is
 * refused by `release`/`indexOf`; a block that is not held is refused by
 * `release`/`fromIndex`; a closed pool refuses everything.
 *
 * Limits: a free block may sit in another thread's cache (at most
 * `threadCacheSize` per thread), so `acquire()` can report exhaustion while a
 * few blocks are free elsewhere. A worker that exits without `close()` gives
 * its cached blocks back (a native env cleanup hook), but blocks it still
 * held stay held: they may have been handed on by index.
 */
import { nativeAddon } from './binding.js';
import { PoolscopeError } from './errors.js';
import { describeValue, expectInteger, expectObject, expectOneOf, rejectUnknownKeys } from './validate.js';

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
   * How `release()` checks that the block is held. `'atomic'`: a
   * compare-exchange on the block's state word, so even two threads releasing
   * one block at the same instant are caught (one wins, the other throws).
   * `'plain'`: a load and a store, about half the cost of release (see
   * bench/embed.ts); it catches every double release ordered by some
   * synchronisation (same thread, postMessage, …) but not two unsynchronised
   * releases racing in different threads. Chosen by the creating thread for
   * every thread.
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

/** A block's Buffer view, tagged with its index. */
type BlockView = Buffer & { [kIndex]?: number };

type AttachResult = [
  attachment: object,
  slab: ArrayBuffer,
  stateByteOffset: number,
  blockSize: number,
  blocks: number,
  id: number,
  tag: number,
];

/** What the native side reports: the public statistics less what only this thread's JS side knows. */
type NativeStats = Omit<SharedBufferPoolStats, 'kind' | 'free' | 'threadAcquires' | 'threadReleases'>;

/** The native part (native/addon/shared_buffer_pool.cpp). */
interface SharedBufferPoolAddon {
  sbpCreate(blockSize: number, blocks: number, transfer: Uint32Array): AttachResult;
  sbpAttach(id: number, transfer: Uint32Array): AttachResult;
  sbpRefill(attachment: object, want: number, acquires: number, releases: number): number;
  sbpFlush(attachment: object, count: number, acquires: number, releases: number): void;
  sbpStats(attachment: object, acquires: number, releases: number): NativeStats;
  sbpClose(attachment: object, slab: ArrayBuffer): void;
  sbpLiveSlabs(): number;
}

const addon = nativeAddon<SharedBufferPoolAddon>();

/** Largest block, in bytes. */
export const MAX_BLOCK_SIZE = 2 ** 30;
/** Most blocks in one pool. */
export const MAX_BLOCKS = 2 ** 24;
const RELEASE_CHECKS = ['atomic', 'plain'] as const;

/** Largest `threadCacheSize`. */
export const MAX_THREAD_CACHE = 4096;

// State word values (native/core/shared_slab.hpp); values >= 2 are a thread's cache tag.
const IN_POOL = 0;
// Each block view carries its index under this symbol, so release() finds it with one
// property load; `views[i] === buf` then proves the buffer is that view.
const kIndex = Symbol('poolscope.blockIndex');
const HELD = 1;

/** @internal How many pools' slabs are still mapped in this process (leak tests). */
export function liveSlabCount(): number {
  return addon.sbpLiveSlabs();
}

/**
 * Fixed-size blocks of one native slab, shared by the main thread and worker
 * threads: `acquire()` hands out a block as a `Buffer` (no copy, contents not
 * cleared), `release()` gives it back, and a block moves between threads as
 * its index (`indexOf` / `fromIndex`). Each thread keeps a small cache of free
 * blocks refilled and flushed in batches, so acquire/release cost about an
 * array pop/push. Releasing a block twice, or a buffer that is not one of
 * this pool's blocks, throws at once; `acquire()` throws `PoolscopeError`
 * `ERR_POOL_EXHAUSTED` when no block is free. Bad options throw a
 * TypeError/RangeError naming the option.
 *
 * @example
 * ```ts
 * import { SharedBufferPool } from 'poolscope';
 *
 * const pool = new SharedBufferPool({ blockSize: 16 * 1024, blocks: 256 });
 * const body = pool.acquire();
 * const n = body.write('request body');
 * // to a worker: postMessage({ index: pool.indexOf(body), n }); there, with the pool from
 * // SharedBufferPool.attach(handle) (handle = pool.handle via workerData): fromIndex(index)
 * console.log(body.toString('utf8', 0, n));
 * pool.release(body);
 * pool.close();
 * ```
 */
export class SharedBufferPool {
  /** Bytes per block. */
  readonly blockSize: number;
  /** Blocks in the slab (the pool's capacity). */
  readonly blocks: number;
  /** Pass this to a worker (`workerData`, `postMessage`) and call {@link SharedBufferPool.attach} there. */
  readonly handle: SharedBufferPoolHandle;

  // Every field: this thread only (one SharedBufferPool object per thread and pool).
  private attachment: object | undefined; // undefined once closed
  private readonly slab: ArrayBuffer; // this thread's one view of the whole slab; detached by close()
  private readonly state: Int32Array; // the blocks' state words, in shared memory (see file comment)
  private views: (Buffer | undefined)[]; // views[i]: this thread's Buffer over block i, made on first use
  private cache: number[] = []; // free indices in this thread's cache; their state word is `tag`
  private readonly transfer: Uint32Array; // indices crossing to/from native, one batch at a time
  private readonly tag: number;
  private readonly threadCacheSize: number;
  private readonly batch: number;
  private readonly atomicCheck: boolean;
  // This thread's counts. acquire() does not count (one store less on the hot path): every
  // index entering the cache came from a refill or a release, and every one leaving it went to
  // an acquire or a flush, so acquires = refilled + releases - flushed - cache.length.
  private releases = 0;
  private refilled = 0;
  private flushed = 0;

  constructor(options: SharedBufferPoolOptions) {
    let r: AttachResult;
    let cacheSize: number;
    let releaseCheck: 'atomic' | 'plain';
    if (pendingAttach !== undefined) {
      ({ result: r, threadCacheSize: cacheSize, releaseCheck } = pendingAttach);
      pendingAttach = undefined;
      this.transfer = pendingTransfer;
    } else {
      const o = expectObject('options', options);
      rejectUnknownKeys('options', o, ['blockSize', 'blocks', 'threadCacheSize', 'releaseCheck']);
      const blockSize = expectInteger('options.blockSize', o.blockSize, 1, MAX_BLOCK_SIZE);
      const blocks = expectInteger('options.blocks', o.blocks, 1, MAX_BLOCKS);
      cacheSize =
        o.threadCacheSize === undefined
          ? Math.min(64, Math.max(1, Math.floor(blocks / 8)))
          : expectInteger('options.threadCacheSize', o.threadCacheSize, 1, MAX_THREAD_CACHE);
      releaseCheck =
        o.releaseCheck === undefined ? 'atomic' : expectOneOf('options.releaseCheck', o.releaseCheck, RELEASE_CHECKS);
      this.transfer = new Uint32Array(cacheSize);
      r = addon.sbpCreate(blockSize, blocks, this.transfer);
    }
    const [attachment, slab, stateByteOffset, blockSize, blocks, id, tag] = r;
    this.attachment = attachment;
    this.slab = slab;
    this.blockSize = blockSize;
    this.blocks = blocks;
    this.tag = tag;
    this.threadCacheSize = cacheSize;
    this.batch = Math.max(1, cacheSize >> 1);
    this.atomicCheck = releaseCheck === 'atomic';
    this.state = new Int32Array(slab, stateByteOffset, blocks);
    this.views = new Array(blocks);
    this.handle = {
      kind: 'poolscope.SharedBufferPool',
      id,
      blockSize,
      blocks,
      threadCacheSize: cacheSize,
      releaseCheck,
    };
  }

  /**
   * Attaches this thread to a pool another thread made, from its `handle`.
   * Throws `PoolscopeError` `ERR_POOL_CLOSED` when every thread that had the
   * pool has closed it.
   */
  static attach(handle: SharedBufferPoolHandle): SharedBufferPool {
    const h = expectObject('handle', handle);
    if (h.kind !== 'poolscope.SharedBufferPool') {
      throw new TypeError(
        `handle must be a SharedBufferPool's .handle (received ${describeValue(handle)} with kind ${describeValue(h.kind)})`,
      );
    }
    const id = expectInteger('handle.id', h.id, 1, 2 ** 32 - 1);
    const threadCacheSize = expectInteger('handle.threadCacheSize', h.threadCacheSize, 1, MAX_THREAD_CACHE);
    const releaseCheck = expectOneOf('handle.releaseCheck', h.releaseCheck, RELEASE_CHECKS);
    const transfer = new Uint32Array(threadCacheSize);
    let result: AttachResult;
    try {
      result = addon.sbpAttach(id, transfer);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ERR_POOL_CLOSED') {
        throw new PoolscopeError('ERR_POOL_CLOSED', (err as Error).message);
      }
      throw err;
    }
    pendingAttach = { result, threadCacheSize, releaseCheck };
    pendingTransfer = transfer;
    return new SharedBufferPool(undefined as unknown as SharedBufferPoolOptions);
  }

  /** True once `close()` was called in this thread. */
  get closed(): boolean {
    return this.attachment === undefined;
  }

  /**
   * A free block as a `Buffer` of `blockSize` bytes (its old contents are not
   * cleared). Throws `PoolscopeError` `ERR_POOL_EXHAUSTED` when no block is
   * free, `ERR_POOL_CLOSED` after `close()`.
   */
  acquire(): Buffer {
    const i = this.cache.pop();
    if (i === undefined) return this.refillAndAcquire(true) as Buffer;
    // A plain store suffices: the block is in this thread's cache (its word is our tag), so
    // no correct program has another thread touching this word now. A buggy one (a stale
    // release elsewhere) sees either our tag or HELD, and both outcomes are handled there.
    this.state[i] = HELD;
    return this.views[i] as Buffer; // made when the index entered the cache (refill)
  }

  /** Like `acquire()`, but returns `undefined` instead of throwing when no block is free. */
  tryAcquire(): Buffer | undefined {
    const i = this.cache.pop();
    if (i === undefined) return this.refillAndAcquire(false);
    this.state[i] = HELD; // plain store: see acquire()
    return this.views[i] as Buffer; // made when the index entered the cache (refill)
  }

  /**
   * Gives a block back. `buf` must be a block view this thread got from
   * `acquire`, `tryAcquire` or `fromIndex` on this pool, and must be held:
   * releasing it twice (in any thread) throws `ERR_BLOCK_NOT_HELD` at once.
   */
  release(buf: Buffer): void {
    const i = (buf as BlockView | null | undefined)?.[kIndex] as number;
    if (this.views[i] !== buf || buf === undefined) this.throwForeign(buf, 'release');
    if (this.atomicCheck) {
      // seq_cst CAS held -> our tag: of racing releases of one block (any threads), exactly one
      // wins (pairs with the other threads' release CAS and fromIndex/indexOf loads of this word).
      if (Atomics.compareExchange(this.state, i, HELD, this.tag) !== HELD) this.throwNotHeld(i, 'release');
    } else {
      // 'plain': sees every release ordered before this one (same thread, or another thread
      // synchronised with us: postMessage, Atomics, a native batch); not two racing at once.
      if (this.state[i] !== HELD) this.throwNotHeld(i, 'release');
      this.state[i] = this.tag;
    }
    this.releases++;
    this.cache.push(i);
    if (this.cache.length > this.threadCacheSize) this.flush(this.batch);
  }

  /** The index of a held block, to hand it to another thread (which calls `fromIndex`); the caller stops using `buf`. */
  indexOf(buf: Buffer): number {
    const i = (buf as BlockView | null | undefined)?.[kIndex] as number;
    if (this.views[i] !== buf || buf === undefined) this.throwForeign(buf, 'indexOf');
    if (Atomics.load(this.state, i) !== HELD) this.throwNotHeld(i, 'indexOf');
    return i;
  }

  /** This thread's `Buffer` over held block `index` (from `indexOf` in some thread): the block is now this caller's. */
  fromIndex(index: number): Buffer {
    if (this.attachment === undefined) throw closedError();
    expectInteger('index', index, 0, this.blocks - 1);
    if (Atomics.load(this.state, index) !== HELD) this.throwNotHeld(index, 'fromIndex');
    return this.views[index] ?? this.makeView(index);
  }

  /** Pool-wide statistics and this thread's counts. Throws `ERR_POOL_CLOSED` after `close()`. */
  stats(): SharedBufferPoolStats {
    if (this.attachment === undefined) throw closedError();
    const n = addon.sbpStats(this.attachment, this.acquires, this.releases);
    return {
      kind: 'shared-buffer',
      ...n,
      free: n.blocks - n.inUse,
      threadAcquires: this.acquires,
      threadReleases: this.releases,
    };
  }

  /**
   * Detaches this thread: its cached blocks go back to the pool, its view of
   * the slab is detached (Buffers it still has become empty, never
   * dangling). The slab is unmapped when the last thread has closed (or
   * exited). Blocks this thread still holds stay held. Idempotent.
   */
  close(): void {
    const attachment = this.attachment;
    if (attachment === undefined) return;
    while (this.cache.length > 0) this.flush(Math.min(this.cache.length, this.transfer.length));
    this.attachment = undefined;
    this.views = [];
    addon.sbpClose(attachment, this.slab);
  }

  /** This thread's acquire() count (see the fields' comment). */
  private get acquires(): number {
    return this.refilled + this.releases - this.flushed - this.cache.length;
  }

  private makeView(i: number): Buffer {
    const view = Buffer.from(this.slab, i * this.blockSize, this.blockSize) as BlockView;
    view[kIndex] = i;
    this.views[i] = view;
    return view;
  }

  private refillAndAcquire(throwWhenEmpty: boolean): Buffer | undefined {
    if (this.attachment === undefined) throw closedError();
    const n = addon.sbpRefill(this.attachment, this.batch, this.acquires, this.releases);
    if (n === 0) {
      if (!throwWhenEmpty) return undefined;
      throw new PoolscopeError(
        'ERR_POOL_EXHAUSTED',
        `SharedBufferPool exhausted: none of its ${this.blocks} blocks of ${this.blockSize} bytes is free ` +
          '(all are held, or cached by other threads); release blocks or make the pool larger',
      );
    }
    // reversed, so the first index native handed out is popped first
    this.refilled += n;
    for (let k = n - 1; k >= 0; k--) {
      const i = this.transfer[k] as number;
      if (this.views[i] === undefined) this.makeView(i);
      this.cache.push(i);
    }
    return this.acquire();
  }

  private flush(count: number): void {
    if (this.attachment === undefined) return;
    for (let k = 0; k < count; k++) this.transfer[k] = this.cache.pop() as number;
    this.flushed += count;
    addon.sbpFlush(this.attachment, count, this.acquires, this.releases);
  }

  private throwForeign(buf: unknown, op: string): never {
    if (this.attachment === undefined) throw closedError();
    if (!(buf instanceof Uint8Array)) {
      throw new TypeError(`${op}: buf must be a Buffer from this pool (received ${describeValue(buf)})`);
    }
    throw new PoolscopeError(
      'ERR_FOREIGN_BUFFER',
      `${op}: buf must be a block Buffer this thread got from this pool's acquire(), tryAcquire() or fromIndex() ` +
        `(received a ${buf.byteLength}-byte view that is not one)`,
    );
  }

  private throwNotHeld(i: number, op: string): never {
    if (this.attachment === undefined) throw closedError();
    const s = Atomics.load(this.state, i);
    const where =
      s === IN_POOL
        ? 'free in the pool'
        : s === this.tag
          ? "free in this thread's cache"
          : "free in another thread's cache";
    throw new PoolscopeError(
      'ERR_BLOCK_NOT_HELD',
      `${op}: block ${i} is not held (it is ${where}): it was already released, in this or another thread`,
    );
  }
}

function closedError(): PoolscopeError {
  return new PoolscopeError('ERR_POOL_CLOSED', 'SharedBufferPool is closed in this thread');
}

// Hands attach()'s native result to the constructor (which is also the public `new` path).
let pendingAttach: { result: AttachResult; threadCacheSize: number; releaseCheck: 'atomic' | 'plain' } | undefined;
let pendingTransfer: Uint32Array = new Uint32Array(0);
