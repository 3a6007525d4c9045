import { describe, expect, it } from 'vitest';
import { Counters } from '../lib/counters/counters.js';
import { probe } from '../lib/counters/probe.js';
import { spinCpuNs } from './counters-thread-cpu.js';
import { expectNoPerfEventOpen, PORTABLE } from './fixtures/platform.js';

const HARDWARE = ['cycles', 'instructions', 'branch-instructions', 'branch-misses'];

describe('hardware events', () => {
  const { machine } = probe();

  it('are reported, never dropped: not-supported with a reason where the machine has no PMU, counting > 0 where it has', () => {
    const counters = Counters.open([...HARDWARE, 'task-clock']);
    try {
      counters.start();
      spinCpuNs(5e6);
      const readings = counters.stop();
      expect(readings.map((r) => r.name)).toEqual([...HARDWARE, 'task-clock']);
      if (PORTABLE) {
        console.log('branch: portable layer; every event must be not-supported, no perf_event_open');
        expect(machine.pmu).toBe(false);
        for (const r of readings) expectNoPerfEventOpen(r);
        return;
      }
      expect(readings[4]?.state).toBe('counted'); // one unsupported kind does not sink the others
      const hw = readings.slice(0, 4);
      if (!machine.pmu) {
        console.log('branch: no hardware PMU here; hardware events must be not-supported with a reason');
        for (const r of hw) {
          expect(r.state).toBe('not-supported');
          expect(r.reason).toMatch(/^(ENOENT|EOPNOTSUPP|ENODEV) .*no such counter/);
        }
      } else {
        console.log(`branch: hardware PMU present; states ${hw.map((r) => `${r.name}=${r.state}`).join(', ')}`);
        for (const r of hw) {
          if (r.state === 'counted') {
            if (r.name !== 'branch-misses') expect(r.scaled).toBeGreaterThan(0);
          } else {
            expect(r.reason).toBeTruthy(); // denied or not-counted: says why
          }
        }
      }
    } finally {
      counters.close();
    }
  });

  it('a PMU-less machine says so in the machine facts, consistently with the event states', () => {
    const { machine: m, events } = probe();
    const hwStates = events.filter((e) => e.kind === 'hardware').map((e) => e.state);
    expect(hwStates.length).toBeGreaterThan(0);
    if (!m.pmu) expect(new Set(hwStates)).toEqual(new Set(['not-supported']));
    else expect(hwStates.some((s) => s !== 'not-supported')).toBe(true);
  });
});
