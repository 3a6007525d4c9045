/** `poolscope report big.json | head -1`: a reader closing the pipe early ends the output quietly, exit 0. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jitter, makeBenchmark, makeDocument } from './fixtures/results.js';

describe('poolscope report into a closed pipe', () => {
  it('exits 0 without an EPIPE stack trace', () => {
    // ~1 MB of Go benchmark text: far more than a pipe buffer, so the writer meets the closed pipe.
    const doc = makeDocument([makeBenchmark({ scenario: 'get-put', pool: 'mutex' }, jitter(14, 5000, 1))]);
    const file = join(mkdtempSync(join(tmpdir(), 'poolscope-pipe-')), 'big.json');
    writeFileSync(file, JSON.stringify(doc));
    const tsx = join(import.meta.dirname, '..', 'node_modules/.bin/tsx');
    const r = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${tsx}" lib/cli/main.ts report "${file}" --format gobench | head -1`],
      { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' },
    );
    expect(r.stdout).toBe('goos: linux\n');
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.status).toBe(0);
  });
});
