/**
 * A run past its time limit is stopped with a clear error, even when its
 * loops were asked for far more operations than fit: native loops check the
 * run's stop flag between chunks, so the workers come back and exit.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RunError } from '../lib/errors.js';
import { harnessAddon } from '../lib/harness/native.js';
import { runStress } from '../lib/harness/run-suite.js';

const threads = () => readdirSync('/proc/self/task').length;

describe('time limit', () => {
  for (const scenario of ['get-put', 'producer-consumer'] as const) {
    it(`${scenario}: a run asked for 10^12 ops per worker stops at its 2 s limit with ERR_TIME_LIMIT`, async () => {
      const baseline = threads();
      const started = Date.now();
      const err = await runStress({
        scenario,
        threads: 2,
        ops: 1e12,
        repeat: 1,
        warmup: 0,
        events: ['task-clock'],
        timeLimitMs: 2_000,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const took = Date.now() - started;
      expect(err).toBeInstanceOf(RunError);
      expect((err as RunError).code).toBe('ERR_TIME_LIMIT');
      expect((err as RunError).message).toContain('time limit of 2000 ms');
      // Not stopped early. No upper bound on a busy machine's clock: without the stop flag a 10^12-op
      // loop runs for hours, so the test's own timeout is what catches a loop that does not stop.
      expect(took).toBeGreaterThanOrEqual(2_000);
      for (let i = 0; i < 100 && threads() > baseline; i++) await new Promise((r) => setTimeout(r, 20));
      expect(threads()).toBe(baseline);
      expect(harnessAddon().harnessGroupCount()).toBe(0);
      expect(harnessAddon().harnessPoolCount()).toBe(0);
    });
  }

  it("the workers' start counts against the time limit (no fixed 60 s start timeout)", async () => {
    const baseline = threads();
    // No worker thread starts and loads the addon within 1 ms: the start itself must hit the limit.
    const err = await runStress({ scenario: 'get-put', repeat: 1, events: [], timeLimitMs: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RunError);
    expect((err as RunError).code).toBe('ERR_TIME_LIMIT');
    expect((err as RunError).message).toBe('run stopped: its workers did not start within its time limit of 1 ms');
    for (let i = 0; i < 100 && threads() > baseline; i++) await new Promise((r) => setTimeout(r, 20));
    expect(threads()).toBe(baseline);
  });
});
