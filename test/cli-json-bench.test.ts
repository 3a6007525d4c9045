/**
 * The CLI's habits next to `go test -bench` and `perf stat`: `bench --filter
 * REGEX --threads 1,2,4`, `-e`/`-r`, one JSON convention (`--json [FILE]`,
 * standard output when no file) on run, bench, probe, compare, peers and
 * report, and an event that did not count is `null` with its state, not 0.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filterRegExp, goStyleName, selectSpecs } from '../lib/cli/bench-select.js';
import { suite } from '../lib/harness/suites.js';
import { cli } from './cli-run.js';
import { jitter, makeBenchmark, makeDocument } from './fixtures/results.js';

const dir = mkdtempSync(join(tmpdir(), 'poolscope-cli-json-'));

interface Doc {
  config: { repeat: number; events: string[] };
  events: { name: string; state: string }[];
  benchmarks: { name: string; params: { threads: number; scenario: string } }[];
}

describe('bench --filter and --threads select like go test -bench and -cpu', () => {
  const quick = suite('quick').specs;

  it('--threads runs every benchmark at each count, producer-consumer at the even ones', () => {
    const specs = selectSpecs(quick, { threads: [1, 2, 4] });
    const pc = specs.filter((s) => s.scenario === 'producer-consumer');
    expect(new Set(pc.map((s) => s.threads))).toEqual(new Set([2, 4]));
    const gp = specs.filter((s) => s.scenario === 'get-put' && s.pool === 'mutex');
    expect(gp.map((s) => s.threads).sort()).toEqual([1, 2, 4]);
    expect(new Set(specs.map((s) => JSON.stringify(s))).size).toBe(specs.length);
  });

  it('--filter matches the Go-style name anywhere', () => {
    const specs = selectSpecs(quick, { filter: filterRegExp('GetPut/pool=sync/layout=packed') });
    expect(specs.length).toBe(4 * 2); // 4 publish instructions × 1 and 2 threads
    for (const s of specs) expect(goStyleName(s)).toMatch(/^BenchmarkGetPut\/pool=sync\/layout=packed\//);
    expect(selectSpecs(quick, { filter: filterRegExp('^BenchmarkAlloc') }).every((s) => s.scenario === 'alloc')).toBe(
      true,
    );
  });

  it('bench --filter --threads -r --json: the selection is what ran', async () => {
    const r = await cli([
      'bench',
      '--suite',
      'tiny',
      '--no-fidelity',
      '--filter',
      'GetPut|FalseSharing',
      '--threads',
      '1,2',
      '-r',
      '1',
      '-e',
      'task-clock',
      '--out',
      join(dir, 'bench'),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    const names = doc.benchmarks.map((b) => `${b.name}-${b.params.threads}`).sort();
    expect(names).toEqual([
      'FalseSharing/layout=packed/publish=xadd-1',
      'FalseSharing/layout=packed/publish=xadd-2',
      'GetPut/pool=mutex-1',
      'GetPut/pool=mutex-2',
      'GetPut/pool=sync/layout=pad128/publish=xadd-1',
      'GetPut/pool=sync/layout=pad128/publish=xadd-2',
    ]);
    expect(doc.config.repeat).toBe(1);
    expect(doc.config.events).toEqual(['task-clock']);
    expect(r.stderr).toMatch(/reports:/); // the summary went to stderr, stdout is the JSON
    expect(JSON.parse(readFileSync(join(dir, 'bench', 'results.json'), 'utf8')).benchmarks).toHaveLength(6);
  });
});

describe('bench --processes: the samples of one run taken in several processes', () => {
  it('tags each sample with its process, shares the repeats out, and compare counts each process as a run', async () => {
    const out = join(dir, 'processes');
    const r = await cli([
      'bench',
      '--suite',
      'tiny',
      '--no-fidelity',
      '-r',
      '3',
      '--processes',
      '2',
      '--seed',
      '7',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/process 1 of 2: 2 samples per benchmark \(placement seed 7\)/);
    expect(r.stderr).toMatch(/process 2 of 2: 1 sample per benchmark \(placement seed 8\)/);
    // The tiny suite runs no peers, but the fidelity line and the rest come once, not once per process.
    expect(r.stderr.match(/process 1 of 2/g)).toHaveLength(1);
    const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Doc & {
      config: { processes: number; placement: { seed: number } };
      benchmarks: { samples: { process: number }[] }[];
    };
    expect(doc.config.processes).toBe(2);
    expect(doc.config.placement.seed).toBe(7);
    for (const b of doc.benchmarks) expect(b.samples.map((s) => s.process)).toEqual([0, 0, 1]);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      '**Sampling:** samples in 2 processes (compare counts each as a run), placement-randomized, seed 7',
    );
    const cmp = await cli(['compare', join(out, 'results.json'), join(out, 'results.json'), '--json']);
    expect(cmp.code, cmp.stderr).toBe(0);
    const rows = (JSON.parse(cmp.stdout) as { changes: { oldRuns: number; newRuns: number; floored: boolean }[] })
      .changes;
    expect(rows.length).toBeGreaterThan(0);
    for (const c of rows) expect([c.oldRuns, c.newRuns, c.floored]).toEqual([2, 2, false]);
  });
});

describe('--json [FILE] on every command', () => {
  it('run --json (stdout) and run --json FILE write the same kind of document', async () => {
    const args = ['run', '--scenario', 'get-put', '--ops', '1000', '-r', '2', '--warmup', '0', '-q'];
    const out = await cli([...args, '--json']);
    expect(out.code, out.stderr).toBe(0);
    expect((JSON.parse(out.stdout) as Doc).benchmarks).toHaveLength(1);
    expect(out.stderr).toMatch(/GetPut\/pool=sync/); // the text report, on stderr
    const file = join(dir, 'run.json');
    const toFile = await cli([...args, '--json', file]);
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(toFile.stdout).toContain(`results: ${file}`);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Doc).benchmarks[0]?.name).toBe(
      'GetPut/pool=sync/layout=pad128/publish=xadd',
    );
  });

  it('probe --json: an event that did not count has value null next to its state', async () => {
    const r = await cli(['probe', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as { events: { name: string; state: string; value: number | null }[] };
    expect(p.events.length).toBeGreaterThan(4);
    for (const e of p.events) {
      if (e.state === 'counted') expect(typeof e.value, e.name).toBe('number');
      else expect(e.value, e.name).toBeNull();
    }
    const file = join(dir, 'probe.json');
    const f = await cli(['probe', '--json', file]);
    expect(f.code).toBe(0);
    expect(f.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).events).toHaveLength(p.events.length);
  });

  it('compare and report take --json [FILE] (as --format json)', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    const doc = (ns: number, seed: number) =>
      makeDocument([
        makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad128', publish: 'xadd' }, jitter(ns, 10, seed)),
      ]);
    writeFileSync(a, JSON.stringify(doc(10, 1)));
    writeFileSync(b, JSON.stringify(doc(12, 2)));
    const viaFormat = await cli(['compare', a, b, '--format', 'json']);
    const viaJson = await cli(['compare', a, b, '--json']);
    expect(viaJson.code).toBe(0);
    expect(viaJson.stdout).toBe(viaFormat.stdout);
    const file = join(dir, 'cmp.json');
    expect((await cli(['compare', a, b, '--json', file])).stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(viaFormat.stdout);
    const report = await cli(['report', a, '--json']);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).benchmarks).toHaveLength(1);
  });

  it('peers --json [FILE] writes the document (here from a results file)', async () => {
    const base = join(dir, 'base.json');
    writeFileSync(
      base,
      JSON.stringify(makeDocument([makeBenchmark({ scenario: 'get-put', pool: 'sync' }, jitter(10, 5, 3))])),
    );
    const r = await cli(['peers', '--from', base, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).benchmarks).toHaveLength(1); // the table went to stderr
    const file = join(dir, 'peers.json');
    const f = await cli(['peers', '--from', base, '--json', file]);
    expect(f.code, f.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).benchmarks).toHaveLength(1);
  });
});
