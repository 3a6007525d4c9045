// The example server's worker: takes a body by block index, upper-cases it in
// place, checksums the original, and hands the block back by index.
import { parentPort, workerData } from 'node:worker_threads';
import { SharedBufferPool, type SharedBufferPoolHandle } from '../lib/index.js';

const pool = SharedBufferPool.attach((workerData as { handle: SharedBufferPoolHandle }).handle);

parentPort?.on('message', (msg: { job: number; index: number; length: number }) => {
  const block = pool.fromIndex(msg.index); // this thread owns the block now
  let hash = 0x811c9dc5; // FNV-1a, 32-bit
  for (let i = 0; i < msg.length; i++) {
    const c = block[i] as number;
    hash = Math.imul(hash ^ c, 0x01000193) >>> 0;
    if (c >= 0x61 && c <= 0x7a) block[i] = c - 0x20;
  }
  // hand it back: after this message the worker does not touch the block
  parentPort?.postMessage({ job: msg.job, index: pool.indexOf(block), checksum: hash.toString(16).padStart(8, '0') });
});
