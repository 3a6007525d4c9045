/**
 * The native pool a benchmark runs on, made on the main thread and reached by
 * the workers' native code through its id (the core's pool registry).
 */
import type { ResolvedSpec } from './options.js';

export interface PoolHandle {
  /** The id the workers' native code finds the pool by. */
  id: number;
  close(): void;
}

export function openPool(spec: ResolvedSpec): PoolHandle {
  throw new Error(`pool '${spec.pool}' is not available: the core pool is not built into this addon yet`);
}
