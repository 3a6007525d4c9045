import { describe, expect, it } from 'vitest';
import { mannWhitneyU, shiftCI } from '../lib/stats.js';

// Reference p-values from scipy.stats.mannwhitneyu(x, y, alternative='two-sided').
describe('Mann–Whitney U test', () => {
  it('exact, textbook example: U = 17, p = 1/9', () => {
    const r = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(r.method).toBe('exact');
    expect(r.u).toBe(17);
    expect(r.p).toBeCloseTo(0.1111111111111111, 12);
  });

  it('exact, complete separation of 5 vs 5: p = 2/252', () => {
    const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(r.u).toBe(0);
    expect(r.p).toBeCloseTo(2 / 252, 12);
  });

  it('ties: normal approximation with tie and continuity correction', () => {
    const r = mannWhitneyU([1, 2, 2, 3, 3, 4], [3, 4, 4, 5, 5, 6]);
    expect(r.method).toBe('normal');
    expect(r.u).toBe(3);
    expect(r.p).toBeCloseTo(0.01810094873944969, 6);
    const big = mannWhitneyU(
      Array.from({ length: 20 }, (_, i) => i + 1),
      Array.from({ length: 20 }, (_, i) => i + 11),
    );
    expect(big.p).toBeCloseTo(5.2125496206037515e-5, 8);
  });

  it('identical samples give p = 1', () => {
    expect(mannWhitneyU([3, 3, 3], [3, 3, 3]).p).toBe(1);
    expect(mannWhitneyU([1, 2, 3, 4], [1, 2, 3, 4]).p).toBe(1);
  });
});

describe('Hodges–Lehmann interval of the shift', () => {
  it('difference: 1..20 vs 11..30 is centred on 10 and excludes 0', () => {
    const x = Array.from({ length: 20 }, (_, i) => i + 1);
    const y = x.map((v) => v + 10);
    const ci = shiftCI(x, y, 'difference');
    expect(ci.estimate).toBe(10);
    expect(ci.low).toBe(6);
    expect(ci.high).toBe(14);
  });

  it('ratio: a sample doubled has ratio 2 inside its CI and 1 outside', () => {
    const x = [10, 10.4, 9.8, 10.1, 9.7, 10.3, 10.2, 9.9];
    const ci = shiftCI(
      x,
      x.map((v) => 2 * v),
      'ratio',
    );
    expect(ci.low).toBeLessThanOrEqual(2);
    expect(ci.high).toBeGreaterThanOrEqual(2);
    expect(ci.low).toBeGreaterThan(1);
    expect(ci.fullRange).toBe(false);
  });

  it('too few samples: the interval spans every pairwise ratio', () => {
    const ci = shiftCI([1, 2, 3], [2, 4, 6], 'ratio');
    expect(ci.fullRange).toBe(true);
    expect(ci.low).toBeCloseTo(2 / 3, 12);
    expect(ci.high).toBe(6);
  });
});
