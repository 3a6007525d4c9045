/**
 * The native half of {@link SharedBufferPool} (native/addon/shared_buffer_pool.cpp),
 * typed: what each call takes and returns. Nothing here is public.
 */
import { nativeAddon } from '../binding.js';
import type { SharedBufferPoolStats } from './types.js';

/** What `sbpCreate`/`sbpAttach` return: this thread's attachment to a pool. */
export interface AttachResult {
  /** The thread's attachment (an External), passed back to every other call. */
  attachment: object;
  /** The blocks' state words (int32 each), in a mapping of their own: never reachable through a block. */
  state: ArrayBuffer;
  blockSize: number;
  blocks: number;
  /** The pool's process-wide id (what a handle names). */
  id: number;
  /** This attachment's tag: a block cached here has state `tag`, a block held here `-tag`. */
  tag: number;
}

/** What the native side reports: the public statistics less what only this thread's JS side knows. */
export type NativeStats = Omit<SharedBufferPoolStats, 'kind' | 'free' | 'threadAcquires' | 'threadReleases'>;

/** The pool's shape as `sbpCreate` takes it and `sbpAttach` must repeat it, then this thread's transfer words. */
type PoolShapeArgs = [
  blockSize: number,
  blocks: number,
  threadCacheSize: number,
  atomicCheck: boolean,
  transfer: Uint32Array,
];

export interface SharedBufferPoolAddon {
  sbpCreate(...shape: PoolShapeArgs): AttachResult;
  /** Refuses (RangeError naming the field) a handle whose sizes or options are not the pool's. */
  sbpAttach(id: number, ...shape: PoolShapeArgs): AttachResult;
  /** This thread's ArrayBuffer over block `index`: exactly `blockSize` bytes, that block only. */
  sbpBlock(attachment: object, index: number): ArrayBuffer;
  sbpRefill(attachment: object, want: number, acquires: number, releases: number): number;
  sbpFlush(attachment: object, count: number, acquires: number, releases: number): void;
  sbpStats(attachment: object, acquires: number, releases: number): NativeStats;
  /** Detaches `views` (this thread's block Buffers) and `state`, gives back what the thread cached or held. */
  sbpClose(attachment: object, views: readonly (Buffer | undefined)[], state: ArrayBuffer): void;
  sbpLiveSlabs(): number;
}

/** The addon, loaded on first use (not at import: a load failure then surfaces where it can be handled). */
export const addon = (): SharedBufferPoolAddon => nativeAddon<SharedBufferPoolAddon>();
