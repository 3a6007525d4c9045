/**
 * One benchmark on a running team: make the pool, warm up (the first warm-up
 * sample also calibrates the op count when none was given, Go's b.N way),
 * run the repeats, check the scenario's own invariants, summarise.
 */
import { RunError } from '../errors.js';
import type { BenchmarkResult, Sample, SamplePlacement } from '../results/schema.js';
import { summarize } from '../stats.js';
import { aggregateSample, handoffOf } from './aggregate.js';
import { benchmarkName, benchmarkParams } from './naming.js';
import type { NativeJob } from './native.js';
import type { ResolvedBounds, ResolvedSpec } from './options.js';
import type { PlacementDraws } from './placement.js';
import { openPool, type PoolHandle } from './pool-handle.js';
import { SCENARIO_INFO } from './scenarios.js';
import type { SampleOutcome, WorkerReply, WorkerTeam } from './team.js';

export interface BenchmarkControl {
  /** Pin worker i to the i-th CPU the process may use. */
  pinThreads: boolean;
  /** Epoch ms past which the run fails with ERR_TIME_LIMIT. */
  deadline: number;
  timeLimitMs: number;
  signal?: AbortSignal | undefined;
  /** Called after each sample (warm-up included). */
  onSample?: ((event: SampleEvent) => void) | undefined;
  /** The run's placement draws: each sample (warm-up included) takes the next one. */
  placement: PlacementDraws;
}

/** Reported after every sample (warm-up included) to `onSample`. */
export interface SampleEvent {
  name: string;
  phase: 'warmup' | 'sample';
  /** 1-based within the phase. */
  index: number;
  of: number;
  nsPerOp: number;
}

/** What the run of one benchmark produced: its result, and whether it was cut short. */
export interface BenchmarkOutcome {
  result: BenchmarkResult;
  interrupted: boolean;
}

function jobsFor(
  spec: ResolvedSpec,
  poolId: number | undefined,
  ops: number,
  durationNs: number,
  pin: boolean,
  placement: SamplePlacement,
) {
  const job: Omit<NativeJob, 'group' | 'worker'> = {
    ...placement,
    scenario: spec.scenario,
    pool: spec.pool,
    ops,
    durationNs,
    objectSize: spec.objectSize,
    batch: spec.batch,
    clearEvery: spec.clearEvery,
    victim: spec.victim,
    ...(poolId !== undefined ? { poolId } : {}),
  };
  return Array.from({ length: spec.threads }, (_, worker) => (pin ? { ...job, cpu: worker } : job));
}

function complete(outcome: SampleOutcome): WorkerReply[] | undefined {
  if (outcome.interrupted) return undefined;
  const replies = outcome.replies.filter((r): r is WorkerReply => r !== undefined);
  if (replies.length !== outcome.replies.length || replies.some((r) => r.result.stopped || r.result.cancelled)) {
    return undefined;
  }
  return replies;
}

/** Throws when a producer-consumer sample lost, duplicated or reordered an object. */
function checkHandoff(name: string, replies: readonly WorkerReply[]): void {
  const h = handoffOf(replies);
  if (!h) return;
  if (h.produced !== h.consumed || h.orderErrors !== 0) {
    throw new RunError(
      'ERR_HANDOFF',
      `${name}: objects were not moved exactly once (produced ${h.produced}, consumed ${h.consumed}, ${h.orderErrors} out of order)`,
    );
  }
}

export async function runBenchmark(
  team: WorkerTeam,
  spec: ResolvedSpec,
  bounds: ResolvedBounds,
  control: BenchmarkControl,
): Promise<BenchmarkOutcome> {
  const name = benchmarkName(spec);
  const result: BenchmarkResult = {
    name,
    params: benchmarkParams(spec),
    samples: [],
    summary: { nsPerOp: summarize([]) },
  };
  const channels = SCENARIO_INFO[spec.scenario].threads === 'even' ? spec.threads / 2 : 0;
  const usesPool = SCENARIO_INFO[spec.scenario].usesPool;
  const randomized = control.placement.run.randomized;
  // Randomized: a new pool per sample, its records placed by the sample's draw; fixed: one pool throughout.
  let pool: PoolHandle | undefined = usesPool && !randomized ? openPool(spec) : undefined;
  const sampleControl = {
    deadline: control.deadline,
    timeLimitMs: control.timeLimitMs,
    signal: control.signal,
    channels,
  };
  /** One sample at the next placement; undefined when it was cut short. */
  const sample = async (ops: number, durationNs: number) => {
    const placement = control.placement.next();
    if (usesPool && randomized) pool = openPool(spec, placement.dataOffset);
    try {
      const outcome = await team.runSample(
        jobsFor(spec, pool?.id, ops, durationNs, control.pinThreads, placement),
        sampleControl,
      );
      const replies = complete(outcome);
      if (!replies) return undefined;
      checkHandoff(name, replies);
      return { replies, sample: { ...aggregateSample(replies, spec.threads), placement } };
    } finally {
      if (randomized) {
        pool?.close();
        pool = undefined;
      }
    }
  };
  let interrupted = false;
  try {
    let ops = bounds.ops ?? 0;
    let durationNs = bounds.durationMs !== undefined ? bounds.durationMs * 1e6 : 0;
    const calibrate = bounds.ops === undefined && bounds.durationMs === undefined;
    const warmups = calibrate ? Math.max(1, bounds.warmup) : bounds.warmup;
    for (let i = 0; i < warmups; i++) {
      const first = i === 0 && calibrate;
      const done = await sample(first ? 0 : ops, first ? bounds.sampleMs * 1e6 : durationNs);
      if (!done) {
        interrupted = true;
        break;
      }
      const s = done.sample;
      if (first) {
        // Ops per worker so that a sample lasts about sampleMs (the producer's count for producer-consumer).
        const perWorker = Math.max(...done.replies.map((r) => r.result.ops));
        const elapsedMs = s.elapsedNs / 1e6;
        ops = Math.max(1, Math.ceil((perWorker * bounds.sampleMs) / Math.max(elapsedMs, 1e-3)));
        durationNs = 0;
      }
      control.onSample?.({ name, phase: 'warmup', index: i + 1, of: warmups, nsPerOp: s.nsPerOp });
    }
    for (let i = 0; !interrupted && i < bounds.repeat; i++) {
      const done = await sample(ops, durationNs);
      if (!done) {
        interrupted = true;
        break;
      }
      const s: Sample = done.sample;
      result.samples.push(s);
      control.onSample?.({ name, phase: 'sample', index: i + 1, of: bounds.repeat, nsPerOp: s.nsPerOp });
    }
  } finally {
    pool?.close();
  }
  result.summary = { nsPerOp: summarize(result.samples.map((s) => s.nsPerOp)) };
  if (interrupted) result.interrupted = true;
  return { result, interrupted };
}
