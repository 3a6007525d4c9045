/**
 * Worker for the counters tests: opens counters inside the worker (so they
 * count this thread only) and does one of:
 *   sleep: sleeps 1 ms 30 times (Atomics.wait) while counting context switches;
 *   spin:  spins `ms` of its own CPU time while counting task-clock;
 *   wait:  counts task-clock while blocked until the parent signals (another worker spins meanwhile).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Counters } from '../lib/counters/counters.js';
import { spinCpuNs } from './counters-thread-cpu.js';

interface Job {
  mode: 'sleep' | 'spin' | 'wait';
  ms?: number;
  /** For `wait`: [0] is set to 1 by the parent to release the worker. */
  flag?: SharedArrayBuffer;
}

const job = workerData as Job;
const counters = Counters.open(['task-clock', 'context-switches']);
const nap = new Int32Array(new SharedArrayBuffer(4));
counters.start();
if (job.mode === 'sleep') {
  for (let i = 0; i < 30; i++) Atomics.wait(nap, 0, 0, 1);
} else if (job.mode === 'spin') {
  spinCpuNs((job.ms ?? 50) * 1e6);
} else if (job.flag !== undefined) {
  const flag = new Int32Array(job.flag);
  parentPort?.postMessage({ ready: true });
  Atomics.wait(flag, 0, 0, 10_000);
}
const readings = counters.stop();
counters.close();
parentPort?.postMessage({ readings });
