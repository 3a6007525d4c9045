/**
 * The peers table: every peer as a ratio to poolscope's best sync variant at
 * its pattern and size, findings (including the project's targets), peers
 * that could not run listed with the reason, and the section present in
 * every report format.
 */
import { describe, expect, it } from 'vitest';
import { patternOf, peersPivot, peersReport, peersTable } from '../lib/report/peers.js';
import { renderReport } from '../lib/report/render.js';
import type { BenchmarkParams, BenchmarkResult, ResultsDocument, Sample } from '../lib/results/schema.js';
import { SCHEMA_VERSION } from '../lib/results/schema.js';
import { summarize } from '../lib/stats.js';

function bench(name: string, params: BenchmarkParams, ns: readonly number[], source?: string): BenchmarkResult {
  const ops = 1_000_000;
  const samples = ns.map((x) => ({ ops, elapsedNs: (x * ops) / params.threads, nsPerOp: x, counters: {} }));
  return { name, params, samples, summary: { nsPerOp: summarize([...ns]) }, ...(source ? { source } : {}) };
}

function withSteals(b: BenchmarkResult, f: (s: Sample) => Sample): BenchmarkResult {
  return { ...b, samples: b.samples.map(f) };
}

const jitter = (x: number) => [x, x * 1.01, x * 0.99, x * 1.02, x * 0.98, x * 1.005, x * 0.995];

function doc(benchmarks: BenchmarkResult[], peersStatus?: unknown): ResultsDocument {
  return {
    schema: SCHEMA_VERSION,
    tool: { name: 'poolscope', version: '0.1.0' },
    startedAt: '2026-11-28T18:00:00.000Z',
    machine: {
      cpuModel: 'test cpu',
      logicalCores: 2,
      kernel: '6.18',
      node: 'v20.20.0',
      compiler: 'g++ 12.2.0',
      perfEventParanoid: 2,
      os: 'linux',
      arch: 'x64',
      pmu: false,
    },
    events: [],
    config: peersStatus === undefined ? {} : { peers: peersStatus },
    benchmarks,
  };
}

const sync = (extra: Partial<BenchmarkParams>, name: string, ns: number) =>
  bench(
    name,
    { scenario: 'get-put', pool: 'sync', threads: 1, objectSize: 64, ...extra } as BenchmarkParams,
    jitter(ns),
  );

const sample = doc(
  [
    sync({ layout: 'pad128', publish: 'xadd' }, 'GetPut/pool=sync/layout=pad128/publish=xadd', 2),
    sync({ layout: 'packed', publish: 'cas' }, 'GetPut/pool=sync/layout=packed/publish=cas', 3),
    bench(
      'Alloc/pool=tcmalloc/batch=1',
      { scenario: 'alloc', pool: 'tcmalloc', threads: 1, objectSize: 64, batch: 1 },
      jitter(7),
    ),
    bench(
      'Alloc/pool=malloc/batch=1',
      { scenario: 'alloc', pool: 'malloc', threads: 1, objectSize: 64, batch: 1 },
      jitter(12),
    ),
    bench(
      'GetPut/pool=go-sync',
      { scenario: 'get-put', pool: 'go-sync', threads: 1, objectSize: 64 },
      jitter(13.6),
      'go test',
    ),
    bench(
      'GetPut/pool=node-free-list',
      { scenario: 'get-put', pool: 'node-free-list', threads: 1, objectSize: 64 },
      jitter(6),
    ),
    // The harness counts a get and a put per object moved: 2 ops, so 1 steal in 16 objects is ops / 32.
    withSteals(
      bench(
        'ProducerConsumer/pool=sync/layout=pad128/publish=xadd',
        { scenario: 'producer-consumer', pool: 'sync', threads: 2, objectSize: 64 },
        jitter(300),
      ),
      (s) => ({ ...s, sources: { private: 0, shared: 0, steal: s.ops / 32, victim: 0, new: 0 } }),
    ),
    withSteals(
      bench(
        'ProducerConsumer/pool=go-sync',
        { scenario: 'producer-consumer', pool: 'go-sync', threads: 2, objectSize: 64 },
        jitter(495),
      ),
      (s) => ({ ...s, metrics: { 'steals/op': 0.9 } }),
    ),
    bench(
      'ProducerConsumer/pool=malloc',
      { scenario: 'producer-consumer', pool: 'malloc', threads: 2, objectSize: 64 },
      jitter(280),
    ),
    bench(
      'ProducerConsumer/pool=mimalloc',
      { scenario: 'producer-consumer', pool: 'mimalloc', threads: 2, objectSize: 64 },
      jitter(450),
    ),
    // A size where poolscope did not run: rows without ratios.
    bench(
      'Alloc/pool=tcmalloc/batch=1/objectSize=4096',
      { scenario: 'alloc', pool: 'tcmalloc', threads: 1, objectSize: 4096, batch: 1 },
      jitter(9),
    ),
  ],
  {
    allocators: [
      { name: 'mimalloc', state: 'loaded', path: 'libmimalloc.so.2', debianPackage: 'libmimalloc2.0' },
      {
        name: 'jemalloc',
        state: 'not-installed',
        path: 'libjemalloc.so.2',
        debianPackage: 'libjemalloc2',
        reason:
          'not installed: libjemalloc.so.2 not found (install the Debian package libjemalloc2: apt-get install libjemalloc2)',
      },
    ],
    go: { state: 'installed', version: 'go1.19.8' },
  },
);

describe('peersReport', () => {
  const report = peersReport(sample);

  it('ratios every peer to poolscope best sync variant at the same pattern and size', () => {
    const at = (pattern: string, size: number, pool: string) =>
      report.rows.find((r) => r.pattern === pattern && r.objectSize === size && r.pool === pool);
    expect(at('get-put', 64, 'sync')?.benchmark).toBe('GetPut/pool=sync/layout=pad128/publish=xadd');
    expect(at('get-put', 64, 'sync')?.ratio).toBeCloseTo(1, 6);
    expect(at('get-put', 64, 'tcmalloc')?.ratio).toBeCloseTo(3.5, 1);
    expect(at('get-put', 64, 'go-sync')?.ratio).toBeCloseTo(6.8, 1);
    expect(at('get-put', 64, 'node-free-list')?.ratio).toBeCloseTo(3, 1);
    // producer-consumer: ns/op is the wall time per object moved.
    expect(at('producer-consumer', 64, 'go-sync')?.ratio).toBeCloseTo(1.65, 2);
    expect(at('get-put', 4096, 'tcmalloc')?.ratio).toBeNull();
  });

  it('states findings with the numbers, and checks the targets', () => {
    const texts = report.findings.map((f) => f.text);
    expect(texts.some((t) => t.startsWith("get-put, 64 B: poolscope's best") && t.includes('tcmalloc'))).toBe(true);
    expect(texts).toContain(
      "target get-put 64 B: poolscope ≥ 10× faster than Go's sync.Pool — NOT met (6.8×: 2.00 vs 13.6 ns)",
    );
    expect(texts).toContain(
      'target get-put 64 B: poolscope ≥ 5× faster than every allocator (fastest of tcmalloc, glibc malloc: tcmalloc) — NOT met (3.5×: 2.00 vs 7.00 ns)',
    );
    expect(
      texts.some((t) =>
        t.startsWith(
          'target producer-consumer 64 B: poolscope ≤ every allocator (fastest of glibc malloc, mimalloc: glibc malloc) — NOT met (0.93×',
        ),
      ),
    ).toBe(true);
    expect(
      texts.some((t) =>
        t.startsWith("target producer-consumer 64 B: poolscope ≤ 0.5× Go's sync.Pool — NOT met (1.65×"),
      ),
    ).toBe(true);
    // Steals per object moved next to the handoff's time: poolscope's from its counters, Go's from go test.
    const pc = texts.find((t) => t.startsWith('producer-consumer, 64 B:')) ?? '';
    expect(pc).toContain('takes 300 ns (0.0625 steals/op)');
    expect(pc).toContain('go-sync 495 ns (1.65×, 0.900 steals/op)');
    expect(pc).toContain('glibc malloc 280 ns (0.93×)');
    expect(report.findings.every((f) => typeof f.significant === 'boolean')).toBe(true);
  });

  it('lists peers that could not run with the recorded reason', () => {
    expect(report.missing).toEqual([
      { name: 'jemalloc', state: 'not-installed', reason: expect.stringContaining('apt-get install libjemalloc2') },
    ]);
    const table = peersTable(report);
    expect(table.rows.some((r) => r[2] === 'jemalloc' && r[4] === 'not-installed')).toBe(true);
    const col = table.header.indexOf('steals/op');
    const row = (pool: string) => table.rows.find((r) => r[0] === 'producer-consumer' && r[2] === pool);
    expect(row('poolscope')?.[col]).toBe('0.0625');
    expect(row('glibc malloc')?.[col]).toBe('');
  });

  it('is empty for a document without peers', () => {
    const own = doc([sync({ layout: 'pad128', publish: 'xadd' }, 'GetPut/pool=sync/layout=pad128/publish=xadd', 2)]);
    expect(peersReport(own)).toEqual({ rows: [], findings: [], missing: [] });
    expect(renderReport(own, 'md')).not.toContain('## Peers');
  });

  it('classifies patterns by scenario, threads and K', () => {
    const p = (params: Partial<BenchmarkParams>) =>
      patternOf(
        bench('x', { scenario: 'get-put', pool: 'x', threads: 1, objectSize: 64, ...params } as BenchmarkParams, [1]),
      );
    expect(p({ scenario: 'alloc', batch: 32 })).toBe('batch K=32');
    expect(p({ scenario: 'batch', batch: 32 })).toBe('batch K=32');
    expect(p({ scenario: 'gc-churn', clearEvery: 4096, victim: true })).toBe('gc-churn M=4096');
    expect(p({ scenario: 'gc-churn', clearEvery: 4096, victim: false })).toBeNull();
    expect(p({ scenario: 'get-put', threads: 2 })).toBeNull();
    expect(p({ scenario: 'false-sharing' })).toBeNull();
  });
});

describe('peersPivot', () => {
  it('has a row per pattern and size and a column per pool, cells with the ratio to poolscope', () => {
    const t = peersPivot(peersReport(sample));
    expect(t.header.slice(0, 4)).toEqual(['pattern', 'size', 'poolscope', 'tcmalloc']);
    const row = t.rows.find((r) => r[0] === 'get-put' && r[1] === '64 B');
    const col = (name: string) => t.header.indexOf(name);
    expect(row?.[col('poolscope')]).toBe('2.00');
    expect(row?.[col('go-sync')]).toBe('13.6 (6.8×)');
    expect(row?.[col('glibc malloc')]).toBe('12.0 (6.0×)');
    expect(t.rows.find((r) => r[0] === 'get-put' && r[1] === '4 KiB')?.[col('poolscope')]).toBe('—');
  });
});

describe('peers in every report format', () => {
  it('text, Markdown and HTML show the peers table; Go text and JSON carry the peer benchmarks', () => {
    const text = renderReport(sample, 'text');
    expect(text).toMatch(/^peers$/m);
    expect(text).toMatch(/get-put\s+64 B\s+tcmalloc/);
    const md = renderReport(sample, 'md');
    expect(md).toContain('## Peers');
    expect(md).toMatch(/\| get-put \| 64 B \| go-sync \| 13\.6 \| 6\.8× \|/);
    const html = renderReport(sample, 'html');
    expect(html).toContain('<h2 id="peers">Peers</h2>');
    expect(html).toContain('<td class="l">go-sync</td>');
    const gobench = renderReport(sample, 'gobench');
    expect(gobench).toMatch(/^BenchmarkGetPut\/pool=go-sync\/objectSize=64\s/m);
    expect(gobench).toMatch(/^BenchmarkProducerConsumer\/pool=go-sync\/objectSize=64-2\s/m);
    const json = JSON.parse(renderReport(sample, 'json')) as ResultsDocument;
    expect(json.benchmarks.filter((b) => b.params.pool === 'go-sync')).toHaveLength(2);
  });
});
