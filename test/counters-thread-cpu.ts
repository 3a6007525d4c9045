/**
 * Test helper: the calling thread's CPU time in ns, from
 * /proc/thread-self/schedstat (first field: time on CPU, ns resolution).
 * Node 20 has no per-thread CPU clock, and process.cpuUsage() includes V8's
 * background threads.
 */
import { readFileSync } from 'node:fs';

export function threadCpuNs(): number {
  const first = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0];
  return Number(first);
}

/** Spins the calling thread for `ns` of its own CPU time. */
export function spinCpuNs(ns: number): void {
  const end = threadCpuNs() + ns;
  let x = 0;
  while (threadCpuNs() < end) {
    for (let i = 0; i < 1000; i++) x += i;
  }
  if (x === -1) throw new Error('unreachable');
}
