import { describe, expect, it } from 'vitest';
import { type DerivableEvent, deriveFigures } from '../lib/counters/derived.js';

const ev = (name: string, canonical: string, group: number, value: number, state = 'counted' as const) =>
  ({ name, canonical, group, value, state }) as DerivableEvent;

describe('derived figures', () => {
  it('IPC and miss ratios from two events of the same group', () => {
    const figures = deriveFigures([
      ev('cycles', 'cycles', 0, 2000),
      ev('instructions', 'instructions', 0, 3000),
      ev('branch-instructions', 'branch-instructions', 0, 500),
      ev('branch-misses', 'branch-misses', 0, 5),
    ]);
    expect(figures).toEqual([
      { name: 'ipc', value: 1.5, from: ['instructions', 'cycles'] },
      { name: 'branch-miss-ratio', value: 0.01, from: ['branch-misses', 'branch-instructions'] },
    ]);
  });

  it('none across groups, across modifiers, from uncounted events, or over zero', () => {
    expect(deriveFigures([ev('cycles', 'cycles', 0, 2000), ev('instructions', 'instructions', 1, 3000)])).toEqual([]);
    expect(deriveFigures([ev('cycles:u', 'cycles', 0, 2000), ev('instructions', 'instructions', 0, 3000)])).toEqual([]);
    expect(
      deriveFigures([
        ev('cycles', 'cycles', -1, 0, 'not-supported' as never),
        ev('instructions', 'instructions', -1, 0),
      ]),
    ).toEqual([]);
    expect(deriveFigures([ev('cycles', 'cycles', 0, 0), ev('instructions', 'instructions', 0, 10)])).toEqual([]);
  });

  it('matching modifiers and aliases resolved to the table name pair up', () => {
    const figures = deriveFigures([
      ev('cpu-cycles:u', 'cycles', 2, 1000),
      ev('instructions:u', 'instructions', 2, 500),
    ]);
    expect(figures).toEqual([{ name: 'ipc:u', value: 0.5, from: ['instructions:u', 'cpu-cycles:u'] }]);
  });
});
