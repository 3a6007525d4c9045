/**
 * `npm run bench:handoff`: handing a payload to a worker thread, four ways,
 * at 4 KiB and 64 KiB, measured side by side in one run:
 *
 *   pool index   SharedBufferPool: acquire a block, write the payload into it,
 *                post its index; the worker claims it (fromIndex), reads it in
 *                place and releases it there
 *   copy         write the payload into a reused Buffer, post it (structured
 *                clone copies the bytes)
 *   transfer     Buffer.allocUnsafe a fresh buffer per message, write, post
 *                with its ArrayBuffer in the transfer list (moved, so the
 *                next message needs a new one)
 *   SAB ring     a SharedArrayBuffer ring written by hand: write the payload
 *                into the next slot in place, advance an Atomics index; the
 *                worker waits with Atomics.waitAsync and frees the slot
 *
 * Each way is timed as a round trip (one message, wait for the worker's
 * answer) and as throughput (bursts of 128 messages, then wait until the
 * worker has handled them all). Every way writes the payload once and the
 * worker reads its first and last byte, so the difference is the hand-off.
 * Rounds repeat; each ratio is taken within a round, the median printed.
 * The main thread's `process.memoryUsage().arrayBuffers` is sampled after
 * every burst: the pool path allocates nothing per message.
 *
 *   npm run bench:handoff [-- --quick]
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../lib/internal/worker-entry.js';
import { SharedBufferPool } from '../lib/shared-buffer-pool.js';
import { median } from '../lib/stats.js';
import { waitWhileEqual } from './wait-async.js';

const WAYS = ['pool index', 'copy', 'transfer', 'SAB ring'] as const;
type Way = (typeof WAYS)[number];
const SIZES = [4096, 65536] as const;
const BURST = 128;
const SLOTS = 256; // ring slots, and pool blocks: more than a burst plus the worker's cache

interface Options {
  rounds: number;
  roundTrips: number;
  bursts: number;
}

interface Sample {
  rtNs: number; // per round trip
  tputNs: number; // per message, in bursts
  abMin: number; // main thread's arrayBuffers over the throughput run
  abMax: number;
  abFirst: number;
  abLast: number;
  workerAbDelta: number; // the worker's arrayBuffers after the throughput run minus before
}

/** One worker per size, with its pool and ring; replies arrive through `next()`. */
class Lane {
  readonly pool: SharedBufferPool;
  readonly ring: Uint8Array;
  readonly ctl: Int32Array; // [tail, head]
  readonly payload: Buffer;
  readonly reused: Buffer;
  worker!: Worker;
  private waiter: ((v: unknown) => void) | undefined;

  constructor(readonly size: number) {
    this.pool = new SharedBufferPool({ blockSize: size, blocks: SLOTS });
    this.ring = new Uint8Array(new SharedArrayBuffer(size * SLOTS));
    this.ctl = new Int32Array(new SharedArrayBuffer(8));
    this.payload = Buffer.alloc(size, 0x61);
    this.reused = Buffer.alloc(size);
  }

  async start(): Promise<void> {
    this.worker = spawnWorker(import.meta.url, './handoff-worker', {
      workerData: {
        handle: this.pool.handle,
        ring: this.ring.buffer,
        ctl: this.ctl.buffer,
        slots: SLOTS,
        size: this.size,
      },
    });
    this.worker.on('message', (v: unknown) => {
      const w = this.waiter;
      this.waiter = undefined;
      w?.(v);
    });
    this.worker.on('error', (err) => {
      throw err;
    });
    await this.next(); // 'ready'
  }

  next<T>(): Promise<T> {
    return new Promise<T>((resolve) => {
      this.waiter = resolve as (v: unknown) => void;
    });
  }

  /** Sends one message the given way; `ack` asks the worker to answer it. */
  send(way: Exclude<Way, 'SAB ring'>, ack: boolean): void {
    if (way === 'pool index') {
      const b = this.pool.acquire();
      b.set(this.payload);
      this.worker.postMessage({ kind: 'index', i: this.pool.indexOf(b), ack });
    } else if (way === 'copy') {
      this.reused.set(this.payload);
      this.worker.postMessage({ kind: 'copy', buf: this.reused, ack });
    } else {
      const b = Buffer.allocUnsafe(this.size);
      b.set(this.payload);
      const ab = b.buffer as ArrayBuffer;
      this.worker.postMessage({ kind: 'transfer', ab, ack }, [ab]);
    }
  }

  /** Writes the payload into the next ring slot, waiting for room. */
  async ringPut(): Promise<void> {
    const tail = Atomics.load(this.ctl, 0);
    for (;;) {
      const head = Atomics.load(this.ctl, 1);
      if (tail - head < SLOTS) break;
      await waitWhileEqual(this.ctl, 1, head, 1000);
    }
    this.ring.set(this.payload, (tail % SLOTS) * this.size);
    Atomics.store(this.ctl, 0, tail + 1); // publishes the slot (pairs with the worker's load of tail)
    Atomics.notify(this.ctl, 0);
  }

  /** Waits until the worker has consumed every slot written so far. */
  async ringDrain(): Promise<void> {
    const tail = Atomics.load(this.ctl, 0);
    for (;;) {
      const head = Atomics.load(this.ctl, 1);
      if (head === tail) return;
      await waitWhileEqual(this.ctl, 1, head, 1000);
    }
  }

  async roundTrips(way: Way, n: number): Promise<number> {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < n; k++) {
      if (way === 'SAB ring') {
        await this.ringPut();
        await this.ringDrain();
      } else {
        const answered = this.next();
        this.send(way, true);
        await answered;
      }
    }
    return Number(process.hrtime.bigint() - t0) / n;
  }

  async throughput(way: Way, bursts: number): Promise<Omit<Sample, 'rtNs'>> {
    const workerBefore = await this.workerArrayBuffers();
    let abMin = Number.POSITIVE_INFINITY;
    let abMax = 0;
    let abFirst = 0;
    let abLast = 0;
    let elapsed = 0n;
    for (let r = 0; r < bursts; r++) {
      const t0 = process.hrtime.bigint();
      if (way === 'SAB ring') {
        for (let k = 0; k < BURST; k++) await this.ringPut();
        await this.ringDrain();
      } else {
        for (let k = 0; k < BURST; k++) this.send(way, false);
        const flushed = this.next<{ seen: number }>();
        this.worker.postMessage({ kind: 'flush' });
        const { seen } = await flushed;
        if (seen !== BURST) throw new Error(`handoff: the worker saw ${seen} of ${BURST} messages`);
      }
      elapsed += process.hrtime.bigint() - t0;
      const ab = process.memoryUsage().arrayBuffers; // outside the timed part
      if (r === 0) abFirst = ab;
      abLast = ab;
      abMin = Math.min(abMin, ab);
      abMax = Math.max(abMax, ab);
    }
    const workerAbDelta = (await this.workerArrayBuffers()) - workerBefore;
    return { tputNs: Number(elapsed) / (bursts * BURST), abMin, abMax, abFirst, abLast, workerAbDelta };
  }

  async ringMode(on: boolean): Promise<void> {
    this.worker.postMessage({ kind: 'ring', on });
    if (!on) await new Promise((r) => setTimeout(r, 5));
  }

  async workerArrayBuffers(): Promise<number> {
    const answered = this.next<{ arrayBuffers: number }>();
    this.worker.postMessage({ kind: 'mem' });
    return (await answered).arrayBuffers;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
    this.pool.close();
  }
}

export interface HandoffResult {
  /** samples[size][way] = one Sample per round */
  samples: Map<number, Map<Way, Sample[]>>;
  options: Options;
}

export async function runHandoffBench(options: Options, log: (line: string) => void): Promise<HandoffResult> {
  const lanes = SIZES.map((s) => new Lane(s));
  const samples = new Map<number, Map<Way, Sample[]>>();
  try {
    for (const lane of lanes) await lane.start();
    for (const lane of lanes) {
      // warm up every way (JIT, the pool's views, the worker's caches)
      await lane.ringMode(true);
      for (const way of WAYS) {
        await lane.roundTrips(way, 100);
        await lane.throughput(way, 4);
      }
      await lane.ringMode(false);
      samples.set(lane.size, new Map(WAYS.map((w) => [w, []])));
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const lane of lanes) {
        log(`handoff: round ${round + 1}/${options.rounds}, ${lane.size / 1024} KiB`);
        // rotate the order each round, so no way always runs right after another
        const order = WAYS.map((_, k) => WAYS[(k + round) % WAYS.length] as Way);
        for (const way of order) {
          if (way === 'SAB ring') await lane.ringMode(true);
          const rtNs = await lane.roundTrips(way, options.roundTrips);
          const t = await lane.throughput(way, options.bursts);
          if (way === 'SAB ring') await lane.ringMode(false);
          samples
            .get(lane.size)
            ?.get(way)
            ?.push({ rtNs, ...t });
        }
      }
    }
    return { samples, options };
  } finally {
    for (const lane of lanes) await lane.close();
  }
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

export function formatHandoff(result: HandoffResult): string {
  const out: string[] = [];
  const row = (cells: string[], widths: number[]) =>
    cells.map((c, k) => (k < 2 ? c.padEnd(widths[k] as number) : c.padStart(widths[k] as number))).join(' ');
  const widths = [7, 11, 9, 10, 11, 12, 40];
  out.push(
    row(['size', 'way', 'rt µs', 'rt ÷ pool', 'tput msg/s', 'tput ÷ pool', 'arrayBuffers KiB: main | worker'], widths),
  );
  const verdicts: string[] = [];
  let fastest = true;
  for (const [size, byWay] of result.samples) {
    const pool = byWay.get('pool index') ?? [];
    for (const way of WAYS) {
      const s = byWay.get(way) ?? [];
      const rt = median(s.map((x) => x.rtNs));
      const tput = median(s.map((x) => x.tputNs));
      // within-round ratios: how many times the pool path's time this way takes
      const rtRatio = median(s.map((x, r) => x.rtNs / (pool[r]?.rtNs ?? Number.NaN)));
      const tputRatio = median(s.map((x, r) => x.tputNs / (pool[r]?.tputNs ?? Number.NaN)));
      const last = s[s.length - 1];
      const delta = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(0)}`;
      const ab =
        last === undefined
          ? ''
          : `${kib(last.abMin)}–${kib(last.abMax)} (${delta(last.abLast - last.abFirst)}) | ${delta(last.workerAbDelta)}`;
      out.push(
        row(
          [
            kib(size),
            way,
            (rt / 1000).toFixed(1),
            rtRatio.toFixed(2),
            (1e9 / tput).toFixed(0),
            tputRatio.toFixed(2),
            ab,
          ],
          widths,
        ),
      );
      if (size === 65536 && way !== 'pool index') {
        verdicts.push(
          `64 KiB, pool index vs ${way}: round trip ${rtRatio >= 1 ? 'faster' : 'SLOWER'} (${rtRatio.toFixed(2)}), ` +
            `throughput ${tputRatio >= 1 ? 'faster' : 'SLOWER'} (${tputRatio.toFixed(2)})`,
        );
        fastest &&= rtRatio >= 1 && tputRatio >= 1;
      }
    }
  }
  out.push('');
  out.push(
    "ratios: that way's time per message ÷ the pool path's, within a round, median over rounds (> 1: the pool is faster)",
  );
  for (const v of verdicts) out.push(v);
  out.push(`target: the pool path fastest at 64 KiB, round trip and throughput: ${fastest ? 'met' : 'NOT met'}`);
  out.push(
    "arrayBuffers: process.memoryUsage().arrayBuffers over the last round's throughput run, main thread (sampled " +
      'after every burst: min–max, last − first) and worker (after − before); the pool path allocates nothing per message',
  );
  return `${out.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const options: Options = quick
    ? { rounds: 5, roundTrips: 150, bursts: 6 }
    : { rounds: 11, roundTrips: 400, bursts: 16 };
  runHandoffBench(options, (l) => process.stderr.write(`${l}\n`)).then(
    (r) => {
      console.log(
        `handoff: ${new Date().toISOString()}, node ${process.version}, ${quick ? 'quick' : 'full'} run, ` +
          `${options.rounds} rounds × (${options.roundTrips} round trips + ${options.bursts} bursts of ${BURST})\n`,
      );
      console.log(formatHandoff(r));
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
