// The piscina task of examples/piscina-zero-copy.ts: claims the request body's
// block by index (no copy: the bytes the main thread wrote are right there),
// processes it in place (ASCII upper case), checksums the result, and releases
// the block from this worker thread.
import { workerData } from 'piscina';
import { SharedBufferPool, type SharedBufferPoolHandle } from '../lib/index.js';

// One attachment per piscina worker thread, made when piscina loads this module.
const pool = SharedBufferPool.attach((workerData as { handle: SharedBufferPoolHandle }).handle);

export interface UpperTask {
  /** The block's index, from the main thread's `pool.indexOf(block)`. */
  index: number;
  /** Bytes of the body in the block. */
  length: number;
}

export interface UpperResult {
  /** FNV-1a 32-bit of the body after upper-casing, in hex. */
  checksum: string;
  /** Bytes changed in place. */
  changed: number;
}

export default function upper({ index, length }: UpperTask): UpperResult {
  const block = pool.fromIndex(index); // this thread holds the block now
  let hash = 0x811c9dc5;
  let changed = 0;
  for (let i = 0; i < length; i++) {
    let c = block[i] as number;
    if (c >= 0x61 && c <= 0x7a) {
      c -= 0x20;
      block[i] = c;
      changed++;
    }
    hash = Math.imul(hash ^ c, 0x01000193) >>> 0;
  }
  pool.release(block); // back to the pool, from this thread: the main thread never sees it again
  return { checksum: hash.toString(16).padStart(8, '0'), changed };
}
