import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { spawnWorker } from '../lib/internal/worker-entry.js';

describe('spawnWorker', () => {
  it('runs a TypeScript worker module that loads the addon', async () => {
    const worker = spawnWorker(import.meta.url, './fixtures-echo-worker', { workerData: 42 });
    const [msg] = await once(worker, 'message');
    expect(msg).toEqual({ echo: 42, napiVersion: 8 });
    await worker.terminate();
  });
});
