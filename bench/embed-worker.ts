// Worker side of bench/embed.ts's cross-worker handoff: receives blocks (or
// buffers) from the main thread, reads them, and acknowledges each burst.
//   {kind:'index', i}      a SharedBufferPool block index: fromIndex, read, release here
//   {kind:'copy', buf}     a Buffer copied by structured clone
//   {kind:'transfer', ab}  an ArrayBuffer moved with transferList
//   {kind:'flush', n}      the end of a burst of n: reply when all were read
import { parentPort, workerData } from 'node:worker_threads';
import { SharedBufferPool, type SharedBufferPoolHandle } from '../lib/shared-buffer-pool.js';

const pool = SharedBufferPool.attach((workerData as { handle: SharedBufferPoolHandle }).handle);
let seen = 0;
let sum = 0;

type Msg =
  | { kind: 'index'; i: number }
  | { kind: 'copy'; buf: Uint8Array }
  | { kind: 'transfer'; ab: ArrayBuffer }
  | { kind: 'flush'; n: number }
  | { kind: 'close' };

parentPort?.on('message', (m: Msg) => {
  switch (m.kind) {
    case 'index': {
      const b = pool.fromIndex(m.i);
      sum += b[0] as number;
      pool.release(b);
      seen++;
      break;
    }
    case 'copy':
      sum += m.buf[0] as number;
      seen++;
      break;
    case 'transfer':
      sum += new Uint8Array(m.ab)[0] as number;
      seen++;
      break;
    case 'flush':
      parentPort?.postMessage({ seen, sum });
      seen = 0;
      break;
    case 'close':
      pool.close();
      parentPort?.postMessage({ closed: true });
      break;
  }
});
parentPort?.postMessage('ready');
