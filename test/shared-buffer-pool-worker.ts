// Worker side of the SharedBufferPool cross-thread tests (not a test file itself).
// Modes:
//  stress:   acquire batches of blocks, stamp each with (worker id, round), spin a
//            little, check the stamp is still ours, release; report mismatches.
//  produce:  acquire blocks, write a payload, send their indices over `port`.
//  consume:  take indices from `port`, check the payload, release the blocks.
//  hold:     acquire `count` blocks, hand the last one on with indexOf(), then
//            wait to be terminated (no close()).
//  race:     for `count` rounds, read the index of the block the main thread
//            handed on in `ctl`, meet the main thread at a spin barrier, and
//            claim it (fromIndex) and release it at the same instant as the main
//            thread releases its own view of it.

import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { SharedBufferPool, type SharedBufferPoolHandle } from '../lib/shared-buffer-pool.js';

interface Job {
  mode: 'stress' | 'produce' | 'consume' | 'hold' | 'race';
  handle: SharedBufferPoolHandle;
  id: number;
  /** stress: how long to run, after the parent's 'go'. */
  ms?: number;
  count?: number;
  port?: MessagePort;
  /** race: [round, index, arrivals, workerWins, workerRefusals, workerDoneRound] */
  ctl?: SharedArrayBuffer;
}

const job = workerData as Job;
const pool = SharedBufferPool.attach(job.handle);

function stress(): void {
  let mismatches = 0;
  let acquired = 0;
  let exhausted = 0;
  const end = Date.now() + (job.ms ?? 300);
  for (let r = 0; Date.now() < end; r++) {
    const held: Buffer[] = [];
    const want = 1 + (r % 6);
    for (let k = 0; k < want; k++) {
      const b = pool.tryAcquire();
      if (b === undefined) {
        exhausted++;
        break;
      }
      b.writeUInt32LE(job.id, 0);
      b.writeUInt32LE(r, 4);
      held.push(b);
    }
    acquired += held.length;
    for (let spin = 0; spin < 50; spin++) Math.sqrt(spin); // let the other threads run into our blocks, if they can
    for (const b of held) {
      if (b.readUInt32LE(0) !== job.id || b.readUInt32LE(4) !== r) mismatches++;
      pool.release(b);
    }
  }
  const s = pool.stats();
  pool.close();
  parentPort?.postMessage({ mismatches, acquired, exhausted, threadAcquires: s.threadAcquires });
}

function produce(port: MessagePort): void {
  const count = job.count ?? 100;
  let sent = 0;
  const sendOne = (): void => {
    while (sent < count) {
      const b = pool.tryAcquire();
      if (b === undefined) {
        setTimeout(sendOne, 1); // the consumer has them all; wait for releases
        return;
      }
      b.write(`block-${sent}`, 0);
      b.writeUInt32LE(sent, 60);
      port.postMessage(pool.indexOf(b)); // ownership moves with the number
      sent++;
    }
    pool.close();
    parentPort?.postMessage({ sent });
  };
  sendOne();
}

function consume(port: MessagePort): void {
  const count = job.count ?? 100;
  let received = 0;
  let bad = 0;
  port.on('message', (index: number) => {
    const b = pool.fromIndex(index);
    const n = b.readUInt32LE(60);
    if (b.toString('utf8', 0, `block-${n}`.length) !== `block-${n}` || n !== received) bad++;
    pool.release(b);
    received++;
    if (received === count) {
      port.close();
      pool.close();
      parentPort?.postMessage({ received, bad });
    }
  });
}

function race(ctl: Int32Array): void {
  const rounds = job.count ?? 100;
  for (let r = 1; r <= rounds; r++) {
    const deadline = Date.now() + 20_000;
    while (Atomics.load(ctl, 0) < r) {
      if (Date.now() > deadline) throw new Error('race: the main thread stopped');
      Atomics.wait(ctl, 0, r - 1, 100);
    }
    const index = Atomics.load(ctl, 1);
    Atomics.add(ctl, 2, 1);
    while (Atomics.load(ctl, 2) < 2 * r) {
      if (Date.now() > deadline) throw new Error('race: the main thread stopped');
    } // spin: both threads go at once
    try {
      pool.release(pool.fromIndex(index));
      Atomics.add(ctl, 3, 1);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_BLOCK_NOT_HELD') throw err;
      Atomics.add(ctl, 4, 1);
    }
    Atomics.store(ctl, 5, r);
    Atomics.notify(ctl, 5);
  }
  parentPort?.postMessage('raced');
}

if (job.mode === 'race') race(new Int32Array(job.ctl as SharedArrayBuffer));
else if (job.mode === 'stress') {
  parentPort?.once('message', stress); // 'go': every thread starts together
  parentPort?.postMessage('ready');
} else if (job.mode === 'produce') produce(job.port as MessagePort);
else if (job.mode === 'consume') consume(job.port as MessagePort);
else {
  let last: Buffer | undefined;
  for (let k = 0; k < (job.count ?? 1); k++) last = pool.acquire();
  const handedOn = pool.indexOf(last as Buffer);
  parentPort?.postMessage({ holding: job.count ?? 1, handedOn });
}
