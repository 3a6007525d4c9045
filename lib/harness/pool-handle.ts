/**
 * The native pool a benchmark runs on: made on the main thread by the core's
 * makePool (harnessPoolCreate) and registered in the addon's one pool registry
 * (native/addon/pool_registry.hpp, the same ids as NativePool), reached by id
 * from every worker's native code, destroyed when the benchmark (or, with
 * placement randomization, the sample) ends; a worker still running keeps it
 * alive until it returns.
 */
import { nativeAddon } from '../binding.js';
import { fromNativeError } from '../errors.js';
import { harnessAddon } from './native.js';
import type { ResolvedSpec } from './options.js';

export interface PoolHandle {
  /** The id the workers' native code finds the pool by. */
  id: number;
  close(): void;
}

/** `dataOffset`: put a sync pool's per-thread records that many bytes into a page (a multiple of 64); absent: where the allocator puts them. */
export function openPool(spec: ResolvedSpec, dataOffset?: number): PoolHandle {
  let id: number;
  try {
    id = harnessAddon().harnessPoolCreate({
      pool: spec.pool,
      layout: spec.layout,
      publish: spec.publish,
      objectSize: spec.objectSize,
      victim: spec.victim,
      ...(dataOffset !== undefined ? { dataOffset } : {}),
    });
  } catch (err) {
    throw fromNativeError(err); // an allocator peer that does not load: PeerUnavailableError
  }
  let open = true;
  return {
    id,
    close() {
      if (open) nativeAddon<{ poolDestroy(id: number): void }>().poolDestroy(id);
      open = false;
    },
  };
}
