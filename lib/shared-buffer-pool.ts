/**
 * `SharedBufferPool`: the public export path (lib/index.ts and callers import
 * from here). The code is in lib/shared-buffer-pool/: types.ts (options,
 * handle, statistics), native.ts (the addon's calls), index.ts (the class).
 */
export { liveSlabCount, SharedBufferPool } from './shared-buffer-pool/index.js';
export {
  MAX_BLOCK_SIZE,
  MAX_BLOCKS,
  MAX_THREAD_CACHE,
  type SharedBufferPoolHandle,
  type SharedBufferPoolOptions,
  type SharedBufferPoolStats,
} from './shared-buffer-pool/types.js';
