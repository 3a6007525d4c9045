/**
 * Harness fidelity: does running a loop through the harness (a worker
 * thread, the start barrier, counters, the loop in chunks) change what it
 * measures? The get-put loop is timed both ways, alternating, in one run:
 * through the harness on one worker, and in-process on the main thread as one
 * AnyPool::run() call timed by the core itself (no worker, no barrier, no
 * chunks). The ratio of the medians should be within a few percent of 1.
 * Both run on the same CPU (the main thread and the worker are pinned to the
 * first CPU of the process for the check): two vCPUs of a VM can differ by
 * tens of percent (a busy sibling on the host), which would otherwise be
 * measured as the harness's cost. With placement randomization each pair
 * draws a placement (stack offset, code copy, a new pool with its records
 * placed) shared by its three measurements, so the medians are over
 * placements.
 */
import { Counters } from '../counters/index.js';
import type { SamplePlacement } from '../results/schema.js';
import { median } from '../stats.js';
import { harnessAddon, type NativeJob } from './native.js';
import { resolveSpec } from './options.js';
import { FIXED_PLACEMENT, type PlacementDraws } from './placement.js';
import { openPool } from './pool-handle.js';
import type { WorkerTeam } from './team.js';

/** The harness-fidelity check: get-put timed through the harness and in-process, alternating. */
export interface FidelityResult {
  /** The benchmark both ways measure. */
  name: string;
  /** Get+put pairs per sample (the same both ways). */
  ops: number;
  /** Alternating pairs of samples. */
  pairs: number;
  harnessNsPerOp: number;
  inProcessNsPerOp: number;
  /** harness ÷ in-process (medians). */
  ratio: number;
  /**
   * harness ÷ in-process (fastest samples). On a shared machine a sample is
   * often slowed by other jobs; the fastest of each side is the least
   * disturbed, so this ratio isolates what the harness itself adds.
   */
  minRatio: number;
  /**
   * The same comparison in CPU time (task-clock ns per op, medians): time the
   * thread was descheduled by other jobs does not count, so on a busy machine
   * this isolates what the harness adds better than wall time can. Absent
   * when task-clock is not counted.
   */
  cpu?: { harnessNsPerOp: number; inProcessNsPerOp: number; ratio: number };
  /**
   * The same reference loop (one in-process call, no barrier, no chunks, no
   * counters around it natively) run on the worker's own thread: the same
   * loop on two different threads can differ by tens of percent here (where
   * the thread's stack and allocations fall relative to the pool's records),
   * so this isolates what the harness's machinery itself adds.
   */
  sameThread: { referenceNsPerOp: number; ratio: number; referenceSamples: number[] };
  harnessSamples: number[];
  inProcessSamples: number[];
  /** Each pair's placement, in order (all FIXED_PLACEMENT when randomization is off). */
  placements: SamplePlacement[];
}

export interface FidelityOptions {
  pairs?: number;
  sampleMs?: number;
  deadline: number;
  timeLimitMs: number;
  signal?: AbortSignal | undefined;
  /** The run's placement draws: each pair takes the next one. */
  placement: PlacementDraws;
}

/** Undefined when interrupted before it finished. */
export async function measureFidelity(team: WorkerTeam, options: FidelityOptions): Promise<FidelityResult | undefined> {
  const addon = harnessAddon();
  const spec = resolveSpec('fidelity', { scenario: 'get-put', pool: 'sync', layout: 'pad128', publish: 'xadd' });
  const randomized = options.placement.run.randomized;
  let pool = openPool(spec);
  let placement: SamplePlacement = { ...FIXED_PLACEMENT };
  const pairs = options.pairs ?? 11;
  const sampleMs = options.sampleMs ?? 10;
  try {
    const job = (ops: number): Omit<NativeJob, 'group' | 'worker'> => ({
      stackOffset: placement.stackOffset,
      codeCopy: placement.codeCopy,
      cpu: 0,
      scenario: 'get-put',
      pool: 'sync',
      poolId: pool.id,
      ops,
      durationNs: 0,
      objectSize: spec.objectSize,
      batch: 1,
      clearEvery: 1,
      victim: true,
    });
    // task-clock around the in-process call (read in JS: its ~µs of overhead is ~0.01% of a sample).
    const mainCounters = Counters.open(['task-clock']);
    const cpuIn: number[] = [];
    const cpuHarness: number[] = [];
    const inProcess = (ops: number) => {
      addon.harnessPinThread(0);
      mainCounters.start();
      const r = addon.harnessRunInProcess({ ...job(ops), group: 0, worker: 0 });
      const tc = mainCounters.stop()[0];
      addon.harnessPinThread(-1); // the main thread is never left pinned (workers are pinned relative to its mask)
      if (tc?.state === 'counted') cpuIn.push(tc.value / r.ops);
      return r.endOffsetNs / r.ops;
    };
    const throughHarness = async (ops: number) => {
      const out = await team.runSample([job(ops)], { ...options, channels: 0 });
      const reply = out.replies[0];
      const r = reply?.result;
      if (out.interrupted || !r || r.stopped || r.cancelled) return undefined;
      const tc = reply?.counters['task-clock'];
      if (tc?.state === 'counted') cpuHarness.push(tc.value / r.ops);
      return r.endOffsetNs / r.ops;
    };
    // Calibrate on the main thread, then warm both paths once.
    const probeOps = 200_000;
    const ops = Math.max(probeOps, Math.ceil((sampleMs * 1e6) / Math.max(inProcess(probeOps), 0.1)));
    inProcess(ops);
    if ((await throughHarness(ops)) === undefined) return undefined;
    cpuIn.length = 0;
    cpuHarness.length = 0;
    const onWorker = async (ops: number) => {
      const r = (await team.runReference(0, job(ops))).result;
      return r.endOffsetNs / r.ops;
    };
    await onWorker(ops);
    const harnessSamples: number[] = [];
    const inProcessSamples: number[] = [];
    const sameThreadSamples: number[] = [];
    const placements: SamplePlacement[] = [];
    for (let i = 0; i < pairs; i++) {
      if (options.signal?.aborted) return undefined;
      placement = options.placement.next();
      placements.push(placement);
      if (randomized) {
        pool.close();
        pool = openPool(spec, placement.dataOffset);
      }
      const h = await throughHarness(ops);
      if (h === undefined) return undefined;
      harnessSamples.push(h);
      inProcessSamples.push(inProcess(ops));
      sameThreadSamples.push(await onWorker(ops));
    }
    mainCounters.close();
    const harnessNsPerOp = median(harnessSamples);
    const inProcessNsPerOp = median(inProcessSamples);
    const cpu =
      cpuIn.length === pairs && cpuHarness.length === pairs
        ? {
            harnessNsPerOp: median(cpuHarness),
            inProcessNsPerOp: median(cpuIn),
            ratio: median(cpuHarness) / median(cpuIn),
          }
        : undefined;
    return {
      name: 'GetPut/pool=sync/layout=pad128/publish=xadd',
      ops,
      pairs,
      harnessNsPerOp,
      inProcessNsPerOp,
      ratio: harnessNsPerOp / inProcessNsPerOp,
      minRatio: Math.min(...harnessSamples) / Math.min(...inProcessSamples),
      ...(cpu ? { cpu } : {}),
      sameThread: {
        referenceNsPerOp: median(sameThreadSamples),
        ratio: harnessNsPerOp / median(sameThreadSamples),
        referenceSamples: sameThreadSamples,
      },
      harnessSamples,
      inProcessSamples,
      placements,
    };
  } finally {
    pool.close();
  }
}

/**
 * One line: both medians, their ratio, the fastest-sample ratio, and the
 * verdict against the 3% target (`poolscope bench` prints it).
 *
 * @example
 * ```ts
 * import { formatFidelity, type FidelityResult, runSuite } from 'poolscope';
 *
 * const doc = await runSuite([{ scenario: 'get-put' }], { fidelity: true });
 * console.log(formatFidelity(doc.config.fidelity as FidelityResult));
 * ```
 */
export function formatFidelity(f: FidelityResult): string {
  const within = (r: number) => Math.abs(r - 1) <= 0.03;
  const verdict = within(f.ratio)
    ? 'within 3%'
    : within(f.minRatio)
      ? 'medians outside 3% (a busy machine), fastest samples within 3%'
      : 'outside the 3% target';
  return (
    `harness fidelity (${f.name}, 1 thread, same CPU, ${f.pairs} alternating pairs of ${f.ops} ops): ` +
    `through the harness ${f.harnessNsPerOp.toFixed(3)} ns/op, in-process ${f.inProcessNsPerOp.toFixed(3)} ns/op, ` +
    `ratio ${f.ratio.toFixed(3)} (fastest samples ${Math.min(...f.harnessSamples).toFixed(3)} vs ` +
    `${Math.min(...f.inProcessSamples).toFixed(3)}: ${f.minRatio.toFixed(3)}) — ${verdict}` +
    (f.cpu
      ? `; in CPU time (task-clock) ${f.cpu.harnessNsPerOp.toFixed(3)} vs ${f.cpu.inProcessNsPerOp.toFixed(3)} ns/op, ratio ${f.cpu.ratio.toFixed(3)}`
      : '') +
    `; the same in-process loop on the worker's own thread: ${f.sameThread.referenceNsPerOp.toFixed(3)} ns/op, ` +
    `harness ÷ it = ${f.sameThread.ratio.toFixed(3)} (${Math.abs(f.sameThread.ratio - 1) <= 0.03 ? 'within 3%' : 'outside 3%'})`
  );
}
