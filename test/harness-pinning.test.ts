/**
 * Worker pinning: with pinThreads (the default) worker i runs on the i-th CPU
 * the process may use, so two workers run side by side on different CPUs;
 * without it they are left to the scheduler (and a later unpinned sample
 * gets the whole mask back). The portable platform layer pins nothing: a
 * worker asked to pin reports no CPU, and pinning the calling thread returns -1.
 */
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerTeam } from '../lib/harness/team.js';
import { PORTABLE } from './fixtures/platform.js';

const job = {
  scenario: 'alloc' as const,
  pool: 'malloc',
  ops: 10_000,
  durationNs: 0,
  objectSize: 64,
  batch: 1,
  clearEvery: 1,
  victim: true,
};
const control = () => ({ deadline: Date.now() + 30_000, timeLimitMs: 30_000, channels: 0 });

describe('pinning', () => {
  let team: WorkerTeam;
  beforeAll(async () => {
    team = await WorkerTeam.start(2, []);
  });
  afterAll(async () => {
    await team.terminate();
  });

  it.skipIf(availableParallelism() < 2)('pinned workers report distinct CPUs', async () => {
    const out = await team.runSample(
      [
        { ...job, cpu: 0 },
        { ...job, cpu: 1 },
      ],
      control(),
    );
    const cpus = out.replies.map((r) => r?.result.cpu);
    if (PORTABLE) {
      console.log('branch: portable layer; asked to pin, the workers must report no CPU (pinned: false)');
      expect(cpus).toEqual([undefined, undefined]);
      return;
    }
    expect(cpus.every((c) => typeof c === 'number' && c >= 0)).toBe(true);
    expect(new Set(cpus).size).toBe(2);
  });

  it('unpinned workers report no CPU', async () => {
    const out = await team.runSample([job, job], control());
    expect(out.replies.map((r) => r?.result.cpu)).toEqual([undefined, undefined]);
  });
});

describe('pinning one thread does not narrow the others', () => {
  it.skipIf(availableParallelism() < 2)(
    'after the main thread was pinned and unpinned, workers still get distinct CPUs',
    async () => {
      const { harnessAddon } = await import('../lib/harness/native.js');
      const addon = harnessAddon();
      if (PORTABLE) {
        console.log('branch: portable layer; pinning the main thread must return -1 (pinned: false)');
        expect(addon.harnessPinThread(0)).toBe(-1);
        addon.harnessPinThread(-1);
        return;
      }
      expect(addon.harnessPinThread(0)).toBeGreaterThanOrEqual(0);
      addon.harnessPinThread(-1);
      const team = await WorkerTeam.start(2, []);
      try {
        const out = await team.runSample(
          [
            { ...job, cpu: 0 },
            { ...job, cpu: 1 },
          ],
          control(),
        );
        expect(new Set(out.replies.map((r) => r?.result.cpu)).size).toBe(2);
      } finally {
        await team.terminate();
      }
    },
  );
});
