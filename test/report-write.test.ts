import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingText } from '../lib/report/finding-text.js';
import { writeReports } from '../lib/report/write.js';
import { parseResults } from '../lib/results/parse.js';
import { fullDocument } from './fixtures/results.js';

describe('writeReports and poolscope report', () => {
  it('writes results.json (with findings), report.md, report.html, bench.txt', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'poolscope-write-')), 'nested', 'out');
    const paths = await writeReports(fullDocument(), dir);
    expect(
      Object.values(paths)
        .map((p) => p.slice(dir.length + 1))
        .sort(),
    ).toEqual(['bench.txt', 'report.html', 'report.md', 'results.json']);
    const back = parseResults(readFileSync(paths.json, 'utf8'), paths.json);
    // The analysis is stored once: findings as typed data, each benchmark's spread.
    expect(back.benchmarks.map(({ spread: _s, ...b }) => b)).toEqual(fullDocument().benchmarks);
    expect(back.benchmarks.every((b) => b.spread !== undefined && b.spread.pct > 0)).toBe(true);
    const packed = back.findings?.find(
      (f) => f.kind === 'effect' && f.dimension === 'layout' && f.other.label === 'packed',
    );
    expect(packed).toMatchObject({ kind: 'effect', cause: 'false-sharing', base: { label: 'pad64' } });
    expect(packed && findingText(packed)).toMatch(/^packed layout: 38× slower/);
    expect(readFileSync(paths.gobench, 'utf8')).toMatch(/^goos: linux$/m);
  });

  it('the CLI renders a file to --out, and rejects an unknown --format with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poolscope-report-'));
    const { json } = await writeReports(fullDocument(), dir);
    const out = join(dir, 'r.md');
    const root = join(import.meta.dirname, '..');
    const run = (...args: string[]) =>
      spawnSync(join(root, 'node_modules/.bin/tsx'), ['lib/cli/main.ts', ...args], { cwd: root, encoding: 'utf8' });
    expect(run('report', json, '--format', 'md', '--out', out).status).toBe(0);
    expect(existsSync(out) && readFileSync(out, 'utf8')).toContain('## false-sharing');
    const bad = run('report', json, '--format', 'pdf');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`--format must be one of 'text', 'md', 'html', 'gobench', 'json' (received "pdf")`);
  });
});
