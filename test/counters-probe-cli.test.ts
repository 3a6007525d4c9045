import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { probe } from '../lib/counters/probe.js';

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
    expect(table).toMatch(/^task-clock\s+task-clock\s+counted/m);
    expect(table).toMatch(/^cycles\s+hardware\s+(counted|not-supported|denied|not-counted)/m);
    const json = JSON.parse(cli('probe', '--json')) as ReturnType<typeof probe>;
    expect(json.machine.logicalCores).toBeGreaterThan(0);
    expect(json.events.find((e) => e.name === 'page-faults')?.state).toBe('counted');
  });
});
