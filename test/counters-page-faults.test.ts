import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Counters } from '../lib/counters/counters.js';
import { expectNoPerfEventOpen, PORTABLE } from './fixtures/platform.js';

/** Fault granularity: 2 MiB when transparent huge pages are always on, else the 4 KiB page. */
function faultBytes(): number {
  try {
    return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[always]') ? 2 << 20 : 4096;
  } catch {
    return 4096;
  }
}

describe('page-faults', () => {
  it('grows by at least N/2 when N fresh pages are touched', () => {
    // 64 MiB: above glibc's largest dynamic mmap threshold (32 MiB), so the memory is freshly mapped.
    const bytes = 64 << 20;
    const n = bytes / faultBytes();
    const counters = Counters.open(['page-faults', 'minor-faults']);
    try {
      counters.start();
      const mem = new Uint8Array(new ArrayBuffer(bytes));
      for (let p = 0; p < bytes; p += 4096) mem[p] = 1;
      const readings = counters.stop();
      expect(mem[4096]).toBe(1);
      if (PORTABLE) {
        console.log('branch: portable layer; page faults are not-supported, no perf_event_open');
        for (const r of readings) expectNoPerfEventOpen(r);
        return;
      }
      const faults = readings[0]?.value ?? 0;
      expect(readings[0]?.state).toBe('counted');
      expect(faults).toBeGreaterThanOrEqual(n / 2);
      expect(readings[1]?.value).toBeGreaterThanOrEqual(n / 2);
    } finally {
      counters.close();
    }
  });
});
