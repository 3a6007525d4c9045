/**
 * Node's own ways to get a buffer, at the peers' sizes, on the main thread:
 * `Buffer.allocUnsafe` (below 4 KiB carved from Node's shared 8 KiB slab),
 * `Buffer.alloc` (zero-filled), a plain JS free list (array pop/push),
 * poolscope's JS `SyncPool`, and poolscope's `SharedBufferPool` (blocks of
 * one native slab; its pool is closed when the run ends). Each is measured as a tight loop of N
 * operations timed with `process.hrtime.bigint()` around the loop (never
 * inside it), N calibrated to a target sample time; an operation is one
 * get (or allocation) plus one put (or drop), and the caller writes byte 0.
 * Garbage-collection cost of the allocating variants lands in their samples,
 * as it would in a program.
 */
import type { BenchmarkParams, BenchmarkResult, Sample } from '../results/schema.js';
import { SharedBufferPool } from '../shared-buffer-pool.js';
import { summarize } from '../stats.js';
import { SyncPool } from '../sync-pool.js';

export const NODE_POOLS = [
  'node-alloc-unsafe',
  'node-alloc',
  'node-free-list',
  'node-sync-pool',
  'node-shared-buffer-pool',
] as const;
export type NodePool = (typeof NODE_POOLS)[number];

/** Times `ops` operations (get + write byte 0 + put; K gets then K puts when batch > 1), ns. */
type Loop = (ops: number, batch: number) => number;

const now = (): bigint => process.hrtime.bigint();

// One hand-written loop per way, so each loop's calls are monomorphic and
// V8 can inline them, as it would in a program that uses only one of them.
function makeLoop(pool: NodePool, size: number, closers: Array<() => void>): Loop {
  const held: Buffer[] = [];
  switch (pool) {
    case 'node-alloc-unsafe':
      return (ops, batch) => {
        const t0 = now();
        if (batch <= 1) {
          for (let i = 0; i < ops; i++) Buffer.allocUnsafe(size)[0] = i;
        } else {
          for (let done = 0; done < ops; done += batch) {
            for (let k = 0; k < batch; k++) {
              const b = Buffer.allocUnsafe(size);
              b[0] = k;
              held[k] = b;
            }
            held.length = 0;
          }
        }
        return Number(now() - t0);
      };
    case 'node-alloc':
      return (ops, batch) => {
        const t0 = now();
        if (batch <= 1) {
          for (let i = 0; i < ops; i++) Buffer.alloc(size)[0] = i;
        } else {
          for (let done = 0; done < ops; done += batch) {
            for (let k = 0; k < batch; k++) {
              const b = Buffer.alloc(size);
              b[0] = k;
              held[k] = b;
            }
            held.length = 0;
          }
        }
        return Number(now() - t0);
      };
    case 'node-free-list': {
      const free: Buffer[] = [];
      return (ops, batch) => {
        const t0 = now();
        if (batch <= 1) {
          for (let i = 0; i < ops; i++) {
            const b = free.pop() ?? Buffer.allocUnsafe(size);
            b[0] = i;
            free.push(b);
          }
        } else {
          for (let done = 0; done < ops; done += batch) {
            for (let k = 0; k < batch; k++) {
              const b = free.pop() ?? Buffer.allocUnsafe(size);
              b[0] = k;
              held[k] = b;
            }
            for (let k = 0; k < batch; k++) free.push(held[k] as Buffer);
          }
        }
        return Number(now() - t0);
      };
    }
    case 'node-shared-buffer-pool': {
      // Enough blocks for K held plus the thread cache; the slab is freed at close (see runNodeAllocation).
      const p = new SharedBufferPool({ blockSize: size, blocks: 256 });
      closers.push(() => p.close());
      return (ops, batch) => {
        const t0 = now();
        if (batch <= 1) {
          for (let i = 0; i < ops; i++) {
            const b = p.acquire();
            b[0] = i;
            p.release(b);
          }
        } else {
          for (let done = 0; done < ops; done += batch) {
            for (let k = 0; k < batch; k++) {
              const b = p.acquire();
              b[0] = k;
              held[k] = b;
            }
            for (let k = 0; k < batch; k++) p.release(held[k] as Buffer);
          }
        }
        return Number(now() - t0);
      };
    }
    case 'node-sync-pool': {
      const p = new SyncPool<Buffer>({ create: () => Buffer.allocUnsafe(size) });
      return (ops, batch) => {
        const t0 = now();
        if (batch <= 1) {
          for (let i = 0; i < ops; i++) {
            const b = p.get();
            b[0] = i;
            p.put(b);
          }
        } else {
          for (let done = 0; done < ops; done += batch) {
            for (let k = 0; k < batch; k++) {
              const b = p.get();
              b[0] = k;
              held[k] = b;
            }
            for (let k = 0; k < batch; k++) p.put(held[k] as Buffer);
          }
        }
        return Number(now() - t0);
      };
    }
  }
}

/** Options of {@link runNodeAllocation}. */
export interface NodeAllocOptions {
  /** @default NODE_POOLS */
  pools?: readonly NodePool[];
  /** @default [64, 4096, 65536] */
  objectSizes?: readonly number[];
  /** K values (1: get then put). @default [1, 32] */
  batches?: readonly number[];
  /** Samples per benchmark, round-robin across benchmarks. @default 5 */
  repeats?: number;
  /** Target time of one sample, ms. @default 20 */
  sampleMs?: number;
}

/** Scenario of a node benchmark: allocations are `alloc` (like malloc); the pools are `get-put`/`batch`. */
function scenarioOf(pool: NodePool, batch: number): string {
  if (pool === 'node-alloc-unsafe' || pool === 'node-alloc') return 'alloc';
  return batch > 1 ? 'batch' : 'get-put';
}

const CAMEL: Record<string, string> = { alloc: 'Alloc', 'get-put': 'GetPut', batch: 'Batch' };

/** Measures Node's allocation and JS pools; results carry `pool: 'node-…'`. */
export function runNodeAllocation(options: NodeAllocOptions = {}): BenchmarkResult[] {
  const pools = options.pools ?? NODE_POOLS;
  const sizes = options.objectSizes ?? [64, 4096, 65536];
  const batches = options.batches ?? [1, 32];
  const repeats = options.repeats ?? 5;
  const sampleNs = (options.sampleMs ?? 20) * 1e6;
  const closers: Array<() => void> = [];
  const specs: Array<{ pool: NodePool; size: number; batch: number; loop: Loop; ops: number; samples: Sample[] }> = [];
  try {
    for (const pool of pools) {
      for (const size of sizes) {
        for (const batch of batches) {
          const loop = makeLoop(pool, size, closers);
          const warmOps = 20_000 - (20_000 % batch);
          const warmNs = loop(warmOps, batch);
          const ops = Math.max(batch, Math.round(sampleNs / Math.max(warmNs / warmOps, 0.1) / batch) * batch);
          specs.push({ pool, size, batch, loop, ops, samples: [] });
        }
      }
    }
    for (let r = 0; r < repeats; r++) {
      for (const s of specs) {
        const elapsedNs = s.loop(s.ops, s.batch);
        s.samples.push({ ops: s.ops, elapsedNs, nsPerOp: elapsedNs / s.ops, counters: {} });
      }
    }
  } finally {
    for (const close of closers) close();
  }
  return specs.map((s) => {
    const scenario = scenarioOf(s.pool, s.batch);
    const params: BenchmarkParams = { scenario, pool: s.pool, threads: 1, objectSize: s.size };
    const parts = [CAMEL[scenario] ?? scenario, `pool=${s.pool}`];
    if (scenario !== 'get-put') {
      params.batch = s.batch;
      parts.push(`batch=${s.batch}`);
    }
    if (s.size !== 64) parts.push(`objectSize=${s.size}`);
    return {
      name: parts.join('/'),
      params,
      samples: s.samples,
      summary: { nsPerOp: summarize(s.samples.map((x) => x.nsPerOp)) },
      source: 'poolscope peers (node)',
    };
  });
}
