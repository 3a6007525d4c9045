import { describe, expect, it } from 'vitest';
import { measure } from '../lib/counters/measure.js';
import { expectNoPerfEventOpen, PORTABLE } from './fixtures/platform.js';

let sink = 0;
/** About 1 µs of work per call (the spread of repeated measurements is printed by `npm run bench:counters`). */
function oneMicrosecond(): void {
  let x = 0;
  for (let i = 0; i < 450; i++) x += Math.sqrt(i + sink);
  sink = x % 7;
}

describe('measure', () => {
  // How steady measure() is (the spread across runs) is a benchmark figure, printed by
  // `npm run bench:counters`; a unit test checks only what measure() returns, never timing.
  it('returns a positive, finite ns/call and task-clock per call for a ~1 µs function', () => {
    const r = measure(oneMicrosecond, { iterations: 2000 });
    expect(Number.isFinite(r.nsPerCall)).toBe(true);
    expect(r.nsPerCall).toBeGreaterThan(0);
    const tc = r.events.find((e) => e.name === 'task-clock');
    if (PORTABLE) {
      expectNoPerfEventOpen(tc); // ns/call comes from the TSC, which the portable layer still reads
    } else {
      expect(tc?.state).toBe('counted');
      expect(tc?.perCallMedian).toBeGreaterThan(0);
    }
    expect(r.undisturbedBatches).toBeLessThanOrEqual(r.batches);
  });

  it('batches the calls: one counter read per batch, and reports every event per call', () => {
    let calls = 0;
    const r = measure(
      () => {
        calls++;
        oneMicrosecond();
      },
      { iterations: 5000, warmup: 400, events: ['page-faults', 'context-switches', 'cycles'] },
    );
    expect(calls).toBe(5400);
    expect(r.iterations).toBe(5000);
    // the batch size is sized from timing (2 ms batches), so only its consistency is checked, not its value
    expect(r.batchSize).toBeGreaterThanOrEqual(1);
    expect(r.batches).toBe(Math.ceil(5000 / r.batchSize));
    expect(r.events.map((e) => e.name)).toEqual(['page-faults', 'context-switches', 'cycles', 'task-clock', 'tsc']);
    const tsc = r.events.find((e) => e.name === 'tsc');
    expect(r.tscCyclesPerCall).toBeGreaterThan(0);
    expect(tsc?.total).toBeGreaterThan(5000 * 100);
    expect(r.events.find((e) => e.name === 'cycles')?.state).toMatch(/counted|not-supported|denied/);
    const tc = r.events.find((e) => e.name === 'task-clock');
    expect(tc?.perCall).toBeCloseTo((tc?.total ?? 0) / 5000, 6);
  });

  it('a function that allocates fresh pages shows page faults per call', () => {
    const r = measure(() => new Uint8Array(new ArrayBuffer(64 << 20)).fill(1, 0, 1 << 20), {
      iterations: 5,
      warmup: 2,
      events: ['page-faults'],
    });
    // 1 MiB written per call: 256 pages of 4 KiB (or fewer with huge pages), freshly mapped each time
    if (PORTABLE) expectNoPerfEventOpen(r.events[0]);
    else expect(r.events[0]?.perCall).toBeGreaterThan(0);
  });
});
