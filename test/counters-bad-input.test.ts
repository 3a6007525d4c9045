import { describe, expect, it } from 'vitest';
import { Counters } from '../lib/counters/counters.js';
import { measure } from '../lib/counters/measure.js';
import { CountersError } from '../lib/errors.js';

describe('bad input', () => {
  it('an unknown event name lists the closest known names', () => {
    expect(() => Counters.open(['task-clock', 'cycels'])).toThrow(RangeError);
    expect(() => Counters.open(['task-clock', 'cycels'])).toThrow(
      /events\[1\] 'cycels' is not a known event; closest: 'cycles'/,
    );
    expect(() => Counters.open(['page-fault'])).toThrow(/closest: 'page-faults'/);
    expect(() => Counters.open(['contextswitches'])).toThrow(/'context-switches'/);
  });

  it('an empty list, a duplicate (also under another spelling) and a malformed raw code are refused', () => {
    expect(() => Counters.open([])).toThrow(/at least one event/);
    expect(() => Counters.open(['task-clock', 'task-clock'])).toThrow(
      /events\[1\] 'task-clock' duplicates events\[0\]/,
    );
    expect(() => Counters.open(['context-switches', 'cs'])).toThrow(/'cs' duplicates events\[0\] 'context-switches'/);
    expect(() => Counters.open(['r12xz'])).toThrow(
      /'r12xz' is not a valid raw event: expected r followed by 1 to 16 hex/,
    );
    expect(() => Counters.open(['cycles:q'])).toThrow(/invalid modifier 'q'/);
    expect(() => Counters.open(['task-clock:'])).toThrow(/empty modifier/);
  });

  it('wrong types name the field', () => {
    expect(() => Counters.open('task-clock' as unknown as string[])).toThrow(TypeError);
    expect(() => Counters.open([42 as unknown as string])).toThrow(/events\[0\] must be an event name/);
    expect(() => Counters.open(['task-clock'], { requireall: true } as never)).toThrow(
      /options.requireall is not a known option/,
    );
    expect(() => measure(() => 1, { iterations: 0 })).toThrow(/options.iterations must be an integer from 1/);
    expect(() => measure('x' as never)).toThrow(/fn must be a function/);
    expect(() => measure(async () => 1, { iterations: 10, warmup: 0 })).toThrow(/fn must be synchronous/);
  });

  it('requireAll turns an event the machine cannot count into a CountersError naming it', () => {
    // cycles:u is counted where a PMU exists; a raw code no CPU accepts is refused everywhere
    let err: unknown;
    try {
      Counters.open(['task-clock', 'rffffffffffffffff'], { requireAll: true }).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CountersError);
    expect(String((err as Error).message)).toMatch(/rffffffffffffffff: (not-supported|error|denied)/);
  });

  it('using closed counters throws a CountersError', () => {
    const c = Counters.open(['task-clock']);
    c.close();
    expect(() => c.start()).toThrow(CountersError);
    expect(() => c.stop()).toThrow(/closed/);
    expect(c.closed).toBe(true);
  });
});
