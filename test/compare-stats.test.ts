import { describe, expect, it } from 'vitest';
import { compareResults, regressions, renderCompareText, verdict } from '../lib/report/compare.js';
import { jitter, makeBenchmark, makeDocument } from './fixtures/results.js';

const getPut = (ns: number[]) =>
  makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad128', publish: 'xadd' }, ns);
const malloc = (ns: number[]) => makeBenchmark({ scenario: 'alloc', pool: 'malloc' }, ns, {}, ['pool']);

describe('compare on synthetic samples', () => {
  it('identical samples: ~, no significant change', () => {
    const doc = makeDocument([getPut(jitter(10, 10, 1)), malloc(jitter(12, 10, 2))]);
    const cmp = compareResults(doc, doc);
    expect(cmp.changes).toHaveLength(2);
    for (const c of cmp.changes) {
      expect(c.significant).toBe(false);
      expect(c.changePct).toBe(0);
      expect(c.p).toBe(1);
    }
    expect(verdict(cmp)).toMatch(/^no significant change/);
    const text = renderCompareText(cmp);
    expect(text).toMatch(/GetPut\/pool=sync\/layout=pad128\/publish=xadd\s+10\.\d+\s+10\.\d+\s+~/);
    expect(text).toContain('no significant change');
  });

  it('same distribution, different draws: not significant', () => {
    const cmp = compareResults(makeDocument([getPut(jitter(10, 10, 1))]), makeDocument([getPut(jitter(10, 10, 99))]));
    expect(cmp.changes[0]?.significant).toBe(false);
    expect(cmp.changes[0]?.ciLowPct).toBeLessThan(0);
    expect(cmp.changes[0]?.ciHighPct).toBeGreaterThan(0);
  });

  it('a clear slowdown is significant with a positive change and a CI around it', () => {
    const cmp = compareResults(makeDocument([getPut(jitter(10, 10, 1))]), makeDocument([getPut(jitter(12, 10, 2))]));
    const c = cmp.changes[0];
    expect(c?.significant).toBe(true);
    expect(c?.changePct).toBeGreaterThan(15);
    expect(c?.changePct).toBeLessThan(25);
    expect(c?.ciLowPct).toBeGreaterThan(10);
    expect(c?.p).toBeLessThan(0.001);
    expect(regressions(cmp, 10)).toHaveLength(1);
    expect(regressions(cmp, 30)).toHaveLength(0);
    expect(verdict(cmp)).toBe('1 of 1 benchmarks changed significantly (q < 0.05, 1 vs 1 run): 1 slower, 0 faster');
    expect(c?.floored).toBe(true);
    expect(c?.mdcPct).toBeGreaterThan(0);
    expect(renderCompareText(cmp)).toContain('one run per side: the run-to-run variance is unknown');
  });

  it('a clear speed-up is significant with a negative change and is no regression', () => {
    const cmp = compareResults(makeDocument([getPut(jitter(10, 10, 1))]), makeDocument([getPut(jitter(5, 10, 2))]));
    expect(cmp.changes[0]?.significant).toBe(true);
    expect(cmp.changes[0]?.changePct).toBeLessThan(-45);
    expect(regressions(cmp, 0)).toHaveLength(0);
    expect(renderCompareText(cmp)).toMatch(/-5\d%/);
  });

  it('geomean over matched benchmarks; benchmarks in one file only are listed', () => {
    const oldDoc = makeDocument([getPut(jitter(10, 10, 1)), malloc(jitter(40, 10, 2))]);
    const newDoc = makeDocument([
      getPut(jitter(20, 10, 3)),
      makeBenchmark({ scenario: 'alloc', pool: 'jemalloc' }, jitter(30, 10, 4), {}, ['pool']),
    ]);
    const cmp = compareResults(oldDoc, newDoc, 'a.json', 'b.json');
    expect(cmp.changes.map((c) => c.name)).toEqual(['GetPut/pool=sync/layout=pad128/publish=xadd']);
    expect(cmp.onlyInOld).toEqual(['Alloc/pool=malloc']);
    expect(cmp.onlyInNew).toEqual(['Alloc/pool=jemalloc']);
    expect(cmp.geomean?.changePct).toBeCloseTo(
      ((cmp.changes[0]?.newMedian ?? 0) / (cmp.changes[0]?.oldMedian ?? 1) - 1) * 100,
      6,
    );
    const text = renderCompareText(cmp);
    expect(text).toContain('only in a.json: Alloc/pool=malloc');
    expect(text).toContain('only in b.json: Alloc/pool=jemalloc');
    expect(text).toMatch(/^geomean\s/m);
  });

  it('matches by name and threads: the same name at another thread count is a different benchmark', () => {
    const one = makeBenchmark({ scenario: 'get-put', pool: 'mutex', threads: 1 }, jitter(14, 6, 1));
    const two = makeBenchmark({ scenario: 'get-put', pool: 'mutex', threads: 2 }, jitter(118, 6, 2));
    const cmp = compareResults(makeDocument([one]), makeDocument([two]));
    expect(cmp.changes).toEqual([]);
    expect(cmp.onlyInOld).toEqual(['GetPut/pool=mutex']);
    expect(cmp.onlyInNew).toEqual(['GetPut/pool=mutex-2']);
  });
});

describe('compare with too few samples', () => {
  it('3 vs 3 is not tested, and the verdict says to take more repeats', () => {
    const cmp = compareResults(makeDocument([getPut([10, 10.1, 9.9])]), makeDocument([getPut([20, 20.2, 19.8])]));
    expect(cmp.changes[0]?.tooFew).toBe(true);
    expect(cmp.changes[0]?.p).toBe(1);
    expect(cmp.changes[0]?.significant).toBe(false);
    expect(verdict(cmp)).toMatch(/^no significant change .*fewer than 4 samples on a side.*more repeats/);
  });
});

describe('compare across machines', () => {
  it('says how the machines differ', () => {
    const a = makeDocument([getPut(jitter(10, 6, 1))]);
    const b = makeDocument([getPut(jitter(10, 6, 2))]);
    b.machine = { ...b.machine, node: 'v22.1.0', logicalCores: 8 };
    const cmp = compareResults(a, b);
    expect(cmp.machineDifferences).toEqual(['logicalCores: 2 → 8', 'node: v20.20.0 → v22.1.0']);
    expect(renderCompareText(cmp)).toContain(
      'different machines or builds (logicalCores: 2 → 8; node: v20.20.0 → v22.1.0)',
    );
    expect(compareResults(a, a).machineDifferences).toEqual([]);
  });
});

describe('compare with a name used twice', () => {
  it('lists the duplicate and compares the last', () => {
    const a = makeDocument([getPut(jitter(10, 6, 1)), getPut(jitter(20, 6, 2))]);
    const b = makeDocument([getPut(jitter(20, 6, 3))]);
    const cmp = compareResults(a, b);
    expect(cmp.duplicates).toEqual(['GetPut/pool=sync/layout=pad128/publish=xadd']);
    expect(cmp.changes[0]?.significant).toBe(false);
    expect(renderCompareText(cmp)).toContain('named more than once (the last was compared): GetPut/pool=sync');
  });
});
