/**
 * Go benchmark text → BenchmarkResults: real `go test -bench` output recorded
 * on this machine (test/fixtures/peers-go-bench-output.txt), the `-N`
 * GOMAXPROCS suffix, custom metrics, and malformed lines.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GoBenchFormatError } from '../lib/errors.js';
import { goBenchToResults, parseGoBench, scenarioOfCamel } from '../lib/peers/go-bench.js';
import { goName } from '../lib/report/gobench.js';
import { makeBenchmark } from './fixtures/results.js';

const recorded = readFileSync(new URL('./fixtures/peers-go-bench-output.txt', import.meta.url), 'utf8');

describe('parseGoBench', () => {
  it('reads every result line of recorded output and skips headers, PASS and ok lines', () => {
    const lines = parseGoBench(recorded);
    const expected = recorded.split('\n').filter((l) => /^Benchmark\S+\s+\d+\s/.test(l)).length;
    expect(expected).toBeGreaterThan(0);
    expect(lines).toHaveLength(expected);
    const first = lines[0];
    expect(first?.name).toBe('GetPut/objectSize=64');
    expect(first?.procs).toBe(1);
    expect(first?.iterations).toBeGreaterThan(0);
    expect(first?.nsPerOp).toBeGreaterThan(0);
  });

  it('takes GOMAXPROCS from the -N suffix, 1 without it', () => {
    const [a, b] = parseGoBench(
      'BenchmarkProducerConsumer/objectSize=64-2   1000  495.5 ns/op\nBenchmarkGetPut/objectSize=64  5000  13.6 ns/op\n',
    );
    expect(a).toMatchObject({ name: 'ProducerConsumer/objectSize=64', procs: 2, iterations: 1000, nsPerOp: 495.5 });
    expect(b).toMatchObject({ name: 'GetPut/objectSize=64', procs: 1 });
  });

  it('keeps custom metrics (b.ReportMetric units, B/op, allocs/op)', () => {
    const [l] = parseGoBench(
      'BenchmarkGcChurn/clearEvery=4096/objectSize=64-2  100  52.8 ns/op  0.25 news/op  62.70 victim-hit-%  16 B/op  1 allocs/op',
    );
    expect(l?.metrics).toEqual({ 'news/op': 0.25, 'victim-hit-%': 62.7, 'B/op': 16, 'allocs/op': 1 });
    const pc = parseGoBench(recorded).find((x) => x.name.startsWith('ProducerConsumer'));
    expect(pc?.procs).toBe(2);
    expect(pc?.metrics['steals/op']).toBeGreaterThan(0.9);
  });

  it('skips a bare benchmark name (go test -v) and test log lines', () => {
    expect(
      parseGoBench('BenchmarkX\n    pool_test.go:127: needs GOMAXPROCS >= 2\n--- SKIP: BenchmarkX\nPASS\n'),
    ).toEqual([]);
  });

  it('rejects a malformed result line with its line number', () => {
    const bad = [
      ['goos: linux\nBenchmarkA 100 12.5\n', /line 2: values and units must come in pairs/],
      ['BenchmarkA 100 fast ns/op\n', /line 1: "fast" is not a number/],
      ['BenchmarkA 100 12 allocs/op\n', /line 1: no ns\/op/],
      ['BenchmarkA lots 12 ns/op\n', /line 1: expected/],
    ] as const;
    for (const [text, message] of bad) {
      expect(() => parseGoBench(text)).toThrow(GoBenchFormatError);
      expect(() => parseGoBench(text)).toThrow(message);
    }
    try {
      parseGoBench('BenchmarkA 100 12.5\n');
    } catch (err) {
      expect((err as GoBenchFormatError).code).toBe('ERR_GO_BENCH_FORMAT');
    }
  });
});

describe('goBenchToResults', () => {
  it('groups -count repetitions into samples, named and parametrised like poolscope results', () => {
    const results = goBenchToResults(parseGoBench(recorded));
    const getPut4k = results.find((r) => r.name === 'GetPut/pool=go-sync/objectSize=4096');
    expect(getPut4k).toBeDefined();
    expect(getPut4k?.params).toMatchObject({ scenario: 'get-put', pool: 'go-sync', threads: 1, objectSize: 4096 });
    expect(getPut4k?.source).toBe('go test');
    expect(getPut4k?.samples).toHaveLength(2);
    const s = getPut4k?.samples[0];
    expect(s?.elapsedNs).toBeCloseTo((s?.nsPerOp ?? 0) * (s?.ops ?? 0), 3);
    expect(getPut4k?.summary.nsPerOp.n).toBe(2);

    const batch = results.find((r) => r.params.scenario === 'batch' && r.params.objectSize === 64);
    expect(batch?.name).toBe('Batch/pool=go-sync/batch=32');
    expect(batch?.params.batch).toBe(32);

    const churn = results.find((r) => r.params.scenario === 'gc-churn' && r.params.objectSize === 65536);
    expect(churn?.name).toBe('GcChurn/pool=go-sync/victim=true/clearEvery=4096/objectSize=65536');
    expect(churn?.params).toMatchObject({ victim: true, clearEvery: 4096, batch: 1 });
    // Custom metrics stay per sample, not a median in params.
    expect(churn?.params['victim-hit-%']).toBeUndefined();
    expect(churn?.samples.every((x) => (x.metrics?.['victim-hit-%'] ?? -1) >= 0)).toBe(true);

    const pc = results.find((r) => r.params.scenario === 'producer-consumer' && r.params.objectSize === 64);
    expect(pc?.params.threads).toBe(2);
    expect(pc?.params.gomaxprocs).toBe(2);
    const steals = pc?.samples.map((x) => x.metrics?.['steals/op'] ?? 0) ?? [];
    expect(steals.length).toBeGreaterThan(0);
    expect(Math.min(...steals)).toBeGreaterThan(0.9);
    // Per worker like the harness (a get and a put per object moved): nsPerOp stays Go's ns/op, and adds up.
    const line = parseGoBench(recorded).find((l) => l.name === 'ProducerConsumer/objectSize=64');
    const first = pc?.samples[0];
    expect(first?.nsPerOp).toBeCloseTo(line?.nsPerOp ?? 0, 6);
    expect(first?.ops).toBe(2 * (line?.iterations ?? 0));
    expect(((first?.elapsedNs ?? 0) * 2) / (first?.ops ?? 1)).toBeCloseTo(first?.nsPerOp ?? 0, 6);
  });

  it('names scenarios in kebab case', () => {
    expect(scenarioOfCamel('GcChurn')).toBe('gc-churn');
    expect(scenarioOfCamel('ProducerConsumer')).toBe('producer-consumer');
  });

  it("bench.txt names: the Go peer's GcChurn carries the sync pool's keys in the same order", () => {
    const results = goBenchToResults(parseGoBench(recorded));
    const churn = results.find((r) => r.params.scenario === 'gc-churn' && r.params.objectSize === 64);
    expect(churn && goName(churn)).toBe('GcChurn/pool=go-sync/batch=1/clearEvery=4096/victim=true/objectSize=64');
    const sync = makeBenchmark(
      {
        scenario: 'gc-churn',
        pool: 'sync',
        layout: 'pad128',
        publish: 'xadd',
        batch: 1,
        clearEvery: 4096,
        victim: true,
      },
      [10, 11, 12],
    );
    expect(goName(sync)).toBe(
      'GcChurn/pool=sync/layout=pad128/publish=xadd/batch=1/clearEvery=4096/victim=true/objectSize=64',
    );
    // With benchstat -ignore /layout,/publish the two differ only in /pool: one row, two columns.
    const strip = (n: string) => n.replace(/\/(pool|layout|publish)=[^/]+/g, '');
    expect(strip(goName(sync))).toBe(strip(churn ? goName(churn) : ''));
  });
});
