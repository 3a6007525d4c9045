import { describe, expect, it } from 'vitest';
import { findingText } from '../lib/report/finding-text.js';
import { computeFindings } from '../lib/report/findings.js';
import type { Finding } from '../lib/results/schema.js';
import { fullDocument, jitter, makeBenchmark, makeDocument } from './fixtures/results.js';

const texts = (findings: readonly Finding[]) => findings.map(findingText);

describe('findings from the data, as typed data', () => {
  const findings = computeFindings(fullDocument());
  const find = (re: RegExp) => findings.find((f) => re.test(findingText(f)));

  it('states each clear effect with its ratio, as numbers', () => {
    const packed = findings.find((f) => f.kind === 'effect' && f.dimension === 'layout' && f.other.label === 'packed');
    expect(packed).toMatchObject({
      kind: 'effect',
      scenario: 'false-sharing',
      cause: 'false-sharing',
      base: { label: 'pad64', n: 10 },
      context: { threads: 2, objectSize: 64, publish: 'xadd' },
      withinSpread: false,
    });
    expect(packed?.kind === 'effect' && packed.estimate).toBeCloseTo(38, 0);
    expect(findingText(packed as Finding)).toMatch(
      /^packed layout: 38× slower than pad64 at 2 threads, 64 B, xadd publish — false sharing/,
    );
    expect(find(/^mfence publish \(mov\+mfence\): 8\.\d× the cost of lock xadd in batch/)?.kind).toBe('effect');
    expect(find(/^sync pool vs malloc: 7\.0× faster \(get\+put, 1 thread, 64 B; 1\.61 vs 11\.2 ns\/op/)).toMatchObject({
      kind: 'effect',
      scenario: 'alloc',
      dimension: 'pool',
    });
    expect(find(/^sync pool vs mutex: 8\.9× faster \(get\+put, 1 thread, 64 B;/)?.kind).toBe('effect');
    const victim = find(
      /^victim cache: hit rate 97\.0% vs 0\.0% .*\(1 thread, 64 B, clear\(\) every 1000 ops\); 3\.00 ns\/op with the victim cache vs 9\.\d+ without/,
    );
    expect(victim).toMatchObject({ kind: 'effect', scale: 'difference', dimension: 'victim' });
    expect(
      find(/^producer-consumer \(sync pad128 xadd, 2 threads, 64 B\): 1\.00 steals\/op, 497 ns per handoff/),
    ).toMatchObject({
      kind: 'figure',
      stealsPerOp: 1,
    });
  });

  it('says "not significant" where the data shows no effect (pad128 ≈ pad64)', () => {
    const f = find(/^pad128 vs pad64 layout/);
    expect(f?.kind).toBe('not-significant');
    expect(f && findingText(f)).toMatch(/not significant \(p=0\.\d+/);
  });

  it('the document was not placement-randomized: one measurement finding says so, with the count of effects', () => {
    const warning = findings.find((f) => f.kind === 'measurement' && f.issue === 'not-randomized');
    const effects = findings.filter((f) => f.kind === 'effect' && f.scale === 'ratio').length;
    expect(warning).toEqual({ kind: 'measurement', scenario: 'measurement', issue: 'not-randomized', effects });
    const randomized = computeFindings({ ...fullDocument(), config: { placement: { randomized: true, seed: 3 } } });
    expect(randomized.some((f) => f.kind === 'measurement')).toBe(false);
    expect(randomized.every((f) => !('placementRandomized' in f) || f.placementRandomized)).toBe(true);
  });

  it('a reversed effect is stated the other way round', () => {
    const shared = { sources: { private: 0.0625, shared: 0.9375 } };
    const doc = makeDocument([
      makeBenchmark({ scenario: 'batch', pool: 'sync', layout: 'pad128', publish: 'xadd' }, jitter(10, 8, 1), shared),
      makeBenchmark({ scenario: 'batch', pool: 'sync', layout: 'pad128', publish: 'xchg' }, jitter(5, 8, 2), shared),
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
    const t = texts(computeFindings(doc));
    expect(t.some((x) => /^xchg publish \(xchg\): 2\.0× cheaper than lock xadd in batch/.test(x))).toBe(true);
    expect(t.filter((x) => x.includes('tcmalloc'))).toEqual([
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
    expect(f).toMatchObject({ kind: 'not-significant', tooFewSamples: true });
    expect(f && findingText(f)).toContain('3 samples are too few for the test to reach p<0.05');
  });

  it('skips findings whose benchmarks are absent', () => {
    const doc = makeDocument([
      makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad128', publish: 'xadd' }, jitter(1.6, 8, 1)),
    ]);
    expect(computeFindings(doc)).toEqual([]);
  });
});

describe('findings only where the mechanism ran', () => {
  it('publish instructions in get-put, where every get hit the private slot: not exercised, never an effect', () => {
    // Identical code, different placement: xadd 0.86 ns vs xchg 1.26 ns (the A/A case of issue 10).
    const doc = makeDocument([
      makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad64', publish: 'xadd' }, jitter(0.86, 8, 1)),
      makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad64', publish: 'xchg' }, jitter(1.26, 8, 2)),
      makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad64', publish: 'cas' }, jitter(0.6, 8, 3)),
    ]);
    const findings = computeFindings(doc);
    expect(findings.filter((f) => f.kind !== 'measurement')).toHaveLength(2);
    for (const f of findings.filter((x) => x.kind !== 'measurement')) {
      expect(f).toMatchObject({
        kind: 'not-exercised',
        dimension: 'publish',
        reason: 'no-shared-pushes',
        baseValue: 0,
        otherValue: 0,
      });
      expect(findingText(f)).toMatch(
        /not compared — no publish instruction ran \(shared pushes per op: \w+ 0, xadd 0;/,
      );
    }
  });

  it('a layout comparison at one thread is placement, not the layout', () => {
    const doc = makeDocument([
      makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'pad64', publish: 'xadd' }, jitter(0.86, 8, 1)),
      makeBenchmark({ scenario: 'get-put', pool: 'sync', layout: 'packed', publish: 'xadd' }, jitter(1.2, 8, 2)),
    ]);
    const [f] = computeFindings(doc).filter((x) => x.kind !== 'measurement');
    expect(f).toMatchObject({ kind: 'placement', significant: true, other: { label: 'packed' } });
    expect(f && findingText(f)).toMatch(/one thread shares no line: code and data placement, not the layout/);
  });

  it('false sharing only where two workers overlapped in time (task-clock over wall time)', () => {
    // task-clock per op = ns/op ÷ 2 at 2 threads: one worker ran at a time.
    const serial = (ns: number) => ({ countersPerOp: { 'task-clock': ns / 2 } });
    const doc = makeDocument([
      makeBenchmark(
        { scenario: 'false-sharing', pool: 'sync', layout: 'pad64', threads: 2 },
        jitter(2, 8, 1),
        serial(2),
      ),
      makeBenchmark(
        { scenario: 'false-sharing', pool: 'sync', layout: 'packed', threads: 2 },
        jitter(9, 8, 2),
        serial(9),
      ),
    ]);
    const [layout] = computeFindings(doc).filter((f) => f.scenario === 'false-sharing');
    expect(layout).toMatchObject({ kind: 'effect', overlap: expect.closeTo(1, 1) });
    expect(layout && 'cause' in layout).toBe(false);
    expect(layout && findingText(layout)).toMatch(
      /^packed layout: 4\.\d× slower than pad64 at 2 threads, 64 B — not credited to false sharing: the workers overlapped (0\.9\d+|1\.0\d*)× on average, not shown above 1/,
    );
  });

  it('an effect smaller than the spread across samples says so instead of claiming a cause', () => {
    // 3% apart with ±20% spread, many samples so the test still rejects.
    const wide = (center: number, seed: number) => jitter(center, 60, seed, 0.35);
    const shared = { sources: { private: 0.5, shared: 0.5 } };
    const doc = makeDocument([
      makeBenchmark({ scenario: 'batch', pool: 'sync', layout: 'pad128', publish: 'xadd' }, wide(10, 1), shared),
      makeBenchmark({ scenario: 'batch', pool: 'sync', layout: 'pad128', publish: 'mfence' }, wide(12, 2), shared),
    ]);
    const [f] = computeFindings(doc).filter((x) => x.kind === 'effect');
    expect(f).toMatchObject({ kind: 'effect', withinSpread: true });
    expect(f && findingText(f)).toMatch(
      /within the sample spread ±\d+(\.\d)?% \(one placement\): not credited to the publish/,
    );
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
    expect(findings[0]).toMatchObject({ kind: 'measurement', issue: 'busy', measured: 2 });
    expect(findingText(findings[0] as Finding)).toMatch(
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
    expect(findings[0]).toMatchObject({ kind: 'measurement', issue: 'busy' });
    expect(findingText(findings[0] as Finding)).toMatch(
      /^4 of 4 benchmarks had their workers on a CPU for only \d+\.\d%–\d+\.\d% of the wall time/,
    );
    const mutex = findings.find((f) => f.kind === 'effect' && f.other.label === 'mutex');
    expect(mutex).toMatchObject({ busy: true });
    expect(mutex && findingText(mutex)).toMatch(/— measured on a busy machine \(see the measurement warning\)$/);
  });
});

describe('findings in a run split across processes: the process is the unit', () => {
  // Two batch benchmarks (xadd vs mfence publish) measured in the same 3 processes, 2 samples each.
  const doc = (xadd: number[], mfence: number[]) => {
    const bench = (publish: string, perProcess: number[]) => {
      const b = makeBenchmark(
        { scenario: 'batch', pool: 'sync', layout: 'pad128', publish, batch: 16 },
        perProcess.flatMap((ns) => [ns * 0.99, ns * 1.01]),
        { sources: { private: 0, shared: 1, steal: 0, victim: 0, new: 0 } },
        ['pool', 'layout', 'publish', 'batch'],
      );
      b.samples.forEach((s, i) => {
        s.process = i >> 1;
      });
      return b;
    };
    const d = makeDocument([bench('xadd', xadd), bench('mfence', mfence)]);
    d.config.processes = 3;
    return d;
  };
  const publishFinding = (fs: readonly Finding[]) =>
    fs.find((f) => (f.kind === 'effect' || f.kind === 'not-significant') && f.dimension === 'publish');

  it('an effect that holds in every process is found, even where the processes differ more than the effect', () => {
    // Each process is 1×, 1.6× or 0.7× as fast as the others (its load, its heap); mfence is 1.3× xadd in each.
    const f = publishFinding(computeFindings(doc([10, 16, 7], [13, 20.8, 9.1])));
    expect(f).toMatchObject({ kind: 'effect', processes: 3 });
    expect(f?.kind === 'effect' && f.estimate).toBeCloseTo(1.3, 2);
  });

  it('a difference that one process shows and the others contradict is not significant', () => {
    // Within each process the samples are tight, so a test over the 6 vs 6 samples would call it.
    const f = publishFinding(computeFindings(doc([10, 10, 10], [14, 9.2, 9.4])));
    expect(f).toMatchObject({ kind: 'not-significant', processes: 3 });
  });
});
