import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Counters } from '../lib/counters/counters.js';
import { PORTABLE } from './fixtures/platform.js';

const openFds = () => readdirSync('/proc/self/fd').length;

describe('file descriptors', () => {
  it('open/close 10,000 times leaves /proc/self/fd unchanged', () => {
    // The first open fd of a software event type costs ~150 µs to open and to close (the kernel
    // patches a static key); one long-lived set keeps each type enabled, so the loop takes ~1 s.
    const keeper = Counters.open(['page-faults', 'context-switches']);
    const before = openFds();
    for (let i = 0; i < 10_000; i++) {
      const c = Counters.open(['task-clock', 'page-faults', 'context-switches', 'cycles']);
      if (i % 100 === 0) {
        c.start();
        c.stop();
      }
      c.close();
    }
    expect(openFds()).toBe(before);
    keeper.close();
  });

  it('an open set holds one fd per opened perf event (tsc and unsupported events hold none)', () => {
    const before = openFds();
    const c = Counters.open(['task-clock', 'page-faults', 'context-switches', 'tsc']);
    // the portable layer opens no perf event at all, so it holds no fd
    expect(openFds()).toBe(before + (PORTABLE ? 0 : 3));
    c.close();
    c.close(); // idempotent
    expect(openFds()).toBe(before);
  });
});
