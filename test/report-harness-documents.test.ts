/**
 * Two documents written by the real harness (runSuite → writeReports) on
 * this 2-vCPU VM while other jobs loaded it: malloc alloc loops at 1 and 2
 * threads and 4 KiB, 10 samples each, minutes apart. They pin the reader to
 * what the harness actually writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareResults } from '../lib/report/compare.js';
import { findingText } from '../lib/report/finding-text.js';
import { computeFindings } from '../lib/report/findings.js';
import { REPORT_FORMATS, renderReport } from '../lib/report/render.js';
import { parseResults } from '../lib/results/parse.js';

const load = (name: string) => {
  const file = join(import.meta.dirname, 'fixtures', name);
  return parseResults(readFileSync(file, 'utf8'), file);
};

describe('documents the harness wrote', () => {
  const a = load('harness-alloc-run-a.json');
  const b = load('harness-alloc-run-b.json');

  it('parse and render in every format', () => {
    expect(a.benchmarks.map((x) => x.name)).toEqual([
      'Alloc/pool=malloc/batch=1',
      'Alloc/pool=malloc/batch=1',
      'Alloc/pool=malloc/batch=1/objectSize=4096',
    ]);
    for (const f of REPORT_FORMATS) {
      const text = renderReport(b, f);
      expect(text).toContain(
        f === 'gobench' ? 'BenchmarkAlloc/pool=malloc/batch=1/objectSize=64-2\t' : 'Alloc/pool=malloc/batch=1',
      );
      expect(text).not.toContain('NaN');
    }
  });

  it('the busy machine shows in the findings: 2-thread workers on a CPU a fifth of the wall time', () => {
    const texts = computeFindings(b).map(findingText);
    expect(
      texts.some((t) =>
        /^Alloc\/pool=malloc\/batch=1-2: the workers were on a CPU only 19\.7% of the wall time/.test(t),
      ),
    ).toBe(true);
  });

  it('compare matches by name and threads (three pairs); one loaded run is not enough to call it a change', () => {
    const cmp = compareResults(a, b);
    expect(cmp.changes.map((c) => c.name)).toEqual([
      'Alloc/pool=malloc/batch=1',
      'Alloc/pool=malloc/batch=1-2',
      'Alloc/pool=malloc/batch=1/objectSize=4096',
    ]);
    expect(cmp.changes[0]?.significant).toBe(false);
    // 2.5× slower on the loaded machine, but its samples scatter from 18 to 202 ns: with one run per side
    // the run-to-run variance is assumed that large (the one-run floor), so the row says what it could detect.
    const loaded = cmp.changes[1];
    expect(loaded?.changePct).toBeGreaterThan(100);
    expect(loaded?.floored).toBe(true);
    expect(loaded?.significant).toBe(false);
    expect(loaded?.mdcPct).toBeGreaterThan(loaded?.changePct ?? 0);
    // The calm 1-thread row: a small MDC, so "no change" there means something.
    expect(cmp.changes[0]?.mdcPct).toBeLessThan(15);
  });
});
