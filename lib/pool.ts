/**
 * NativePool: a handle on one of the addon's native pools (native/core): Go's sync.Pool design
 * (`pool: 'sync'`, in every layout × publish-instruction combination) or a baseline (`malloc`,
 * `mutex`, `treiber`; `mimalloc`/`jemalloc`/`tcmalloc` where installed). Pools live in a process-wide
 * registry: create one in any thread, send its `id` to workers, `NativePool.attach(id)` there, and
 * every thread uses the same pool. Hot loops run natively (`runLoop`), never one N-API call per object.
 */
import { nativeAddon } from './binding.js';
import { fromNativeError } from './errors.js';
import { expectBoolean, expectInteger, expectObject, expectOneOf, rejectUnknownKeys } from './validate.js';

/** The allocator peers (native/core/peer_allocator.hpp), by their `pool` names; they load only where installed. */
export const ALLOCATOR_PEERS = ['mimalloc', 'jemalloc', 'tcmalloc'] as const;
/** One of {@link ALLOCATOR_PEERS}. */
export type AllocatorPeer = (typeof ALLOCATOR_PEERS)[number];
/** The plain allocators: glibc's malloc and the peers (the `alloc` scenario calls them directly). */
export const ALLOCATOR_KINDS = ['malloc', ...ALLOCATOR_PEERS] as const;
/** One of {@link ALLOCATOR_KINDS}. */
export type AllocatorKind = (typeof ALLOCATOR_KINDS)[number];
/**
 * Pool implementations: the one list of them in lib/ (the harness and the CLI take theirs from here);
 * native/core/make_pool.hpp `kPoolKinds` is the same list, a test checks they agree.
 */
export const POOL_KINDS = ['sync', 'malloc', 'mutex', 'treiber', ...ALLOCATOR_PEERS] as const;
/** One of {@link POOL_KINDS}. */
export type PoolKind = (typeof POOL_KINDS)[number];
/** Per-thread record layouts of a `sync` pool. */
export const POOL_LAYOUTS = ['packed', 'pad64', 'pad128'] as const;
/** One of {@link POOL_LAYOUTS}. */
export type PoolLayout = (typeof POOL_LAYOUTS)[number];
/** The instruction a `sync` pool's owner thread publishes its ring head with. */
export const POOL_PUBLISH = ['xadd', 'cas', 'mfence', 'xchg'] as const;
/** One of {@link POOL_PUBLISH}. */
export type PoolPublish = (typeof POOL_PUBLISH)[number];
/** Native loops `runLoop` runs. */
export const LOOP_SCENARIOS = ['get-put', 'batch'] as const;
/** One of {@link LOOP_SCENARIOS}. */
export type LoopScenario = (typeof LOOP_SCENARIOS)[number];

/** Largest `objectSize` accepted (1 MiB). */
export const MAX_OBJECT_SIZE = 1 << 20;
const ALIGNMENTS = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096] as const;

/** Options of {@link NativePool.create}. */
export interface NativePoolOptions {
  /** Implementation. @default 'sync' */
  pool?: PoolKind;
  /** Per-thread record layout (sync only; checked for all). @default 'pad128' */
  layout?: PoolLayout;
  /** Head-publication instruction (sync only; checked for all). @default 'xadd' */
  publish?: PoolPublish;
  /** Bytes per block, 1 to 1048576. */
  objectSize: number;
  /** Block alignment in bytes, a power of two from 16 to 4096. @default 16 */
  alignment?: number;
  /** Keep one epoch of victims after `clear()` (sync only). @default true */
  victim?: boolean;
  /** Threads with their own per-thread record; further threads get and put unpooled. @default 64 */
  maxThreads?: number;
}

/**
 * Where gets were served from, and what happened to puts (summed over threads, or one thread's in a loop
 * result): the core's `PoolStats` (native/core/pool_stats.hpp) under its own field names, built in one
 * place (native/addon/pool_stats_object.hpp), here and in the harness's worker results.
 */
export interface NativePoolStats {
  /** Gets served from the thread's private slot (Go's `private`: owner only, no atomics). */
  fromPrivate: number;
  /** Gets served from the head of the thread's own shared chain. */
  fromShared: number;
  /** Gets served by stealing from the tail of another thread's shared chain. */
  fromSteal: number;
  /** Gets served from a victim cache (blocks that survived one `clear()`). */
  fromVictim: number;
  /** Gets that found nothing cached and took a new block from the allocator. */
  fromNew: number;
  /** Sum of the five `from*` counts. */
  gets: number;
  /** Puts of a block back into the pool (including those then dropped). */
  puts: number;
  /** Puts whose block went back to the allocator (no room in the pool, or a thread without a record). */
  drops: number;
}

/** What a pool is. */
export interface NativePoolInfo {
  /** The registry id ({@link NativePool.attach}). */
  id: number;
  /** The implementation. */
  pool: PoolKind;
  /** '' for the baselines. */
  layout: PoolLayout | '';
  /** '' for the baselines. */
  publish: PoolPublish | '';
  /** Bytes per block. */
  objectSize: number;
  /** Go benchmark style, e.g. `pool=sync/layout=pad128/publish=xadd`. */
  name: string;
}

/** Options of {@link NativePool.runLoop}. */
export interface RunLoopOptions {
  /** `get-put`: get then put; `batch`: get `batch` blocks, then put them all back. */
  scenario: LoopScenario;
  /** Get+put pairs to run, 0 to 2^53-1. */
  ops: number;
  /** Blocks held at once in `batch`, 1 to 4096. @default 32 */
  batch?: number;
}

/** What one native loop did, on the calling thread. */
export interface RunLoopResult {
  /** Wall time of the loop (steady clock). */
  elapsedNs: number;
  /** TSC ticks over the loop (rdtscp; time, not core cycles). */
  tscCycles: number;
  /** Pairs completed (fewer than asked only if the allocator ran out). */
  ops: number;
  /** `elapsedNs / ops` (NaN for 0 ops). */
  nsPerOp: number;
  /** This thread's counters during the loop. */
  stats: NativePoolStats;
  /** True when {@link NativePool.stopLoops} cut the loop short (`ops` then says how many ran). */
  stopped: boolean;
}

interface PoolAddon {
  poolCreate(options: object): number;
  poolInfo(id: number): NativePoolInfo;
  poolStats(id: number): NativePoolStats;
  poolClear(id: number): void;
  poolDestroy(id: number): void;
  poolStopLoops(id: number): void;
  poolRunLoop(id: number, options: object): Omit<RunLoopResult, 'nsPerOp'>;
  poolGet(id: number): bigint | null;
  poolPut(id: number, block: bigint): void;
}

const addon = (): PoolAddon => nativeAddon<PoolAddon>();

/** Runs a native call, turning the addon's coded errors into their typed errors (PoolError, PeerUnavailableError). */
function native<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    throw fromNativeError(err);
  }
}

function expectPoolId(value: unknown): number {
  return expectInteger('id', value, 1, 0xffffffff);
}

const OPTION_KEYS = ['pool', 'layout', 'publish', 'objectSize', 'alignment', 'victim', 'maxThreads'] as const;

/** Validates pool options once, filling defaults. */
export function resolvePoolOptions(options: unknown): Required<NativePoolOptions> {
  const o = expectObject('options', options);
  rejectUnknownKeys('options', o, OPTION_KEYS);
  const alignment = o.alignment === undefined ? 16 : expectInteger('alignment', o.alignment, 16, 4096);
  if (!(ALIGNMENTS as readonly number[]).includes(alignment)) {
    throw new RangeError(`alignment must be one of ${ALIGNMENTS.join(', ')} (received ${alignment})`);
  }
  return {
    pool: o.pool === undefined ? 'sync' : expectOneOf('pool', o.pool, POOL_KINDS),
    layout: o.layout === undefined ? 'pad128' : expectOneOf('layout', o.layout, POOL_LAYOUTS),
    publish: o.publish === undefined ? 'xadd' : expectOneOf('publish', o.publish, POOL_PUBLISH),
    objectSize: expectInteger('objectSize', o.objectSize, 1, MAX_OBJECT_SIZE),
    alignment,
    victim: o.victim === undefined ? true : expectBoolean('victim', o.victim),
    maxThreads: o.maxThreads === undefined ? 64 : expectInteger('maxThreads', o.maxThreads, 1, 4096),
  };
}

/**
 * A native pool, reachable from every thread of the process by its `id`.
 *
 * @example
 * ```ts
 * import { NativePool } from 'poolscope';
 *
 * const pool = NativePool.create({ pool: 'sync', layout: 'pad128', publish: 'xadd', objectSize: 64 });
 * const r = pool.runLoop({ scenario: 'batch', ops: 1_000_000, batch: 32 });
 * console.log(`${pool.info.name}: ${r.nsPerOp.toFixed(2)} ns per get+put`, r.stats);
 * // in a worker: NativePool.attach(id) reaches the same pool
 * pool.destroy();
 * ```
 */
export class NativePool {
  /** The registry id: send it to a worker and `NativePool.attach(id)` there. */
  readonly id: number;
  /** What this pool is. */
  readonly info: NativePoolInfo;

  private constructor(info: NativePoolInfo) {
    this.id = info.id;
    this.info = info;
  }

  /**
   * Creates a pool. Throws TypeError/RangeError naming the option for bad input, and
   * {@link PeerUnavailableError} for an allocator peer that does not load here.
   */
  static create(options: NativePoolOptions): NativePool {
    const resolved = resolvePoolOptions(options);
    const a = addon();
    const id = native(() => a.poolCreate(resolved));
    return new NativePool(a.poolInfo(id));
  }

  /** A handle on an existing pool (in any thread). Throws {@link PoolError} if the id is not live. */
  static attach(id: number): NativePool {
    const checked = expectPoolId(id);
    return new NativePool(native(() => addon().poolInfo(checked)));
  }

  /** Counters summed over every thread that used the pool. */
  stats(): NativePoolStats {
    return native(() => addon().poolStats(this.id));
  }

  /** Ends an epoch: each thread's cache becomes its victim cache, the previous victims are freed. Safe while other threads use the pool. */
  clear(): void {
    native(() => addon().poolClear(this.id));
  }

  /**
   * Removes the pool from the registry; every later call with its id, in any thread, throws
   * {@link PoolError} `ERR_POOL_DESTROYED`. A loop running on it elsewhere finishes first (it holds the pool).
   */
  destroy(): void {
    native(() => addon().poolDestroy(this.id));
  }

  /**
   * Stops every {@link runLoop} running on this pool, in any thread: each returns within about a
   * millisecond with `stopped: true` and the operations it completed. Loops started later run normally.
   * A runLoop blocks its own thread, so call this from another one (any thread can attach the pool by id).
   */
  stopLoops(): void {
    native(() => addon().poolStopLoops(this.id));
  }

  /**
   * Runs a native loop on the calling thread (blocking it) and returns its time and this thread's
   * counters. It runs in chunks of up to ~1 ms, so {@link stopLoops} from another thread stops it.
   */
  runLoop(options: RunLoopOptions): RunLoopResult {
    const o = expectObject('options', options);
    rejectUnknownKeys('options', o, ['scenario', 'ops', 'batch']);
    const spec = {
      scenario: expectOneOf('scenario', o.scenario, LOOP_SCENARIOS),
      ops: expectInteger('ops', o.ops, 0, Number.MAX_SAFE_INTEGER),
      batch: o.batch === undefined ? 32 : expectInteger('batch', o.batch, 1, 4096),
    };
    const r = native(() => addon().poolRunLoop(this.id, spec));
    return { ...r, nsPerOp: r.ops > 0 ? r.elapsedNs / r.ops : Number.NaN };
  }

  /**
   * Gets one block: an opaque handle (its address) to give back with {@link put}, or null if the
   * allocator is exhausted. One native call per block: for tests and demos, not hot paths.
   */
  get(): bigint | null {
    return native(() => addon().poolGet(this.id));
  }

  /** Puts back a block from {@link get} of this pool (any thread); anything else throws RangeError. */
  put(block: bigint): void {
    if (typeof block !== 'bigint') {
      throw new TypeError(`block must be a block handle (bigint) got from this pool (received ${typeof block})`);
    }
    native(() => addon().poolPut(this.id, block));
  }
}
