/**
 * poolscope's public API. This file only re-exports; each export is
 * documented where it is defined.
 */
export { PoolscopeError, ResultsFormatError, RunError } from './errors.js';
export { readSharedStats, SyncPool, type SyncPoolOptions, type SyncPoolStats } from './sync-pool.js';
