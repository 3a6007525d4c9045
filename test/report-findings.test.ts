import { describe, expect, it } from 'vitest';
import { computeFindings } from '../lib/report/findings.js';
import { fullDocument, jitter, makeBenchmark, makeDocument } from './fixtures/results.js';

describe('findings from the data', () => {
  const findings = computeFindings(fullDocument());
  const find = (re: RegExp) => findings.find((f) => re.test(f.text));

  it('states each clear effect with its ratio', () => {
    expect(
      find(/^packed layout: 38× slower than pad64 at 2 threads, 64 B, xadd publish — false sharing/),
    ).toMatchObject({
      scenario: 'false-sharing',
      significant: true,
    });
    expect(find(/^mfence publish \(mov\+mfence\): 8\.\d× the cost of lock xadd in batch/)?.significant).toBe(true);
    expect(find(/^sync pool vs malloc: 7\.0× faster \(get\+put, 1 thread, 64 B; 1\.61 vs 11\.2 ns\/op/)).toMatchObject({
      scenario: 'alloc',
      significant: true,
    });
    expect(find(/^sync pool vs mutex: 8\.9× faster \(get\+put, 1 thread, 64 B;/)?.significant).toBe(true);
    expect(
      find(
        /^victim cache: hit rate 97\.0% vs 0\.0% .*\(1 thread, 64 B, clear\(\) every 1000 ops\); 3\.00 ns\/op with the victim cache vs 9\.\d+ without/,
      )?.significant,
    ).toBe(true);
    expect(
      find(/^producer-consumer \(sync pad128 xadd, 2 threads, 64 B\): 1\.00 steals\/op, 497 ns per handoff/),
    ).toBeDefined();
  });

  it('says "not significant" where the data shows no effect (pad128 ≈ pad64)', () => {
    const f = find(/^pad128 vs pad64 layout/);
    expect(f?.significant).toBe(false);
    expect(f?.text).toMatch(/not significant \(p=0\.\d+/);
  });

  it('a reversed effect is stated the other way round', () => {
    const doc = makeDocument([
      makeBenchmark({ scenario: 'batch', pool: 'sync', layout: 'pad128', publish: 'xadd' }, jitter(10, 8, 1)),
      makeBenchmark({ scenario: 'batch', pool: 'sync', layout: 'pad128', publish: 'xchg' }, jitter(5, 8, 2)),
      makeBenchmark(
        { scenario: 'batch', pool: 'sync', layout: 'pad128', publish: 'xadd', batch: 32 },
        jitter(30, 8, 3),
      ),
      makeBenchmark({ scenario: 'alloc', pool: 'tcmalloc', batch: 32 }, jitter(10, 8, 4), {}, ['pool', 'batch']),
      // another object size: no sync pool to pair with, so no finding
      makeBenchmark({ scenario: 'alloc', pool: 'tcmalloc', batch: 32, objectSize: 4096 }, jitter(10, 8, 5), {}, [
        'pool',
      ]),
    ]);
    const texts = computeFindings(doc).map((f) => f.text);
    expect(texts.some((t) => /^xchg publish \(xchg\): 2\.0× cheaper than lock xadd in batch/.test(t))).toBe(true);
    expect(texts.filter((t) => t.includes('tcmalloc'))).toEqual([
      expect.stringMatching(
        /^sync pool vs tcmalloc: 3\.0× slower \(batch of 32, 1 thread, 64 B; \d+\.\d+ vs \d+\.\d+ ns\/op/,
      ),
    ]);
  });

  it('too few samples: not significant, and says why', () => {
    const doc = makeDocument([
      makeBenchmark({ scenario: 'false-sharing', pool: 'sync', layout: 'pad64', threads: 2 }, [2, 2.1, 1.9]),
      makeBenchmark({ scenario: 'false-sharing', pool: 'sync', layout: 'packed', threads: 2 }, [70, 75, 80]),
    ]);
    const [f] = computeFindings(doc);
    expect(f?.significant).toBe(false);
    expect(f?.text).toContain('3 samples are too few for the test to reach p<0.05');
  });

  it('skips findings whose benchmarks are absent', () => {
    const doc = makeDocument([
      makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad128', publish: 'xadd' }, jitter(1.6, 8, 1)),
    ]);
    expect(computeFindings(doc)).toEqual([]);
  });
});

describe('measurement warnings', () => {
  it('workers off-CPU most of the wall time (busy machine): said first, with the numbers', () => {
    const busy = makeBenchmark({ scenario: 'alloc', pool: 'malloc', threads: 2 }, jitter(45, 8, 1), {
      countersPerOp: { 'task-clock': 9 },
    });
    const calm = makeBenchmark({ scenario: 'alloc', pool: 'malloc' }, jitter(9, 8, 2), {
      countersPerOp: { 'task-clock': 9 },
    });
    const findings = computeFindings(makeDocument([calm, busy]));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.scenario).toBe('measurement');
    expect(findings[0]?.text).toMatch(
      /^Alloc\/pool=malloc-2: the workers were on a CPU only (19\.\d|20\.\d)% of the wall time \(task-clock 9\.00 vs 4\d\.\d ns\/op\)/,
    );
  });
});

describe('findings on a busy machine', () => {
  it('many busy benchmarks: one warning with the count and range; the comparisons using them say so', () => {
    const busy = { countersPerOp: { 'task-clock': 0.5 } }; // far below ns/op: off a CPU most of the time
    const doc = makeDocument([
      makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad128', publish: 'xadd' }, jitter(1.6, 8, 1), busy),
      makeBenchmark({ scenario: 'get-put', pool: 'mutex' }, jitter(14, 8, 2), busy),
      makeBenchmark({ scenario: 'get-put', pool: 'treiber' }, jitter(9, 8, 3), busy),
      makeBenchmark({ scenario: 'get-put', pool: 'malloc' }, jitter(11, 8, 4), busy),
    ]);
    const findings = computeFindings(doc);
    expect(findings[0]).toMatchObject({ scenario: 'measurement', significant: true });
    expect(findings[0]?.text).toMatch(
      /^4 of 4 benchmarks had their workers on a CPU for only \d+\.\d%–\d+\.\d% of the wall time/,
    );
    const mutex = findings.find((f) => f.text.startsWith('sync pool vs mutex'));
    expect(mutex?.text).toMatch(/— measured on a busy machine \(see the measurement warning\)$/);
  });
});
