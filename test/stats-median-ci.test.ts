import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, geomean, medianCI, summarize } from '../lib/stats.js';

describe('median and its order-statistic confidence interval', () => {
  it('n = 10: the 95% CI is [x(2), x(9)] with coverage 97.85%', () => {
    const ci = medianCI([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
    expect(ci).toMatchObject({ low: 2, high: 9, fullRange: false });
    expect(ci.coverage).toBeCloseTo(1 - 2 * (11 / 1024), 10);
  });

  it('n = 20: the 95% CI is [x(6), x(15)]', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(medianCI(values)).toMatchObject({ low: 6, high: 15, fullRange: false });
  });

  it('n < 6: the CI is the full range, flagged, with its real (lower) coverage', () => {
    const ci = medianCI([5, 3, 4, 1, 2]);
    expect(ci).toMatchObject({ low: 1, high: 5, fullRange: true });
    expect(ci.coverage).toBeCloseTo(0.9375, 10);
  });

  it('summarize fills the shared Statistics shape', () => {
    const s = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(s).toMatchObject({ n: 10, median: 5.5, mean: 5.5, min: 1, max: 10, ciLow: 2, ciHigh: 9 });
    expect(s.stddev).toBeCloseTo(3.0276503540974917, 12);
    expect(summarize([4]).stddev).toBe(0);
    expect(summarize([]).n).toBe(0);
  });

  it('binomial(n, ½) CDF and geometric mean', () => {
    expect(binomialHalfCdf(2, 10)).toBeCloseTo(56 / 1024, 12);
    expect(binomialHalfCdf(10, 10)).toBe(1);
    expect(geomean([1, 100])).toBeCloseTo(10, 12);
    expect(geomean([2, 8, 4])).toBeCloseTo(4, 12);
    expect(geomean([1, 0])).toBeNaN();
  });
});
