import { describe, expect, it } from 'vitest';
import { measure } from '../lib/counters/measure.js';

let sink = 0;
/** About 1 µs of work per call on this machine's class of CPU (~0.6–1.2 µs measured). */
function oneMicrosecond(): void {
  let x = 0;
  for (let i = 0; i < 450; i++) x += Math.sqrt(i + sink);
  sink = x % 7;
}

const relativeSpread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return ((sorted[sorted.length - 1] ?? 0) - (sorted[0] ?? 0)) / (sorted[sorted.length >> 1] ?? 1);
};

describe('measure', () => {
  it('measures a ~1 µs function with under 5% relative spread across 5 runs', () => {
    const runs = Array.from({ length: 5 }, () => measure(oneMicrosecond, { iterations: 20_000 }));
    const ns = runs.map((r) => r.nsPerCall);
    const cpu = runs.map((r) => r.events.find((e) => e.name === 'task-clock')?.perCallMedian ?? 0);
    console.log(
      `ns/call ${ns.map((v) => v.toFixed(0)).join(' ')}; task-clock ns/call ${cpu.map((v) => v.toFixed(0)).join(' ')};`,
      `undisturbed batches ${runs.map((r) => `${r.undisturbedBatches}/${r.batches}`).join(' ')}`,
    );
    expect(Math.min(...ns)).toBeGreaterThan(200);
    expect(Math.max(...ns)).toBeLessThan(5000);
    expect(relativeSpread(ns)).toBeLessThan(0.05);
    expect(relativeSpread(cpu)).toBeLessThan(0.05);
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
    expect(r.batchSize).toBeGreaterThan(50); // 2 ms batches of a ~1 µs call
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
    expect(r.events[0]?.perCall).toBeGreaterThan(0);
  });
});
