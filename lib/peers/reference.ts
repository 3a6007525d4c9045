/**
 * poolscope's own pool measured by the peers run, in the same process and
 * the same round-robin as the peers, so the peers table always has its
 * reference: get-put and batch K through the core's pools (native loops,
 * one thread), producer-consumer over SyncPool<Pad128, Xadd> with the
 * core's producer/consumer loops on two threads (every get steals), and
 * gc-churn (clear() every M operations, victim cache on).
 * The `bench` suite measures the same patterns with the full harness
 * (counters, every variant); use `poolscope peers --merge` with its document
 * to compare against those instead.
 */
import { nativeAddon } from '../binding.js';
import type { BenchmarkResult, Sample } from '../results/schema.js';
import { summarize } from '../stats.js';

interface ReferenceAddon {
  peersRunPool(o: {
    pool: string;
    layout: string;
    publish: string;
    scenario: 'get-put' | 'batch';
    objectSize: number;
    ops: number;
    batch: number;
  }): { ops: number; elapsedNs: number; fromNew: number };
  peersRunGcChurn(o: { objectSize: number; ops: number; clearEvery: number }): {
    ops: number;
    elapsedNs: number;
    clears: number;
    victimHits: number;
    news: number;
    victims: number;
    privates: number;
    shared: number;
    steals: number;
  };
  peersRunProducerConsumer(o: { objectSize: number; ops: number }): {
    ops: number;
    elapsedNs: number;
    steals: number;
    news: number;
    victims: number;
    orderErrors: number;
    consumed: number;
  };
}

/** The sync variants the reference runs: get-put barely depends on publish; batch does. */
const GET_PUT_VARIANTS = [
  ['pad128', 'xadd'],
  ['packed', 'xadd'],
] as const;
const BATCH_VARIANTS = [
  ['pad128', 'xadd'],
  ['pad128', 'cas'],
  ['pad128', 'xchg'],
] as const;

/** Options of {@link runPoolscopeReference}. */
export interface ReferenceOptions {
  /** @default [64, 4096, 65536] */
  objectSizes?: readonly number[];
  /** K of the batch pattern. @default 32 */
  batch?: number;
  /** @default 5 */
  repeats?: number;
  /** @default 20 */
  sampleMs?: number;
  /** Run producer-consumer (two threads). @default true */
  producerConsumer?: boolean;
  /** gc-churn's M: clear() every M operations (Go's benchmark: runtime.GC() every M). @default 4096 */
  clearEvery?: number;
}

interface Spec {
  name: string;
  scenario: string;
  /** Extra params (gc-churn's victim and clearEvery). */
  extra?: Record<string, number | boolean>;
  layout: string;
  publish: string;
  objectSize: number;
  batch: number;
  threads: number;
  ops: number;
  run: (ops: number) => Sample;
  samples: Sample[];
}

function sizeSuffix(objectSize: number): string {
  return objectSize === 64 ? '' : `/objectSize=${objectSize}`;
}

/** poolscope's reference results (`pool: 'sync'`), named like the harness names them. */
export function runPoolscopeReference(options: ReferenceOptions = {}): BenchmarkResult[] {
  const a = nativeAddon<ReferenceAddon>();
  const sizes = options.objectSizes ?? [64, 4096, 65536];
  const k = options.batch ?? 32;
  const repeats = options.repeats ?? 5;
  const sampleNs = (options.sampleMs ?? 20) * 1e6;
  const specs: Spec[] = [];
  for (const objectSize of sizes) {
    const loops: Array<[string, 'get-put' | 'batch', string, string, number]> = [
      ...GET_PUT_VARIANTS.map(
        ([l, p]) => ['GetPut', 'get-put', l, p, 1] as [string, 'get-put', string, string, number],
      ),
      ...BATCH_VARIANTS.map(([l, p]) => ['Batch', 'batch', l, p, k] as [string, 'batch', string, string, number]),
    ];
    for (const [camel, scenario, layout, publish, batch] of loops) {
      const run = (ops: number): Sample => {
        const r = a.peersRunPool({ pool: 'sync', layout, publish, scenario, objectSize, ops, batch });
        return { ops: r.ops, elapsedNs: r.elapsedNs, nsPerOp: r.elapsedNs / r.ops, counters: {} };
      };
      const batchPart = scenario === 'batch' ? `/batch=${batch}` : '';
      specs.push({
        name: `${camel}/pool=sync/layout=${layout}/publish=${publish}${batchPart}${sizeSuffix(objectSize)}`,
        scenario,
        layout,
        publish,
        objectSize,
        batch,
        threads: 1,
        ops: 0,
        run,
        samples: [],
      });
    }
    const clearEvery = options.clearEvery ?? 4096;
    specs.push({
      name: `GcChurn/pool=sync/layout=pad128/publish=xadd/victim=true/clearEvery=${clearEvery}${sizeSuffix(objectSize)}`,
      scenario: 'gc-churn',
      extra: { victim: true, clearEvery },
      layout: 'pad128',
      publish: 'xadd',
      objectSize,
      batch: 1,
      threads: 1,
      ops: 0,
      run: (ops) => {
        const r = a.peersRunGcChurn({ objectSize, ops, clearEvery });
        return {
          ops: r.ops,
          elapsedNs: r.elapsedNs,
          nsPerOp: r.elapsedNs / r.ops,
          counters: {},
          sources: { private: r.privates, shared: r.shared, steal: r.steals, victim: r.victims, new: r.news },
        };
      },
      samples: [],
    });
    if (options.producerConsumer !== false && objectSize >= 8) {
      specs.push({
        name: `ProducerConsumer/pool=sync/layout=pad128/publish=xadd${sizeSuffix(objectSize)}`,
        scenario: 'producer-consumer',
        layout: 'pad128',
        publish: 'xadd',
        objectSize,
        batch: 1,
        threads: 2,
        ops: 0,
        run: (ops) => {
          const r = a.peersRunProducerConsumer({ objectSize, ops });
          if (r.orderErrors !== 0 || r.consumed !== r.ops) {
            throw new Error(
              `producer-consumer: ${r.orderErrors} objects out of order, ${r.consumed} of ${r.ops} consumed (an object had two owners)`,
            );
          }
          return {
            // Counted per worker as the harness counts them (a get on the producer, a put on the
            // consumer), so nsPerOp = elapsedNs × threads ÷ ops = the wall time per object moved.
            ops: 2 * r.ops,
            elapsedNs: r.elapsedNs,
            nsPerOp: r.elapsedNs / r.ops,
            counters: {},
            sources: { private: 0, shared: 0, steal: r.steals, victim: r.victims, new: r.news },
          };
        },
        samples: [],
      });
    }
  }
  // Calibrate each to sampleMs from the median of three short runs.
  for (const s of specs) {
    const probe = s.threads === 2 ? 2_000 : 20_000;
    const per = [0, 1, 2].map(() => {
      const x = s.run(probe - (probe % s.batch));
      return x.elapsedNs / x.ops;
    });
    per.sort((x, y) => x - y);
    const ns = Math.max(per[1] ?? 1, 0.1);
    s.ops = Math.max(s.batch, Math.round(sampleNs / ns / s.batch) * s.batch);
  }
  for (let r = 0; r < repeats; r++) for (const s of specs) s.samples.push(s.run(s.ops));
  return specs.map((s) => ({
    name: s.name,
    params: {
      scenario: s.scenario,
      pool: 'sync',
      layout: s.layout,
      publish: s.publish,
      threads: s.threads,
      objectSize: s.objectSize,
      ...(s.scenario === 'batch' ? { batch: s.batch } : {}),
      ...s.extra,
    },
    samples: s.samples,
    summary: { nsPerOp: summarize(s.samples.map((x) => x.nsPerOp)) },
    source: 'poolscope peers (reference)',
  }));
}
