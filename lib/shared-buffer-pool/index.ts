/**
 * `SharedBufferPool`: fixed-size blocks of one native slab, shared by the
 * main thread and worker threads, handed out as `Buffer`s without copying
 * and moved between threads as block indices.
 *
 * Design, from costs measured on the reference machine (docs/embedding.md): a
 * native call costs ~22 ns and wrapping native memory in an ArrayBuffer
 * ~1.2 µs, while a JS array pop+push costs ~6 ns. So:
 *  - each thread wraps each block in its own external ArrayBuffer (exactly
 *    that block: `buf.buffer` reaches nothing else, and `postMessage` of a
 *    block copies `blockSize` bytes) and its `Buffer` view once, on first
 *    use, then reuses it;
 *  - each thread keeps a small cache of free block indices in a JS array and
 *    moves indices to and from the native pool in batches, through a
 *    Uint32Array (one native call per batch, never per block). The native
 *    pool is the core's lock-free SyncPool (per-thread private slot and
 *    chains, stealing) over a bounded SlabAllocator
 *    (native/core/shared_slab.hpp);
 *  - every block has a state word, in a mapping of its own that only the pool
 *    objects see: free in the native pool, free in thread T's cache (T's
 *    tag), held by thread T (-tag), or handed on by index. A word that names
 *    thread T is written only by T, so `acquire()` and `release()` are a
 *    plain store and a plain load+store; the one shared transition, claiming
 *    a handed-on block (`fromIndex`), is a compare-exchange, so of two threads
 *    claiming one block exactly one wins (native/core/shared_slab.hpp has the
 *    whole table).
 *
 * Errors are detected at once, never at a later flush: a buffer that is not
 * one of this thread's block views (another pool's, a copy, a `subarray`, a
 * Proxy) is refused by `release`/`indexOf`; a block this thread does not hold
 * is refused by `release`/`indexOf`/`fromIndex`; a closed pool refuses
 * everything.
 *
 * Limits: a free block may sit in another thread's cache (at most
 * `threadCacheSize` per thread), so `acquire()` can report exhaustion while a
 * few blocks are free elsewhere. A thread that closes the pool, or exits
 * without `close()`, gives back the blocks it cached and the blocks it held
 * (its views of them are gone, so nobody else could release them); blocks it
 * handed on by `indexOf` are not its any more and stay held.
 */
import { PoolscopeError } from '../errors.js';
import { describeValue, expectInteger, expectObject, expectOneOf, rejectUnknownKeys } from '../validate.js';
import { type AttachResult, addon } from './native.js';
import {
  MAX_BLOCK_SIZE,
  MAX_BLOCKS,
  MAX_THREAD_CACHE,
  RELEASE_CHECKS,
  type SharedBufferPoolHandle,
  type SharedBufferPoolOptions,
  type SharedBufferPoolStats,
} from './types.js';

// Each block view carries its index under this symbol, so release() finds it with one
// property load; `views[i] === buf` then proves the buffer is that view.
const kIndex = Symbol('poolscope.blockIndex');
/** A block's Buffer view, tagged with its index. */
type BlockView = Buffer & { [kIndex]?: number };

// State word values (native/core/shared_slab.hpp): tag >= 2 is "cached by thread tag",
// -tag "held by thread tag".
const IN_POOL = 0;
const IN_TRANSIT = 1;

const HANDLE_KEYS = ['kind', 'id', 'blockSize', 'blocks', 'threadCacheSize', 'releaseCheck'] as const;

/** attach()'s native result on its way to the constructor: module-private, so no caller can make one. */
class Attached {
  constructor(
    readonly result: AttachResult,
    readonly threadCacheSize: number,
    readonly releaseCheck: 'atomic' | 'plain',
    readonly transfer: Uint32Array,
  ) {}
}

/** @internal How many pools' slabs are still mapped in this process (leak tests). */
export function liveSlabCount(): number {
  return addon().sbpLiveSlabs();
}

/**
 * Fixed-size blocks of one native slab, shared by the main thread and worker
 * threads: `acquire()` hands out a block as a `Buffer` (no copy, contents not
 * cleared), `release()` gives it back, and a block moves between threads as
 * its index (`indexOf` / `fromIndex`). Each thread keeps a small cache of free
 * blocks refilled and flushed in batches, so acquire/release cost about an
 * array pop/push. A block's `.buffer` is that block alone. Releasing a block
 * twice, or a buffer that is not one of this pool's blocks, throws at once;
 * `acquire()` throws `PoolscopeError` `ERR_POOL_EXHAUSTED` when no block is
 * free. Bad options throw a TypeError/RangeError naming the option.
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
  private readonly stateBuffer: ArrayBuffer; // the state words' mapping, this thread's view; detached by close()
  private readonly state: Int32Array; // over stateBuffer (see the file comment)
  // Both arrays are emptied in place by close(), never replaced: replacing a field's value would
  // make V8 drop the optimized acquire/release of every pool (field constness).
  private readonly views: (BlockView | undefined)[]; // views[i]: this thread's Buffer over block i, made on first use
  private readonly cache: number[] = []; // free indices in this thread's cache; their state word is `tag`
  private readonly transfer: Uint32Array; // indices crossing to/from native, one batch at a time
  private readonly tag: number; // state word of a block in this thread's cache
  private readonly held: number; // state word of a block this thread holds: -tag
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
    let init: Attached;
    if ((options as unknown) instanceof Attached) {
      init = options as unknown as Attached;
    } else {
      const o = expectObject('options', options);
      rejectUnknownKeys('options', o, ['blockSize', 'blocks', 'threadCacheSize', 'releaseCheck']);
      const blockSize = expectInteger('options.blockSize', o.blockSize, 1, MAX_BLOCK_SIZE);
      const blocks = expectInteger('options.blocks', o.blocks, 1, MAX_BLOCKS);
      const cacheSize =
        o.threadCacheSize === undefined
          ? Math.min(64, Math.max(1, Math.floor(blocks / 8)))
          : expectInteger('options.threadCacheSize', o.threadCacheSize, 1, MAX_THREAD_CACHE);
      const releaseCheck =
        o.releaseCheck === undefined ? 'atomic' : expectOneOf('options.releaseCheck', o.releaseCheck, RELEASE_CHECKS);
      const transfer = new Uint32Array(cacheSize);
      const r = addon().sbpCreate(blockSize, blocks, cacheSize, releaseCheck === 'atomic', transfer);
      init = new Attached(r, cacheSize, releaseCheck, transfer);
    }
    const { result: r, threadCacheSize, releaseCheck, transfer } = init;
    this.attachment = r.attachment;
    this.stateBuffer = r.state;
    this.state = new Int32Array(r.state);
    this.blockSize = r.blockSize;
    this.blocks = r.blocks;
    this.tag = r.tag;
    this.held = -r.tag;
    this.transfer = transfer;
    this.threadCacheSize = threadCacheSize;
    this.batch = Math.max(1, threadCacheSize >> 1);
    this.atomicCheck = releaseCheck === 'atomic';
    this.views = new Array(r.blocks);
    this.handle = {
      kind: 'poolscope.SharedBufferPool',
      id: r.id,
      blockSize: r.blockSize,
      blocks: r.blocks,
      threadCacheSize,
      releaseCheck,
    };
  }

  /**
   * Attaches this thread to a pool another thread made, from its `handle`
   * (every field must be the pool's: an edited or made-up handle throws a
   * TypeError/RangeError naming the field). Throws `PoolscopeError`
   * `ERR_POOL_CLOSED` when every thread that had the pool has closed it.
   */
  static attach(handle: SharedBufferPoolHandle): SharedBufferPool {
    const h = expectObject('handle', handle);
    rejectUnknownKeys('handle', h, HANDLE_KEYS);
    if (h.kind !== 'poolscope.SharedBufferPool') {
      throw new TypeError(
        `handle.kind must be 'poolscope.SharedBufferPool': pass a SharedBufferPool's .handle (received ${describeValue(h.kind)})`,
      );
    }
    const id = expectInteger('handle.id', h.id, 1, 2 ** 32 - 1);
    const blockSize = expectInteger('handle.blockSize', h.blockSize, 1, MAX_BLOCK_SIZE);
    const blocks = expectInteger('handle.blocks', h.blocks, 1, MAX_BLOCKS);
    const threadCacheSize = expectInteger('handle.threadCacheSize', h.threadCacheSize, 1, MAX_THREAD_CACHE);
    const releaseCheck = expectOneOf('handle.releaseCheck', h.releaseCheck, RELEASE_CHECKS);
    const transfer = new Uint32Array(threadCacheSize);
    let result: AttachResult;
    try {
      result = addon().sbpAttach(id, blockSize, blocks, threadCacheSize, releaseCheck === 'atomic', transfer);
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      if (code === 'ERR_POOL_CLOSED' || code === 'ERR_POOL_EXHAUSTED') {
        throw new PoolscopeError(code, (err as Error).message);
      }
      throw err;
    }
    const init = new Attached(result, threadCacheSize, releaseCheck, transfer);
    return new SharedBufferPool(init as unknown as SharedBufferPoolOptions);
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
    // Plain store: the word reads our tag (the block is in our cache), and a word naming this
    // thread is written by this thread only (native/core/shared_slab.hpp).
    this.state[i] = this.held;
    return this.views[i] as Buffer; // made when the index entered the cache (refill)
  }

  /** Like `acquire()`, but returns `undefined` instead of throwing when no block is free. */
  tryAcquire(): Buffer | undefined {
    const i = this.cache.pop();
    if (i === undefined) return this.refillAndAcquire(false);
    this.state[i] = this.held; // plain store: see acquire()
    return this.views[i] as Buffer;
  }

  /**
   * Gives a block back. `buf` must be a block view this thread got from
   * `acquire`, `tryAcquire` or `fromIndex` on this pool, and this thread must
   * hold it: releasing it twice, or after another thread took it with
   * `fromIndex`, throws `ERR_BLOCK_NOT_HELD` at once.
   */
  release(buf: Buffer): void {
    const i = (buf as BlockView | null | undefined)?.[kIndex] as number;
    if (this.views[i] !== buf || buf === undefined) this.throwForeign(buf, i, 'release');
    const state = this.state;
    // Plain load and store: a word that reads `held` is written by this thread only, so
    // nothing can change it between the two (native/core/shared_slab.hpp).
    if (state[i] === this.held) state[i] = this.tag;
    else this.releaseHandedOn(i);
    this.releases++;
    this.cache.push(i);
    if (this.cache.length > this.threadCacheSize) this.flush(this.batch);
  }

  /**
   * Hands a held block on: returns its index for another thread's `fromIndex`
   * (send the number, e.g. by `postMessage`). The caller stops using `buf`;
   * it may still `release` it as long as no thread has claimed it.
   */
  indexOf(buf: Buffer): number {
    const i = (buf as BlockView | null | undefined)?.[kIndex] as number;
    if (this.views[i] !== buf || buf === undefined) this.throwForeign(buf, i, 'indexOf');
    const s = this.state[i];
    // Plain store: `held` names this thread, which alone writes such a word. The message that
    // carries the index (postMessage, Atomics) orders it before the receiver's fromIndex.
    if (s === this.held) this.state[i] = IN_TRANSIT;
    else if (s !== IN_TRANSIT) this.throwNotHeld(i, 'indexOf');
    return i;
  }

  /**
   * Claims a block another thread (or this one) handed on with `indexOf`, and
   * returns this thread's `Buffer` over it: the block is now this caller's.
   * Throws `ERR_BLOCK_NOT_HELD` if it was not handed on (released, or claimed
   * already).
   */
  fromIndex(index: number): Buffer {
    if (this.attachment === undefined) throw closedError();
    expectInteger('index', index, 0, this.blocks - 1);
    const view = this.views[index] ?? this.makeView(index);
    const state = this.state;
    if (state[index] !== this.held) {
      // seq_cst CAS from IN_TRANSIT: of threads claiming one handed-on block (or releasing it
      // after indexOf), exactly one wins; pairs with the others' CAS on this word.
      if (this.atomicCheck) {
        if (Atomics.compareExchange(state, index, IN_TRANSIT, this.held) !== IN_TRANSIT) {
          this.throwNotHeld(index, 'fromIndex');
        }
      } else {
        // 'plain': a claim ordered before this one by some synchronisation is seen; a racing one is not.
        if (state[index] !== IN_TRANSIT) this.throwNotHeld(index, 'fromIndex');
        state[index] = this.held;
      }
    }
    return view;
  }

  /** Pool-wide statistics and this thread's counts. Throws `ERR_POOL_CLOSED` after `close()`. */
  stats(): SharedBufferPoolStats {
    if (this.attachment === undefined) throw closedError();
    const n = addon().sbpStats(this.attachment, this.acquires, this.releases);
    return {
      kind: 'shared-buffer',
      ...n,
      free: n.blocks - n.inUse,
      threadAcquires: this.acquires,
      threadReleases: this.releases,
    };
  }

  /**
   * Detaches this thread: its cached blocks, and the blocks it still holds,
   * go back to the pool; its Buffers over the blocks are detached (a caller
   * that kept one sees it empty, never dangling). The last thread's `close()`
   * unmaps the slab at once. Blocks handed on by `indexOf` stay with whoever
   * claims them. Idempotent.
   */
  close(): void {
    const attachment = this.attachment;
    if (attachment === undefined) return;
    this.attachment = undefined;
    try {
      while (this.cache.length > 0) this.flushNow(attachment, Math.min(this.cache.length, this.transfer.length));
    } finally {
      this.cache.length = 0;
      addon().sbpClose(attachment, this.views, this.stateBuffer); // reclaims whatever the flush did not give back
      this.views.length = 0; // release()/indexOf() now find no view: they throw ERR_POOL_CLOSED
    }
  }

  /** This thread's acquire() count (see the fields' comment). */
  private get acquires(): number {
    return this.refilled + this.releases - this.flushed - this.cache.length;
  }

  private makeView(i: number): BlockView {
    const view = Buffer.from(addon().sbpBlock(this.attachment as object, i)) as BlockView;
    view[kIndex] = i;
    this.views[i] = view;
    return view;
  }

  /** release() of a block this thread does not hold under its own tag: allowed only after indexOf(). */
  private releaseHandedOn(i: number): void {
    const state = this.state;
    if (this.atomicCheck) {
      // seq_cst CAS from IN_TRANSIT: pairs with a racing fromIndex CAS in another thread.
      if (Atomics.compareExchange(state, i, IN_TRANSIT, this.tag) !== IN_TRANSIT) this.throwNotHeld(i, 'release');
    } else {
      if (state[i] !== IN_TRANSIT) this.throwNotHeld(i, 'release');
      state[i] = this.tag;
    }
  }

  private refillAndAcquire(throwWhenEmpty: boolean): Buffer | undefined {
    if (this.attachment === undefined) throw closedError();
    const n = addon().sbpRefill(this.attachment, this.batch, this.acquires, this.releases);
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
    if (this.attachment !== undefined) this.flushNow(this.attachment, count);
  }

  private flushNow(attachment: object, count: number): void {
    for (let k = 0; k < count; k++) this.transfer[k] = this.cache.pop() as number;
    this.flushed += count;
    addon().sbpFlush(attachment, count, this.acquires, this.releases);
  }

  private throwForeign(buf: unknown, index: unknown, op: string): never {
    if (this.attachment === undefined) throw closedError();
    if (ArrayBuffer.isView(buf)) {
      throw new PoolscopeError(
        'ERR_FOREIGN_BUFFER',
        `${op}: buf must be a block Buffer this thread got from this pool's acquire(), tryAcquire() or fromIndex() ` +
          `(received a ${buf.byteLength}-byte view that is not one)`,
      );
    }
    if (index !== undefined) {
      // a Proxy of a block, or an object whose prototype is one: it reads like a block but is not
      throw new PoolscopeError(
        'ERR_FOREIGN_BUFFER',
        `${op}: buf must be a block Buffer this thread got from this pool, not an object made from one ` +
          '(a Proxy, or Object.create(block))',
      );
    }
    throw new TypeError(`${op}: buf must be a Buffer from this pool (received ${describeValue(buf)})`);
  }

  private throwNotHeld(i: number, op: string): never {
    if (this.attachment === undefined) throw closedError();
    const s = Atomics.load(this.state, i);
    const where =
      s === IN_POOL
        ? 'free in the pool'
        : s === IN_TRANSIT
          ? 'handed on by indexOf() and not claimed yet'
          : s === this.tag
            ? "free in this thread's cache"
            : s > 0
              ? "free in another thread's cache"
              : s === this.held
                ? 'held by this thread'
                : 'held by another thread, which claimed it with fromIndex()';
    const hint =
      op === 'fromIndex'
        ? 'a block must be handed on with indexOf() before fromIndex(), and can be claimed once'
        : 'it was released already, or another thread claimed it';
    throw new PoolscopeError(
      'ERR_BLOCK_NOT_HELD',
      `${op}: block ${i} is not held by this thread (it is ${where}): ${hint}`,
    );
  }
}

function closedError(): PoolscopeError {
  return new PoolscopeError('ERR_POOL_CLOSED', 'SharedBufferPool is closed in this thread');
}
