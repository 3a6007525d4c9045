/**
 * Placement-randomized sampling: every sample draws a stack offset, a data
 * offset and a code copy from the run's seed; the same seed reproduces them,
 * `randomize: false` runs every sample at the fixed placement, and the
 * copies' loop heads really differ mod 64 bytes in the built addon.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harnessAddon } from '../lib/harness/native.js';
import { FIXED_PLACEMENT, PlacementDraws, resolvePlacement } from '../lib/harness/placement.js';
import { runSuite } from '../lib/harness/run-suite.js';
import { parseResults } from '../lib/results/parse.js';
import type { ResultsDocument, SamplePlacement } from '../lib/results/schema.js';

const placements = (doc: ResultsDocument): SamplePlacement[] =>
  doc.benchmarks.flatMap((b) => b.samples.map((s) => s.placement as SamplePlacement));

describe('placement draws', () => {
  it('are reproducible from the seed, in range, and spread over the whole range', () => {
    const a = new PlacementDraws({ randomized: true, seed: 42 });
    const b = new PlacementDraws({ randomized: true, seed: 42 });
    const c = new PlacementDraws({ randomized: true, seed: 43 });
    const drawsA = Array.from({ length: 2000 }, () => a.next());
    expect(Array.from({ length: 2000 }, () => b.next())).toEqual(drawsA);
    expect(Array.from({ length: 2000 }, () => c.next())).not.toEqual(drawsA);
    for (const p of drawsA) {
      expect(p.stackOffset % 16).toBe(0);
      expect(p.dataOffset % 64).toBe(0);
      expect(p.stackOffset).toBeLessThanOrEqual(4080);
      expect(p.dataOffset).toBeLessThanOrEqual(4032);
      expect(p.codeCopy).toBeLessThanOrEqual(7);
    }
    expect(new Set(drawsA.map((p) => p.codeCopy)).size).toBe(8);
    expect(new Set(drawsA.map((p) => p.dataOffset)).size).toBe(64);
    expect(new Set(drawsA.map((p) => p.stackOffset)).size).toBeGreaterThan(200);
  });

  it('are all the fixed placement when randomization is off', () => {
    const d = new PlacementDraws({ randomized: false, seed: 7 });
    for (let i = 0; i < 10; i++) expect(d.next()).toEqual(FIXED_PLACEMENT);
  });

  it('options: a bad seed or randomize names the field; no seed draws one', () => {
    expect(() => resolvePlacement({ seed: -1 })).toThrow(/options\.seed/);
    expect(() => resolvePlacement({ seed: 2 ** 32 })).toThrow(/options\.seed/);
    expect(() => resolvePlacement({ randomize: 'no' })).toThrow(/options\.randomize/);
    const r = resolvePlacement({});
    expect(r.randomized).toBe(true);
    expect(Number.isInteger(r.seed) && r.seed >= 0 && r.seed < 2 ** 32).toBe(true);
  });
});

describe('placement through the harness', () => {
  const specs = [
    { scenario: 'get-put', layout: 'packed' },
    { scenario: 'batch', batch: 16 },
    { scenario: 'alloc' },
  ] as const;
  const bounds = { ops: 20_000, repeat: 4, warmup: 1, events: [] as string[] };

  it("records the seed and each sample's placement; the same seed gives the same placements", async () => {
    const one = await runSuite(specs, { ...bounds, seed: 12345 });
    const two = await runSuite(specs, { ...bounds, seed: 12345 });
    expect(one.config.placement).toEqual({ randomized: true, seed: 12345 });
    expect(placements(one)).toHaveLength(12);
    expect(placements(two)).toEqual(placements(one));
    expect(new Set(placements(one).map((p) => JSON.stringify(p))).size).toBeGreaterThan(1);
    // The document with its placements reads back.
    expect(() => parseResults(JSON.parse(JSON.stringify(one)))).not.toThrow();
    // A new pool per sample, every one destroyed.
    expect(harnessAddon().harnessPoolCount()).toBe(0);
  });

  it('randomize: false runs every sample at the fixed placement', async () => {
    const doc = await runSuite(specs, { ...bounds, randomize: false, seed: 5 });
    expect(doc.config.placement).toEqual({ randomized: false, seed: 5 });
    for (const p of placements(doc)) expect(p).toEqual(FIXED_PLACEMENT);
    expect(harnessAddon().harnessPoolCount()).toBe(0);
  });

  it('a job with a bad placement is refused, naming the field', () => {
    const job = {
      group: 0,
      worker: 0,
      scenario: 'alloc',
      pool: 'malloc',
      ops: 10,
      durationNs: 0,
      objectSize: 64,
      batch: 1,
      clearEvery: 1,
      victim: true,
    } as const;
    const addon = harnessAddon();
    expect(() => addon.harnessRunInProcess({ ...job, stackOffset: 8 })).toThrow(/job\.stackOffset/);
    expect(() => addon.harnessRunInProcess({ ...job, dataOffset: 4096 })).toThrow(/job\.dataOffset/);
    expect(() => addon.harnessRunInProcess({ ...job, codeCopy: 8 })).toThrow(/job\.codeCopy/);
    expect(addon.harnessRunInProcess({ ...job, stackOffset: 4080, codeCopy: 7 }).ops).toBe(10);
  });
});

describe('placement flags of poolscope run', () => {
  it('--seed N is recorded and reproduces the placements; --no-randomize fixes them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poolscope-placement-'));
    const run = (file: string, ...flags: string[]) => {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', 'lib/cli/main.ts', 'run', '--scenario', 'get-put', '--ops', '2000', '--repeat', '3'].concat(
          ['--events', 'task-clock', '--quiet', '--json', join(dir, file), ...flags],
        ),
        { encoding: 'utf8', timeout: 60_000 },
      );
      return parseResults(readFileSync(join(dir, file), 'utf8'));
    };
    const a = run('a.json', '--seed', '99');
    const b = run('b.json', '--seed', '99');
    const fixed = run('c.json', '--no-randomize', '--seed', '99');
    expect(a.config.placement).toEqual({ randomized: true, seed: 99 });
    expect(placements(b)).toEqual(placements(a));
    expect(fixed.config.placement).toEqual({ randomized: false, seed: 99 });
    for (const p of placements(fixed)) expect(p).toEqual(FIXED_PLACEMENT);
  });
});

const hasObjdump = spawnSync('objdump', ['--version']).status === 0;
if (!hasObjdump) console.log('skipped: code-copy check (no objdump on this machine)');

describe.skipIf(!hasObjdump)('code copies in the built addon', () => {
  it('every loop family has 8 copies whose loop heads differ mod 64 bytes', () => {
    const out = execFileSync('node', ['scripts/check-code-copies.mjs', 'build/Release/poolscope.node'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    expect(out).toMatch(/(\d+) of \1 loop families have 8 distinct loop-head offsets mod 64/);
    expect(out).not.toContain('FAIL');
  });
});
