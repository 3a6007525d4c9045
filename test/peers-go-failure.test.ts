/**
 * A Go toolchain that fails (`go test` exits non-zero, e.g. a Go too old for
 * the benchmarks) costs only the Go peer: runPeers records why and the run
 * goes on; the peers table lists it with the reason.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peersDocument } from '../lib/peers/document.js';
import { runPeers } from '../lib/peers/run.js';
import { peersReport } from '../lib/report/peers.js';

const dir = mkdtempSync(join(tmpdir(), 'poolscope-fake-go-'));
writeFileSync(
  join(dir, 'go'),
  '#!/bin/sh\nif [ "$1" = version ]; then echo "go version go1.0 fake"; exit 0; fi\necho "pool_test.go:1: fake compile error" >&2\nexit 2\n',
);
chmodSync(join(dir, 'go'), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a failing go test', () => {
  it('is recorded as failed with its output, and the other peers still run', async () => {
    const saved = process.env.PATH;
    process.env.PATH = `${dir}${delimiter}${saved ?? ''}`;
    try {
      const run = await runPeers({ allocators: false, reference: false, repeats: 1, sampleMs: 1, objectSizes: [64] });
      expect(run.status.go.state).toBe('failed');
      if (run.status.go.state === 'failed') expect(run.status.go.reason).toContain('fake compile error');
      expect(run.benchmarks.some((b) => b.params.pool === 'node-free-list')).toBe(true);
      const report = peersReport(peersDocument(run, new Date()));
      expect(report.missing).toContainEqual({
        name: 'go-sync',
        state: 'failed',
        reason: expect.stringContaining('go test'),
      });
    } finally {
      process.env.PATH = saved;
    }
  });
});
