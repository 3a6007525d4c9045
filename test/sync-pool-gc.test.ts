import { execFile } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { gcObserverState, SyncPool } from '../lib/sync-pool.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('SyncPool and V8 major GCs', () => {
  it('a real major GC rotates the victim generation (seen through the gc PerformanceObserver)', async () => {
    const pool = new SyncPool({ create: () => ({ fresh: true }) });
    const kept = { fresh: false };
    pool.put(kept);
    const before = pool.stats().rotations;
    gc();
    await until(() => pool.stats().rotations > before);
    expect(pool.stats()).toMatchObject({ primarySize: 0, victimSize: 1 });
    expect(pool.get()).toBe(kept);
    expect(pool.stats().hitsVictim).toBe(1);
    // two GCs with no use in between drop it
    pool.put(kept);
    const r = pool.stats().rotations;
    gc();
    await until(() => pool.stats().rotations > r);
    gc();
    await until(() => pool.stats().rotations > r + 1);
    expect(pool.get()).not.toBe(kept);
  });

  it('one observer serves every pool, and pools no longer referenced are collected', async () => {
    const base = gcObserverState().trackedPools;
    (() => {
      for (let i = 0; i < 10; i++) new SyncPool({ create: () => ({}) });
    })();
    expect(gcObserverState().trackedPools).toBe(base + 10);
    expect(gcObserverState().observing).toBe(true);
    await until(() => {
      gc();
      return gcObserverState().trackedPools <= base;
    });
  });

  it('the observer does not keep the process alive', async () => {
    const code = `import { SyncPool } from './lib/sync-pool.ts'; globalThis.p = new SyncPool({ create: () => ({}) }); console.log('made');`;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', code],
        { cwd: new URL('..', import.meta.url), timeout: 20_000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      );
    });
    expect(out.trim()).toBe('made');
  });
});
