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

  it('compare matches by name and threads (three pairs), and flags the loaded run as slower', () => {
    const cmp = compareResults(a, b);
    expect(cmp.changes.map((c) => c.name)).toEqual([
      'Alloc/pool=malloc/batch=1',
      'Alloc/pool=malloc/batch=1-2',
      'Alloc/pool=malloc/batch=1/objectSize=4096',
    ]);
    expect(cmp.changes[0]?.significant).toBe(false);
    expect(cmp.changes[1]?.significant).toBe(true);
    expect(cmp.changes[1]?.changePct).toBeGreaterThan(100);
  });
});
