/**
 * The native pool a benchmark runs on: made on the main thread by the core's
 * makePool and registered in the addon's one pool registry (native/addon/pool_registry.hpp,
 * the same ids as NativePool),
 * reached by id from every worker's native code, destroyed when the
 * benchmark ends (a worker still running keeps it alive until it returns).
 */
import { NativePool, type PoolKind } from '../pool.js';
import type { ResolvedSpec } from './options.js';

export interface PoolHandle {
  /** The id the workers' native code finds the pool by. */
  id: number;
  close(): void;
}

export function openPool(spec: ResolvedSpec): PoolHandle {
  const pool = NativePool.create({
    pool: spec.pool as PoolKind,
    layout: spec.layout,
    publish: spec.publish,
    objectSize: spec.objectSize,
    victim: spec.victim,
  });
  let open = true;
  return {
    id: pool.id,
    close() {
      if (open) pool.destroy();
      open = false;
    },
  };
}
