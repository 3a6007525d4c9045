/**
 * A worker that fails fails the run with its own error and stack (RunError),
 * the other workers are stopped (they leave the start barrier instead of
 * waiting for a party that never comes), and after terminate() no worker
 * thread is left.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RunError } from '../lib/errors.js';
import { harnessAddon } from '../lib/harness/native.js';
import { WorkerTeam } from '../lib/harness/team.js';

const threads = () => readdirSync('/proc/self/task').length;

async function settleThreads(baseline: number): Promise<number> {
  for (let i = 0; i < 100 && threads() > baseline; i++) await new Promise((r) => setTimeout(r, 20));
  return threads();
}

const job = {
  scenario: 'alloc' as const,
  pool: 'malloc',
  ops: 1e12, // bounded only by the stop flag
  durationNs: 0,
  objectSize: 64,
  batch: 1,
  clearEvery: 1,
  victim: true,
};
// A time limit far past the test's own timeout (60 s): a worker left waiting at the barrier would
// fail the test by its timeout, not by a clock a busy machine can stretch.
const control = () => ({ deadline: Date.now() + 600_000, timeLimitMs: 600_000, channels: 0 });

describe('a failing worker', () => {
  it('a native error in one worker: RunError with its message and stack; the other is released and stopped', async () => {
    const baseline = threads();
    const team = await WorkerTeam.start(2, ['task-clock']);
    expect(threads()).toBeGreaterThan(baseline);
    const err = await team
      .runSample([job, { ...job, batch: 0 }], control()) // batch 0: the addon rejects it before the barrier
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(RunError);
    const e = err as RunError;
    expect(e.code).toBe('ERR_WORKER_FAILED');
    expect(e.message).toContain('worker 1 of 2 failed');
    expect(e.message).toContain('job.batch must be an integer from 1 to 4096 (received 0)');
    expect((e.cause as Error).stack).toMatch(/harnessRunSample|worker\.ts/);
    expect(e.stack).toContain('worker stack:');
    // Worker 0 was waiting at the barrier for worker 1: it was released at once, or this test would
    // have run into its timeout long before the 10-minute time limit released it.
    await team.terminate();
    expect(team.alive).toBe(0);
    expect(await settleThreads(baseline)).toBe(baseline);
    expect(harnessAddon().harnessGroupCount()).toBe(0);
  });

  it('an uncaught exception in a worker mid-run stops the other worker inside its loop', async () => {
    const baseline = threads();
    const team = await WorkerTeam.start(2, []);
    // Worker 1 dies before it takes its job; worker 0 then waits at the barrier.
    team.injectThrow(1, 'injected failure in worker 1');
    await new Promise((r) => setTimeout(r, 200));
    const err = await team.runSample([job, job], control()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RunError);
    expect((err as RunError).message).toContain('injected failure in worker 1');
    expect(((err as RunError).cause as Error).stack).toContain('injected failure in worker 1');
    await team.terminate();
    expect(team.alive).toBe(0);
    expect(await settleThreads(baseline)).toBe(baseline);
  });
});
