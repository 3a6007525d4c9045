/**
 * Figures derived from two counters: IPC and miss ratios. A ratio is only
 * formed from two events counted in the same perf group (so over exactly the
 * same instants, even when the kernel multiplexes) and with the same
 * privilege modifiers; otherwise it is left out rather than guessed.
 */
import type { EventState } from '../results/schema.js';

/** A ratio of two counters of the same perf group, e.g. IPC = instructions ÷ cycles. */
export interface DerivedFigure {
  /** `ipc`, `cache-miss-ratio`, `branch-miss-ratio`, `L1-dcache-load-miss-ratio`, … */
  name: string;
  value: number;
  /** [numerator, denominator] event names as requested. */
  from: [string, string];
}

/** What a derived figure needs to know of each event. */
export interface DerivableEvent {
  name: string;
  /** Table name without modifiers (aliases resolved). */
  canonical: string;
  /** perf group index; -1 when not in a group. */
  group: number;
  state: EventState;
  /** The count to divide (scaled, per call or total: both sides the same). */
  value: number;
}

const RATIOS: ReadonlyArray<readonly [string, string, string]> = [
  ['ipc', 'instructions', 'cycles'],
  ['cache-miss-ratio', 'cache-misses', 'cache-references'],
  ['branch-miss-ratio', 'branch-misses', 'branch-instructions'],
  ['L1-dcache-load-miss-ratio', 'L1-dcache-load-misses', 'L1-dcache-loads'],
  ['LLC-load-miss-ratio', 'LLC-load-misses', 'LLC-loads'],
  ['dTLB-load-miss-ratio', 'dTLB-load-misses', 'dTLB-loads'],
];

function modifiers(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(colon + 1);
}

export function deriveFigures(events: readonly DerivableEvent[]): DerivedFigure[] {
  const out: DerivedFigure[] = [];
  for (const [figure, num, den] of RATIOS) {
    for (const n of events) {
      if (n.canonical !== num || n.state !== 'counted' || n.group < 0) continue;
      const d = events.find(
        (e) =>
          e.canonical === den &&
          e.group === n.group &&
          e.state === 'counted' &&
          modifiers(e.name) === modifiers(n.name),
      );
      if (d === undefined || d.value === 0) continue;
      const suffix = modifiers(n.name) === '' ? '' : `:${modifiers(n.name)}`;
      out.push({ name: `${figure}${suffix}`, value: n.value / d.value, from: [n.name, d.name] });
    }
  }
  return out;
}
