import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
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
});
