import { describe, expect, it } from 'vitest';
import { Counters } from '../lib/counters/counters.js';
import { spinCpuNs, threadCpuNs } from './counters-thread-cpu.js';
import { expectNoPerfEventOpen, PORTABLE } from './fixtures/platform.js';

describe('task-clock', () => {
  it('agrees with the thread CPU time over a ~50 ms busy loop within 15%', () => {
    const counters = Counters.open(['task-clock', 'page-faults', 'tsc']);
    try {
      const cpu0 = threadCpuNs();
      counters.start();
      spinCpuNs(50e6);
      const readings = counters.stop();
      const cpu = threadCpuNs() - cpu0;
      const tc = readings.find((r) => r.name === 'task-clock');
      expect(readings.find((r) => r.name === 'tsc')?.value).toBeGreaterThan(0);
      if (PORTABLE) {
        console.log('branch: portable layer; task-clock and page-faults must be not-supported, tsc counted');
        expectNoPerfEventOpen(tc);
        expectNoPerfEventOpen(readings.find((r) => r.name === 'page-faults'));
        return;
      }
      expect(tc?.state).toBe('counted');
      expect(tc?.runningPct).toBe(100);
      expect(tc?.scaled).toBe(tc?.value);
      expect(tc?.value).toBeGreaterThan(0.85 * cpu);
      expect(tc?.value).toBeLessThan(1.15 * cpu);
    } finally {
      counters.close();
    }
  });

  it('counts each interval from zero: the second stop() does not include the first', () => {
    const counters = Counters.open(['task-clock']);
    try {
      counters.start();
      spinCpuNs(30e6);
      const firstReading = counters.stop()[0];
      counters.start();
      spinCpuNs(5e6);
      const secondReading = counters.stop()[0];
      if (PORTABLE) {
        // every interval reports the event, not-supported, 0: none of them is dropped or counted
        expectNoPerfEventOpen(firstReading);
        expectNoPerfEventOpen(secondReading);
        return;
      }
      const first = firstReading?.value ?? 0;
      const second = secondReading?.value ?? 0;
      expect(first).toBeGreaterThan(25e6);
      expect(second).toBeGreaterThan(4e6);
      expect(second).toBeLessThan(15e6);
    } finally {
      counters.close();
    }
  });

  it('read() while counting returns the counts so far; after stop() the last interval', () => {
    const counters = Counters.open(['task-clock']);
    try {
      counters.start();
      spinCpuNs(5e6);
      const earlyReading = counters.read()[0];
      spinCpuNs(5e6);
      const laterReading = counters.read()[0];
      const finalReading = counters.stop()[0];
      if (PORTABLE) {
        for (const r of [earlyReading, laterReading, finalReading, counters.read()[0]]) expectNoPerfEventOpen(r);
        return;
      }
      const early = earlyReading?.value ?? 0;
      const later = laterReading?.value ?? 0;
      const final = finalReading?.value ?? 0;
      expect(early).toBeGreaterThan(4e6);
      expect(later).toBeGreaterThan(early + 4e6);
      expect(final).toBeGreaterThanOrEqual(later);
      expect(counters.read()[0]?.value).toBe(final);
    } finally {
      counters.close();
    }
  });
});
