import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderGoBench } from '../lib/report/gobench.js';
import { jitter, makeBenchmark, makeDocument } from './fixtures/results.js';

const root = join(import.meta.dirname, '..');
let dir = '';

function poolscope(...args: string[]) {
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['lib/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const doc = (ns: number, seed: number) =>
  makeDocument([
    makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad128', publish: 'xadd' }, jitter(ns, 10, seed)),
  ]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'poolscope-compare-'));
  writeFileSync(join(dir, 'base.json'), JSON.stringify(doc(10, 1)));
  writeFileSync(join(dir, 'slower.json'), JSON.stringify(doc(12, 2)));
  writeFileSync(join(dir, 'foreign.json'), JSON.stringify({ name: 'x', version: '1' }));
});

describe('poolscope compare (subprocess)', () => {
  it('exit 0 and "no significant change" for the same file', () => {
    const r = poolscope('compare', join(dir, 'base.json'), join(dir, 'base.json'), '--fail-on-regression', '0');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no significant change');
  });

  it('exit 1 when a significant regression exceeds --fail-on-regression, 0 when it does not', () => {
    const over = poolscope('compare', join(dir, 'base.json'), join(dir, 'slower.json'), '--fail-on-regression', '5');
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(
      /1 significant regression\(s\) above 5%: GetPut\/pool=sync\/layout=pad128\/publish=xadd \+(19|2\d)\.\d%/,
    );
    const under = poolscope('compare', join(dir, 'base.json'), join(dir, 'slower.json'), '--fail-on-regression', '50');
    expect(under.code).toBe(0);
    const faster = poolscope('compare', join(dir, 'slower.json'), join(dir, 'base.json'), '--fail-on-regression', '0');
    expect(faster.code).toBe(0);
  });

  it('--format md and json', () => {
    const md = poolscope('compare', join(dir, 'base.json'), join(dir, 'slower.json'), '--format', 'md');
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('| benchmark | old ns/op | new ns/op | change |');
    const json = poolscope('compare', join(dir, 'base.json'), join(dir, 'slower.json'), '--format', 'json');
    const parsed = JSON.parse(json.stdout);
    expect(parsed.changes[0].significant).toBe(true);
  });

  it('exit 2 for usage errors: bad percentage, bad format, malformed or missing file', () => {
    const base = join(dir, 'base.json');
    const bad = poolscope('compare', base, base, '--fail-on-regression', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on-regression must be a percentage ≥ 0, e.g. 5 (received "lots")');
    expect(poolscope('compare', base, base, '--format', 'xml').code).toBe(2);
    const foreign = poolscope('compare', base, join(dir, 'foreign.json'));
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('foreign.json: not a poolscope results document');
    const missing = poolscope('compare', base, join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('reads bench.txt as well as results.json: a run against its own bench.txt matches every row, no change', () => {
    writeFileSync(join(dir, 'base.txt'), renderGoBench(doc(10, 1)));
    const r = poolscope('compare', join(dir, 'base.json'), join(dir, 'base.txt'), '--format', 'json');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.changes).toHaveLength(1);
    expect(Math.abs(parsed.changes[0].changePct)).toBeLessThan(0.001);
    expect(parsed.onlyInOld).toEqual([]);
    writeFileSync(join(dir, 'broken.txt'), 'BenchmarkX 100 fast ns/op\n');
    const broken = poolscope('compare', join(dir, 'base.json'), join(dir, 'broken.txt'));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.txt: go benchmark output line 1: "fast" is not a number/);
  });

  it('several runs per side with --against; one file without it is a usage error', () => {
    for (const [name, ns, seed] of [
      ['a1', 10, 11],
      ['a2', 10.3, 12],
      ['b1', 20, 13],
      ['b2', 20.4, 14],
    ] as const) {
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(doc(ns, seed)));
    }
    const r = poolscope(
      'compare',
      join(dir, 'b1.json'),
      join(dir, 'b2.json'),
      '--against',
      join(dir, 'a1.json'),
      join(dir, 'a2.json'),
      '--fail-on-regression',
      '50',
      '--seed',
      '3',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1 of 1 benchmarks changed significantly \(q < 0\.05, 2 vs 2 runs\): 1 slower/);
    expect(r.stdout).toMatch(/runs×n/);
    const one = poolscope('compare', join(dir, 'a1.json'));
    expect(one.code).toBe(2);
    expect(one.stderr).toContain(
      'compare: expected OLD NEW, or NEW… --against OLD… for several runs per side (received 1 file)',
    );
  });
});
