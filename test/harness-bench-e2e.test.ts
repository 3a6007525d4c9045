/**
 * `poolscope bench` end to end on the test-only tiny suite: every scenario
 * runs, the fidelity check is recorded, and the four report files are
 * written and readable.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResults } from '../lib/results/parse.js';
import { NO_PERF_EVENT_OPEN, PORTABLE } from './fixtures/platform.js';

const dir = mkdtempSync(join(tmpdir(), 'poolscope-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench --suite tiny', () => {
  it('writes results.json, report.md, report.html and bench.txt and prints where they are', async () => {
    const out = join(dir, 'reports');
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          '--import',
          'tsx',
          'lib/cli/main.ts',
          'bench',
          '--suite',
          'tiny',
          '--out',
          out,
          '--quiet',
          '--events',
          'task-clock',
        ],
        { encoding: 'utf8', timeout: 60_000 },
        (err, stdout) => resolve({ code: err ? Number(err.code) : 0, stdout }),
      );
    });
    expect(code).toBe(0);
    for (const f of ['results.json', 'report.md', 'report.html', 'bench.txt']) {
      expect(existsSync(join(out, f))).toBe(true);
      expect(stdout).toContain(join(out, f));
    }
    expect(stdout).toMatch(
      /harness fidelity .*through the harness [\d.]+ ns\/op, in-process [\d.]+ ns\/op, ratio [\d.]+/,
    );
    expect(stdout).toContain('findings');

    const doc = parseResults(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(doc.interrupted).toBeUndefined();
    expect(new Set(doc.benchmarks.map((b) => b.params.scenario))).toEqual(
      new Set(['get-put', 'batch', 'producer-consumer', 'gc-churn', 'false-sharing', 'alloc']),
    );
    for (const b of doc.benchmarks) expect(b.samples).toHaveLength(2);
    expect(doc.config.suite).toBe('tiny');
    expect(doc.config.fidelity).toMatchObject({ pairs: 11 });
    expect(doc.events).toEqual([
      PORTABLE
        ? { name: 'task-clock', state: 'not-supported', reason: NO_PERF_EVENT_OPEN }
        : { name: 'task-clock', state: 'counted' },
    ]);
    const gobench = readFileSync(join(out, 'bench.txt'), 'utf8');
    expect(gobench).toMatch(
      /^BenchmarkGetPut\/pool=sync\/layout=pad128\/publish=xadd\/objectSize=64\s+\d+\s+[\d.]+ ns\/op\s+[\d.]+ thread-ns\/op/m,
    );
  });
});
