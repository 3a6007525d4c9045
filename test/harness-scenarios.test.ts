/**
 * The scenarios count what they claim: every get is served by exactly one
 * source, puts match, gc-churn's victim cache shows up as victim hits (and
 * as allocations without it), and producer-consumer moves every object
 * exactly once (counted and order-checked in native code).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessAddon } from '../lib/harness/native.js';
import { resolveSpec } from '../lib/harness/options.js';
import { openPool } from '../lib/harness/pool-handle.js';
import { runSuite } from '../lib/harness/run-suite.js';
import { WorkerTeam } from '../lib/harness/team.js';
import type { BenchmarkResult, EventInfo, GetSources } from '../lib/results/schema.js';
import { expectNoPerfEventOpen, PORTABLE } from './fixtures/platform.js';

const sum = (s: GetSources) => s.private + s.shared + s.steal + s.victim + s.new;

describe('pool scenarios through the harness', () => {
  let benchmarks: BenchmarkResult[] = [];
  let events: EventInfo[] = [];
  beforeAll(async () => {
    const doc = await runSuite(
      [
        { scenario: 'get-put', threads: 2 },
        { scenario: 'get-put', pool: 'treiber', threads: 1 },
        { scenario: 'batch', threads: 2, batch: 8, layout: 'packed', publish: 'mfence' },
        { scenario: 'false-sharing', threads: 2, layout: 'packed' },
        { scenario: 'gc-churn', threads: 1, batch: 4, clearEvery: 64, victim: true },
        { scenario: 'gc-churn', threads: 1, batch: 4, clearEvery: 64, victim: false },
        { scenario: 'producer-consumer', threads: 2 },
      ],
      { ops: 20_000, repeat: 2, warmup: 1, events: ['task-clock'] },
    );
    benchmarks = doc.benchmarks;
    events = doc.events;
  });

  it('runs every benchmark with the requested samples', () => {
    expect(benchmarks.map((b) => `${b.name}-${b.params.threads}`)).toEqual([
      'GetPut/pool=sync/layout=pad128/publish=xadd-2',
      'GetPut/pool=treiber-1',
      'Batch/pool=sync/layout=packed/publish=mfence/batch=8-2',
      'FalseSharing/layout=packed/publish=xadd-2',
      'GcChurn/pool=sync/victim=true/clearEvery=64/batch=4-1',
      'GcChurn/pool=sync/victim=false/clearEvery=64/batch=4-1',
      'ProducerConsumer/pool=sync/layout=pad128/publish=xadd-2',
    ]);
    for (const b of benchmarks) {
      expect(b.samples).toHaveLength(2);
      expect(b.summary.nsPerOp.n).toBe(2);
      for (const s of b.samples) {
        expect(s.nsPerOp).toBeGreaterThan(0);
        expect(s.perWorkerNsPerOp).toHaveLength(b.params.threads);
        // the portable layer counts nothing: no sample carries task-clock, the document says why
        if (PORTABLE) expect(s.counters['task-clock']).toBeUndefined();
        else expect(s.counters['task-clock']?.value).toBeGreaterThan(0);
      }
    }
    if (PORTABLE) expectNoPerfEventOpen(events.find((e) => e.name === 'task-clock'));
    else expect(events.find((e) => e.name === 'task-clock')?.state).toBe('counted');
  });

  it('gets add up: one source per get, one put per get, for every worker-local loop', () => {
    for (const b of benchmarks.filter((x) => x.params.scenario !== 'producer-consumer')) {
      for (const s of b.samples) {
        expect(s.ops).toBe(20_000 * b.params.threads);
        expect(s.sources).toBeDefined();
        expect(sum(s.sources as GetSources)).toBe(s.ops);
        expect(s.puts).toBe(s.ops);
      }
    }
  });

  it('get-put is served by the private slot; batch goes through the shared deque', () => {
    const getPut = benchmarks[0] as BenchmarkResult;
    // A fresh pool per sample (placement randomization): each worker's first get allocates, the rest are private.
    for (const s of getPut.samples) {
      expect((s.sources?.private ?? 0) + (s.sources?.new ?? 0)).toBe(s.ops);
      expect(s.sources?.new).toBeLessThanOrEqual(getPut.params.threads);
    }
    const batch = benchmarks[2] as BenchmarkResult;
    for (const s of batch.samples) expect(s.sources?.shared).toBeGreaterThan(s.ops / 2);
  });

  it('gc-churn: after clear() the victim cache serves the gets; without it they are allocations', () => {
    const on = benchmarks[4] as BenchmarkResult;
    const off = benchmarks[5] as BenchmarkResult;
    for (const s of on.samples) {
      expect(s.sources?.victim).toBeGreaterThan(0);
    }
    for (const s of off.samples) {
      expect(s.sources?.victim).toBe(0);
      // 20k ops, a clear every 64, 4 objects held: each clear costs up to 4 fresh allocations
      expect(s.sources?.new).toBeGreaterThanOrEqual(Math.floor(20_000 / 64));
    }
  });

  it('producer-consumer: the consumer puts back every object the producer got', () => {
    const pc = benchmarks[6] as BenchmarkResult;
    for (const s of pc.samples) {
      expect(s.ops).toBe(40_000); // 20k gets on the producer + 20k puts on the consumer
      expect(sum(s.sources as GetSources)).toBe(20_000);
      expect(s.puts).toBe(20_000);
      expect((s.sources?.steal ?? 0) + (s.sources?.new ?? 0)).toBe(20_000); // the producer's own caches stay empty
    }
  });
});

describe('producer-consumer handoff, counted in native code', () => {
  let team: WorkerTeam;
  beforeAll(async () => {
    team = await WorkerTeam.start(4, []);
  });
  afterAll(async () => {
    await team.terminate();
  });

  for (const pool of ['sync', 'mutex', 'treiber'] as const) {
    it(`${pool}: every object stamped by a producer arrives once, in order, at its consumer (2 pairs)`, async () => {
      const spec = resolveSpec('spec', { scenario: 'producer-consumer', pool, threads: 4 });
      const handle = openPool(spec);
      try {
        const job = {
          scenario: 'producer-consumer' as const,
          pool,
          poolId: handle.id,
          ops: 50_000,
          durationNs: 0,
          objectSize: 64,
          batch: 1,
          clearEvery: 1,
          victim: true,
        };
        const out = await team.runSample([job, job, job, job], {
          deadline: Date.now() + 30_000,
          timeLimitMs: 30_000,
          channels: 2,
        });
        const h = out.replies.map((r) => r?.result.handoff);
        expect(h.map((x) => x?.role)).toEqual(['producer', 'consumer', 'producer', 'consumer']);
        expect(h[0]?.produced).toBe(50_000);
        expect(h[1]?.consumed).toBe(50_000);
        expect(h[2]?.produced).toBe(50_000);
        expect(h[3]?.consumed).toBe(50_000);
        expect(h[1]?.orderErrors).toBe(0);
        expect(h[3]?.orderErrors).toBe(0);
      } finally {
        handle.close();
      }
    });
  }

  it('leaves no run group and no pool behind', () => {
    expect(harnessAddon().harnessGroupCount()).toBe(0);
    expect(harnessAddon().harnessPoolCount()).toBe(0);
  });
});
