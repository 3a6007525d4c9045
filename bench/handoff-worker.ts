// Worker side of bench/handoff.ts: receives a payload four ways and touches it
// (its first and last byte) the same way each time.
//   {kind:'index', i, ack}     SharedBufferPool block index: fromIndex, touch, release here
//   {kind:'copy', buf, ack}    a Buffer copied by structured clone
//   {kind:'transfer', ab, ack} an ArrayBuffer moved with a transfer list
//   {kind:'flush'}             reply {seen} once every message before it was handled
//   {kind:'ring', on}          start / stop consuming the SharedArrayBuffer ring
//   {kind:'mem'}               reply {arrayBuffers} of this thread
// `ack` asks for a reply per message (round trip); without it only 'flush' replies, with
// the count of messages without `ack` since the last flush.
//
// The ring (a hand-written alternative to the pool): `slots` slots of `size`
// bytes in one SharedArrayBuffer, and ctl = Int32Array [tail, head]: the main
// thread writes slot tail % slots and then advances tail (Atomics.store +
// notify); this thread waits for tail with Atomics.waitAsync (so its event loop
// stays free, as a piscina or service worker's must), touches the slot in
// place, and advances head (Atomics.store + notify), which frees the slot.
import { parentPort, workerData } from 'node:worker_threads';
import { SharedBufferPool, type SharedBufferPoolHandle } from '../lib/shared-buffer-pool.js';
import { waitWhileEqual } from './wait-async.js';

interface Data {
  handle: SharedBufferPoolHandle;
  ring: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  slots: number;
  size: number;
}
type Msg =
  | { kind: 'index'; i: number; ack: boolean }
  | { kind: 'copy'; buf: Uint8Array; ack: boolean }
  | { kind: 'transfer'; ab: ArrayBuffer; ack: boolean }
  | { kind: 'flush' }
  | { kind: 'ring'; on: boolean }
  | { kind: 'mem' };

const data = workerData as Data;
const pool = SharedBufferPool.attach(data.handle);
const ring = new Uint8Array(data.ring);
const ctl = new Int32Array(data.ctl); // [tail, head]
const port = parentPort;
if (port === null) throw new Error('bench/handoff-worker.ts runs as a worker thread');
let seen = 0;
let sum = 0;

const touch = (b: Uint8Array): void => {
  sum += (b[0] as number) + (b[b.length - 1] as number);
};

let ringOn = false;
async function consumeRing(): Promise<void> {
  let head = Atomics.load(ctl, 1);
  while (ringOn) {
    const tail = Atomics.load(ctl, 0);
    if (tail === head) {
      await waitWhileEqual(ctl, 0, tail, 1000);
      continue;
    }
    for (; head !== tail; head++) {
      const at = (head % data.slots) * data.size;
      touch(ring.subarray(at, at + data.size));
      Atomics.store(ctl, 1, head + 1); // the slot is free again (pairs with the producer's load of head)
      Atomics.notify(ctl, 1);
    }
  }
}

port.on('message', (m: Msg) => {
  switch (m.kind) {
    case 'index': {
      const b = pool.fromIndex(m.i);
      touch(b);
      pool.release(b);
      if (m.ack) port.postMessage(0);
      else seen++;
      break;
    }
    case 'copy':
      touch(m.buf);
      if (m.ack) port.postMessage(0);
      else seen++;
      break;
    case 'transfer':
      touch(new Uint8Array(m.ab));
      if (m.ack) port.postMessage(0);
      else seen++;
      break;
    case 'flush':
      port.postMessage({ seen, sum });
      seen = 0;
      break;
    case 'ring':
      ringOn = m.on;
      if (m.on) void consumeRing();
      else Atomics.notify(ctl, 0); // wake the waiter so it sees ringOn = false
      break;
    case 'mem':
      port.postMessage({ arrayBuffers: process.memoryUsage().arrayBuffers });
      break;
  }
});
port.postMessage('ready');
