/** The statistics behind `compare` over runs (lib/stats.ts): BH q-values, Student's t, the hierarchical bootstrap. */
import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  hierarchicalBootstrap,
  pairedRatioTest,
  seededRandom,
  studentQuantile,
  studentUpperTail,
} from '../lib/stats.js';

describe('Benjamini–Hochberg', () => {
  it('q = min over k ≥ rank of p·m/k, in the input order, capped at 1', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.5]);
    expect(q[0]).toBeCloseTo(0.04, 12);
    expect(q[1]).toBeCloseTo(0.04 * (4 / 3), 12);
    expect(q[2]).toBeCloseTo(0.04 * (4 / 3), 12);
    expect(q[3]).toBeCloseTo(0.5, 12);
    expect(benjaminiHochberg([0.9, 0.95])).toEqual([0.95, 0.95]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});

describe("Student's t", () => {
  it('matches the tables: t(0.975; 1) = 12.706, t(0.975; 4) = 2.776, t(0.8; 4) = 0.941', () => {
    expect(studentQuantile(0.025, 1)).toBeCloseTo(12.706, 2);
    expect(studentQuantile(0.025, 4)).toBeCloseTo(2.776, 3);
    expect(studentQuantile(0.2, 4)).toBeCloseTo(0.941, 3);
    expect(studentUpperTail(0, 3)).toBeCloseTo(0.5, 12);
    expect(studentUpperTail(-1, 3) + studentUpperTail(1, 3)).toBeCloseTo(1, 12);
    expect(studentUpperTail(1.96, Number.POSITIVE_INFINITY)).toBeCloseTo(0.025, 4);
  });
});

describe('hierarchical bootstrap', () => {
  const old = [
    [10, 10.2, 9.9, 10.1],
    [10.4, 10.3, 10.6, 10.5],
    [9.8, 9.9, 10.0, 9.7],
  ];
  it('estimates the change in ln(ns/op) from run medians; the same seed gives the same SE', () => {
    const neu = old.map((r) => r.map((v) => 2 * v));
    const a = hierarchicalBootstrap(old, neu, { resamples: 500, random: seededRandom(1) });
    expect(Math.exp(a.estimate)).toBeCloseTo(2, 10);
    expect(a.df).toBe(4);
    expect(a.floored).toBe(false);
    expect(a.p).toBeLessThan(1e-4);
    expect(hierarchicalBootstrap(old, neu, { resamples: 500, random: seededRandom(1) })).toEqual(a);
  });

  it('the run level carries the variance: runs far apart give a wide SE even with tight samples', () => {
    const apart = [
      [10, 10.01, 9.99],
      [14, 14.01, 13.99],
    ];
    const together = [
      [10, 10.01, 9.99],
      [10.02, 10.03, 10.01],
    ];
    const wide = hierarchicalBootstrap(apart, apart, { resamples: 500, random: seededRandom(2) });
    const narrow = hierarchicalBootstrap(together, together, { resamples: 500, random: seededRandom(2) });
    expect(wide.se).toBeGreaterThan(10 * narrow.se);
    expect(wide.p).toBe(1);
  });

  it('one run on a side: the floor adds that run spread, and the reference is the normal', () => {
    const one = hierarchicalBootstrap([[10, 10.5, 9.5, 10.2, 9.8]], [[11, 11.5, 10.5, 11.2, 10.8]], {
      resamples: 500,
      random: seededRandom(3),
    });
    expect(one.floored).toBe(true);
    expect(one.df).toBe(Number.POSITIVE_INFINITY);
    expect(one.se).toBeGreaterThan(one.bootstrapSe);
  });
});

describe('pairedRatioTest: per-process ratios, Student t', () => {
  it('gives the geometric mean ratio, a t interval around it and p', () => {
    const r = pairedRatioTest([10, 20, 5], [20, 40, 10]);
    expect(r).toEqual({ ratio: 2, low: 2, high: 2, p: 0 });
    const n = pairedRatioTest([10, 20, 5, 8], [11, 19, 5.5, 7.6]);
    expect(n.p).toBeGreaterThan(0.3);
    expect(n.low).toBeLessThan(1);
    expect(n.high).toBeGreaterThan(1);
    // d = ln 1.1, ln 1.2, ln 1.3: mean 0.1800, sd 0.0836, se 0.0482, t = 3.73 with 2 df: p = 1 − t/√(t²+2) = 0.0649
    const t = pairedRatioTest([1, 1, 1], [1.1, 1.2, 1.3]);
    expect(t.p).toBeCloseTo(0.0649, 3);
    expect(t.ratio).toBeCloseTo(Math.cbrt(1.1 * 1.2 * 1.3), 10);
  });

  it('refuses lists of unequal length or fewer than 2 pairs', () => {
    expect(() => pairedRatioTest([1], [1])).toThrow(/two lists of equal length ≥ 2 \(received 1 and 1\)/);
    expect(() => pairedRatioTest([1, 2], [1])).toThrow(/received 2 and 1/);
  });
});
