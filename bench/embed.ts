/**
 * `npm run bench:embed`: the embedding API next to what a Node service would
 * use instead, measured side by side in one run.
 *
 *   SyncPool get+put            vs a plain JS free list (array pop+push) vs `new` each time
 *   SharedBufferPool acquire+release, 4 KiB and 64 KiB blocks (releaseCheck 'atomic' and 'plain')
 *                               vs a JS free list of Buffers, Buffer.allocUnsafe, Buffer.alloc
 *   cross-worker handoff        a block index posted to a worker (which reads and releases it)
 *                               vs posting a copy of the bytes vs transferring an ArrayBuffer
 *
 * The machine is shared and noisy, so every task runs once per round, rounds
 * repeat, each ratio is taken within a round and the median over rounds is
 * printed (with its spread), next to each task's median ns/op.
 *
 * `runEmbedBench()` returns the same figures as results-document benchmarks
 * (lib/results/schema.ts) for `npm run bench`.
 */
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { Bench } from 'tinybench';
import { spawnWorker } from '../lib/internal/worker-entry.js';
import type { BenchmarkResult } from '../lib/results/schema.js';
import { SharedBufferPool } from '../lib/shared-buffer-pool.js';
import { median, summarize } from '../lib/stats.js';
import { SyncPool } from '../lib/sync-pool.js';

export interface EmbedBenchOptions {
  /** Rounds (each runs every task once). @default 9, 3 with quick */
  rounds?: number;
  /** Time per task per round, in ms. @default 150, 50 with quick */
  taskTimeMs?: number;
  quick?: boolean;
  /** Progress lines. @default none */
  log?: (line: string) => void;
}

export interface EmbedRatio {
  /** e.g. `SyncPool ÷ JS free list` */
  name: string;
  /** Median over rounds of the within-round ratio of ns/op. */
  median: number;
  min: number;
  max: number;
  /** The goal, when there is one: `≤ 1.5` means the ratio should be at most 1.5. */
  target?: { op: '≤' | '≥'; value: number };
  met?: boolean;
}

export interface EmbedBenchResult {
  benchmarks: BenchmarkResult[];
  ratios: EmbedRatio[];
}

/** A task: `run()` does `ops` operations (sync or async). */
interface Task {
  name: string;
  group: string;
  pool: string;
  objectSize: number;
  ops: number;
  run: () => unknown;
}

const LOOP = 1000; // operations per call for the cheap tasks: tinybench's per-call overhead is ~100 ns

let sink: unknown; // keeps results alive so the JIT cannot drop the work

class Thing {
  id = 0;
  name = '';
  tags: string[] = [];
  values = new Float64Array(8);
  next: Thing | undefined = undefined;
}

function syncPoolTasks(): Task[] {
  const pool = new SyncPool({ create: () => new Thing() });
  const free: Thing[] = [new Thing()];
  const common = { group: 'objects', objectSize: 0, ops: LOOP };
  return [
    {
      ...common,
      name: 'SyncPool get+put',
      pool: 'syncpool',
      run: () => {
        for (let i = 0; i < LOOP; i++) {
          const t = pool.get();
          sink = t;
          pool.put(t);
        }
      },
    },
    {
      ...common,
      name: 'JS free list pop+push',
      pool: 'js-free-list',
      run: () => {
        for (let i = 0; i < LOOP; i++) {
          const t = free.pop() ?? new Thing();
          sink = t;
          free.push(t);
        }
      },
    },
    {
      ...common,
      name: 'new each time',
      pool: 'new',
      run: () => {
        for (let i = 0; i < LOOP; i++) sink = new Thing();
      },
    },
  ];
}

function bufferTasks(size: number, pools: SharedBufferPool[]): Task[] {
  const atomic = new SharedBufferPool({ blockSize: size, blocks: 64 });
  const plain = new SharedBufferPool({ blockSize: size, blocks: 64, releaseCheck: 'plain' });
  pools.push(atomic, plain);
  const free: Buffer[] = [Buffer.allocUnsafe(size)];
  const slow = 20; // the allocating tasks cost ~1 µs each
  const group = `buffers ${size / 1024} KiB`;
  return [
    {
      name: `SharedBufferPool acquire+release ${size / 1024} KiB`,
      group,
      pool: 'shared-buffer-pool',
      objectSize: size,
      ops: LOOP,
      run: () => {
        for (let i = 0; i < LOOP; i++) {
          const b = atomic.acquire();
          sink = b;
          atomic.release(b);
        }
      },
    },
    {
      name: `SharedBufferPool acquire+release ${size / 1024} KiB (releaseCheck plain)`,
      group,
      pool: 'shared-buffer-pool-plain',
      objectSize: size,
      ops: LOOP,
      run: () => {
        for (let i = 0; i < LOOP; i++) {
          const b = plain.acquire();
          sink = b;
          plain.release(b);
        }
      },
    },
    {
      name: `JS free list of Buffers ${size / 1024} KiB`,
      group,
      pool: 'js-buffer-free-list',
      objectSize: size,
      ops: LOOP,
      run: () => {
        for (let i = 0; i < LOOP; i++) {
          const b = free.pop() ?? Buffer.allocUnsafe(size);
          sink = b;
          free.push(b);
        }
      },
    },
    {
      name: `Buffer.allocUnsafe(${size})`,
      group,
      pool: 'node-alloc-unsafe',
      objectSize: size,
      ops: slow,
      run: () => {
        for (let i = 0; i < slow; i++) sink = Buffer.allocUnsafe(size);
      },
    },
    {
      name: `Buffer.alloc(${size})`,
      group,
      pool: 'node-alloc',
      objectSize: size,
      ops: slow,
      run: () => {
        for (let i = 0; i < slow; i++) sink = Buffer.alloc(size);
      },
    },
  ];
}

async function handoffTasks(pools: SharedBufferPool[], workers: Worker[]): Promise<Task[]> {
  const size = 4096;
  const burst = 200;
  const pool = new SharedBufferPool({ blockSize: size, blocks: 512 });
  pools.push(pool);
  const worker = spawnWorker(import.meta.url, './embed-worker', { workerData: { handle: pool.handle } });
  workers.push(worker);
  await once(worker, 'message'); // ready
  const bytes = Buffer.alloc(size, 7);
  const flush = async (): Promise<void> => {
    worker.postMessage({ kind: 'flush', n: burst });
    const [reply] = (await once(worker, 'message')) as [{ seen: number }];
    if (reply.seen !== burst) throw new Error(`worker saw ${reply.seen} of ${burst}`);
  };
  const common = { group: 'handoff 4 KiB', objectSize: size, ops: burst };
  return [
    {
      ...common,
      name: 'block index to a worker (SharedBufferPool)',
      pool: 'shared-buffer-pool-handoff',
      run: async () => {
        for (let i = 0; i < burst; i++) {
          const b = pool.acquire();
          b[0] = 1;
          worker.postMessage({ kind: 'index', i: pool.indexOf(b) }); // the worker releases it
        }
        await flush();
      },
    },
    {
      ...common,
      name: 'copy of the bytes to a worker (postMessage)',
      pool: 'postmessage-copy',
      run: async () => {
        for (let i = 0; i < burst; i++) worker.postMessage({ kind: 'copy', buf: bytes });
        await flush();
      },
    },
    {
      ...common,
      name: 'ArrayBuffer transferred to a worker',
      pool: 'postmessage-transfer',
      run: async () => {
        for (let i = 0; i < burst; i++) {
          const ab = new ArrayBuffer(size); // a transferred buffer is gone: each message needs a new one
          new Uint8Array(ab)[0] = 1;
          worker.postMessage({ kind: 'transfer', ab }, [ab]);
        }
        await flush();
      },
    },
  ];
}

const RATIOS: { name: string; num: string; den: string; target?: EmbedRatio['target'] }[] = [
  {
    name: 'SyncPool ÷ JS free list',
    num: 'SyncPool get+put',
    den: 'JS free list pop+push',
    target: { op: '≤', value: 1.5 },
  },
  { name: 'new each time ÷ SyncPool', num: 'new each time', den: 'SyncPool get+put' },
  ...[4, 64].flatMap((k) => [
    {
      name: `SharedBufferPool ÷ JS Buffer free list, ${k} KiB`,
      num: `SharedBufferPool acquire+release ${k} KiB`,
      den: `JS free list of Buffers ${k} KiB`,
      target: { op: '≤' as const, value: 2 },
    },
    {
      name: `SharedBufferPool (plain check) ÷ JS Buffer free list, ${k} KiB`,
      num: `SharedBufferPool acquire+release ${k} KiB (releaseCheck plain)`,
      den: `JS free list of Buffers ${k} KiB`,
      target: { op: '≤' as const, value: 2 },
    },
    {
      name: `Buffer.allocUnsafe ÷ SharedBufferPool, ${k} KiB`,
      num: `Buffer.allocUnsafe(${k * 1024})`,
      den: `SharedBufferPool acquire+release ${k} KiB`,
      ...(k === 64 ? { target: { op: '≥' as const, value: 10 } } : {}),
    },
    {
      name: `Buffer.alloc ÷ SharedBufferPool, ${k} KiB`,
      num: `Buffer.alloc(${k * 1024})`,
      den: `SharedBufferPool acquire+release ${k} KiB`,
    },
  ]),
  {
    name: 'postMessage copy ÷ block index handoff, 4 KiB',
    num: 'copy of the bytes to a worker (postMessage)',
    den: 'block index to a worker (SharedBufferPool)',
  },
  {
    name: 'ArrayBuffer transfer ÷ block index handoff, 4 KiB',
    num: 'ArrayBuffer transferred to a worker',
    den: 'block index to a worker (SharedBufferPool)',
  },
];

/** Runs the suite; returns every task's per-round ns/op and the ratios. */
export async function runEmbedBench(options: EmbedBenchOptions = {}): Promise<EmbedBenchResult> {
  const quick = options.quick ?? false;
  const rounds = options.rounds ?? (quick ? 3 : 9);
  const taskTimeMs = options.taskTimeMs ?? (quick ? 50 : 150);
  const log = options.log ?? (() => {});
  const pools: SharedBufferPool[] = [];
  const workers: Worker[] = [];
  // A closed pool detaches its ArrayBuffers, and the first detach in a process makes V8 drop
  // optimized code that assumed no ArrayBuffer is ever detached. A service closes pools (or
  // transfers buffers) sooner or later: measure in that state, not in the rosier one before.
  const warm = new SharedBufferPool({ blockSize: 64, blocks: 1 });
  warm.acquire();
  warm.close();
  try {
    const tasks = [
      ...syncPoolTasks(),
      ...bufferTasks(4096, pools),
      ...bufferTasks(65536, pools),
      ...(await handoffTasks(pools, workers)),
    ];
    const perRound: Map<string, number>[] = [];
    for (let r = 0; r < rounds; r++) {
      log(`embed: round ${r + 1}/${rounds}`);
      const bench = new Bench({ time: taskTimeMs, warmupTime: Math.min(20, taskTimeMs / 4) });
      for (const t of tasks) bench.add(t.name, t.run);
      await bench.run();
      const ns = new Map<string, number>();
      for (const t of tasks) {
        const result = bench.getTask(t.name)?.result;
        if (result === undefined || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
          const why = result?.state === 'errored' ? String(result.error) : (result?.state ?? 'no result');
          throw new Error(`embed bench: ${t.name}: ${why}`);
        }
        ns.set(t.name, (result.latency.p50 * 1e6) / t.ops); // median latency per call, ms -> ns per op
      }
      perRound.push(ns);
    }
    const benchmarks: BenchmarkResult[] = tasks.map((t) => {
      const values = perRound.map((m) => m.get(t.name) as number);
      return {
        name: `Embed/${t.group.replace(/ /g, '_')}/pool=${t.pool}`,
        params: { scenario: 'embed', pool: t.pool, threads: 1, objectSize: t.objectSize, task: t.name },
        samples: values.map((nsPerOp) => ({
          ops: t.ops,
          elapsedNs: nsPerOp * t.ops,
          nsPerOp,
          counters: {},
        })),
        summary: { nsPerOp: summarize(values) },
        source: 'bench/embed.ts (tinybench)',
      };
    });
    const ratios = RATIOS.map((spec): EmbedRatio => {
      const values = perRound.map((m) => (m.get(spec.num) as number) / (m.get(spec.den) as number));
      const mid = median(values);
      const out: EmbedRatio = { name: spec.name, median: mid, min: Math.min(...values), max: Math.max(...values) };
      if (spec.target !== undefined) {
        out.target = spec.target;
        out.met = spec.target.op === '≤' ? mid <= spec.target.value : mid >= spec.target.value;
      }
      return out;
    });
    return { benchmarks, ratios };
  } finally {
    for (const w of workers) await w.terminate();
    for (const p of pools) p.close();
  }
}

/** The figures as a text table. */
export function formatEmbedBench(result: EmbedBenchResult): string {
  const lines: string[] = [];
  const pad = (s: string, n: number) => s.padEnd(n);
  lines.push(`${pad('task', 62)} ${'ns/op'.padStart(10)}   (median over rounds; min–max)`);
  for (const b of result.benchmarks) {
    const s = b.summary.nsPerOp;
    lines.push(
      `${pad(String(b.params.task), 62)} ${s.median.toFixed(1).padStart(10)}   (${s.min.toFixed(1)}–${s.max.toFixed(1)})`,
    );
  }
  lines.push('');
  lines.push(`${pad('ratio (within a round, median over rounds)', 62)} ${'ratio'.padStart(10)}   min–max     target`);
  for (const r of result.ratios) {
    const target = r.target === undefined ? '' : `${r.target.op} ${r.target.value}  ${r.met ? 'met' : 'NOT met'}`;
    lines.push(
      `${pad(r.name, 62)} ${r.median.toFixed(2).padStart(10)}   ${r.min.toFixed(2)}–${r.max.toFixed(2)}   ${target}`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  runEmbedBench({ quick, log: (l) => process.stderr.write(`${l}\n`) }).then(
    (r) => {
      console.log(`embed: ${new Date().toISOString()}, node ${process.version}, ${quick ? 'quick' : 'full'} run\n`);
      console.log(formatEmbedBench(r));
      void sink;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
