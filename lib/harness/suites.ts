/**
 * The suites `poolscope bench` runs. `quick` is what `npm run bench` runs:
 * every scenario, all 12 sync variants (3 layouts × 4 publish instructions)
 * for get-put and batch, the baselines, 1 and 2 threads where threads
 * matter — about a minute on 2 cores, peers included (`time npm run bench`). `full` adds object sizes,
 * batch sizes, clear intervals and 4 threads, with longer samples. `tiny`
 * is for tests: one small benchmark per scenario.
 */

import { POOL_LAYOUTS, POOL_PUBLISH } from '../pool.js';
import type { BenchmarkSpec, SampleBounds } from './options.js';

export const SUITE_NAMES = ['quick', 'full', 'tiny'] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

export interface Suite {
  name: SuiteName;
  specs: BenchmarkSpec[];
  bounds: SampleBounds;
  /** Processes `bench` splits the samples across (lib/cli/bench-processes.ts); each takes repeat ÷ processes. */
  processes: number;
}

const BASELINES = ['malloc', 'mutex', 'treiber'] as const;

function syncVariants(base: BenchmarkSpec): BenchmarkSpec[] {
  const out: BenchmarkSpec[] = [];
  for (const layout of POOL_LAYOUTS)
    for (const publish of POOL_PUBLISH) out.push({ ...base, pool: 'sync', layout, publish });
  return out;
}

function withBaselines(base: BenchmarkSpec): BenchmarkSpec[] {
  return [...syncVariants(base), ...BASELINES.map((pool) => ({ ...base, pool }))];
}

function quickSpecs(threadCounts: readonly number[]): BenchmarkSpec[] {
  const specs: BenchmarkSpec[] = [];
  for (const threads of threadCounts) specs.push(...withBaselines({ scenario: 'get-put', threads }));
  for (const threads of threadCounts) specs.push(...withBaselines({ scenario: 'batch', threads, batch: 16 }));
  for (const pool of ['sync', ...BASELINES]) specs.push({ scenario: 'producer-consumer', pool, threads: 2 });
  specs.push({ scenario: 'producer-consumer', pool: 'sync', layout: 'packed', threads: 2 });
  for (const threads of threadCounts) {
    for (const victim of [true, false]) {
      specs.push({ scenario: 'gc-churn', threads, victim, batch: 16, clearEvery: 1024 });
    }
  }
  for (const threads of threadCounts) {
    for (const layout of POOL_LAYOUTS) specs.push({ scenario: 'false-sharing', layout, threads });
  }
  for (const threads of threadCounts) {
    for (const batch of [1, 16]) specs.push({ scenario: 'alloc', pool: 'malloc', batch, threads });
  }
  return specs;
}

function fullSpecs(): BenchmarkSpec[] {
  const specs = quickSpecs([1, 2, 4]);
  for (const objectSize of [1024, 65536]) {
    for (const threads of [1, 2]) {
      specs.push(...withBaselines({ scenario: 'get-put', threads, objectSize }));
      specs.push({ scenario: 'alloc', pool: 'malloc', threads, objectSize });
    }
  }
  for (const batch of [4, 64, 256]) {
    for (const threads of [1, 2]) specs.push(...withBaselines({ scenario: 'batch', threads, batch }));
  }
  for (const clearEvery of [256, 16384]) {
    for (const victim of [true, false]) specs.push({ scenario: 'gc-churn', threads: 2, victim, batch: 16, clearEvery });
  }
  for (const publish of POOL_PUBLISH) {
    for (const layout of POOL_LAYOUTS) specs.push({ scenario: 'false-sharing', layout, publish, threads: 2, batch: 1 });
  }
  return dedupe(specs);
}

function tinySpecs(): BenchmarkSpec[] {
  return [
    { scenario: 'get-put', threads: 1 },
    { scenario: 'get-put', pool: 'mutex', threads: 1 },
    { scenario: 'batch', threads: 2, batch: 8 },
    { scenario: 'producer-consumer', threads: 2 },
    { scenario: 'gc-churn', threads: 1, victim: true, batch: 4, clearEvery: 64 },
    { scenario: 'gc-churn', threads: 1, victim: false, batch: 4, clearEvery: 64 },
    { scenario: 'false-sharing', layout: 'packed', threads: 2 },
    { scenario: 'alloc', threads: 1 },
  ];
}

/** Drops exact duplicates (a spec listed twice would run twice under one name). */
function dedupe(specs: BenchmarkSpec[]): BenchmarkSpec[] {
  const seen = new Set<string>();
  return specs.filter((s) => {
    const key = JSON.stringify(Object.entries(s).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function suite(name: SuiteName): Suite {
  switch (name) {
    case 'quick':
      return { name, specs: quickSpecs([1, 2]), bounds: { repeat: 6, warmup: 1, sampleMs: 20 }, processes: 3 };
    case 'full':
      return { name, specs: fullSpecs(), bounds: { repeat: 10, warmup: 2, sampleMs: 50 }, processes: 5 };
    case 'tiny':
      return { name, specs: tinySpecs(), bounds: { repeat: 2, warmup: 0, ops: 2000 }, processes: 1 };
  }
}
