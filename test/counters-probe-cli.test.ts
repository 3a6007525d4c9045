import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { probe } from '../lib/counters/probe.js';
import { expectNoPerfEventOpen, PORTABLE } from './fixtures/platform.js';

const cli = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], { encoding: 'utf8' });

describe('probe', () => {
  it('reports the machine facts of MachineInfo and every known event with a state', () => {
    const { machine, events } = probe();
    expect(Object.keys(machine)).toEqual(
      expect.arrayContaining([
        'cpuModel',
        'logicalCores',
        'kernel',
        'node',
        'compiler',
        'perfEventParanoid',
        'os',
        'arch',
        'pmu',
      ]),
    );
    expect(machine.compiler).toMatch(/^(g\+\+|clang) \d+/);
    expect(machine.tscHz).toBeGreaterThan(1e8);
    for (const name of [
      'cycles',
      'instructions',
      'L1-dcache-load-misses',
      'task-clock',
      'page-faults',
      'context-switches',
      'tsc',
    ]) {
      expect(events.map((e) => e.name)).toContain(name);
    }
    for (const e of events) {
      expect(['counted', 'not-counted', 'not-supported', 'denied', 'error']).toContain(e.state);
      if (e.state !== 'counted') expect(e.reason).toBeTruthy();
    }
    if (PORTABLE) {
      // no perf_event_open: every event but the TSC is not-supported, and no PMU is claimed
      for (const e of events) {
        if (e.name === 'tsc') expect(e.state).toBe('counted');
        else expectNoPerfEventOpen(e);
      }
      expect(machine.pmu).toBe(false);
      return;
    }
    // software events work on every Linux this runs on (as root here; with paranoid <= 2 user-only otherwise)
    for (const name of ['task-clock', 'page-faults']) {
      const e = events.find((x) => x.name === name);
      expect(e?.state).toBe('counted');
      expect(e?.value).toBeGreaterThan(0);
    }
  });

  it('`poolscope probe` prints the table, `--json` the same facts as JSON', () => {
    const table = cli('probe');
    expect(table).toMatch(/perf_event_paranoid=/);
    const json = JSON.parse(cli('probe', '--json')) as ReturnType<typeof probe>;
    expect(json.machine.logicalCores).toBeGreaterThan(0);
    if (PORTABLE) {
      expect(table).toMatch(/^task-clock\s+task-clock\s+not-supported\s.*no perf_event_open on this OS/m);
      expect(table).toMatch(/^cycles\s+hardware\s+not-supported\s.*no perf_event_open on this OS/m);
      expectNoPerfEventOpen(json.events.find((e) => e.name === 'page-faults'));
      return;
    }
    expect(table).toMatch(/^task-clock\s+task-clock\s+counted/m);
    expect(table).toMatch(/^cycles\s+hardware\s+(counted|not-supported|denied|not-counted)/m);
    expect(json.events.find((e) => e.name === 'page-faults')?.state).toBe('counted');
  });
});
