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
import type { SampleControl, SampleOutcome, WorkerReply, WorkerTeam } from './team.js';

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

/**
 * One benchmark started on a team: its pool open and its warm-up done (the op
 * count calibrated), ready to take timed samples one at a time, so a suite
 * can take them in a row or round-robin across benchmarks.
 */
export class BenchmarkRun {
  readonly result: BenchmarkResult;
  /** True once a sample or warm-up was cut short: take no more samples. */
  interrupted = false;
  private ops: number;
  private durationNs: number;
  /** The benchmark's pool; with placement randomized, a new one per sample (placed by its draw). */
  private pool: PoolHandle | undefined;
  private readonly usesPool: boolean;
  private readonly randomized: boolean;

  private constructor(
    private readonly team: WorkerTeam,
    private readonly spec: ResolvedSpec,
    private readonly control: BenchmarkControl,
    private readonly sampleControl: SampleControl,
    bounds: ResolvedBounds,
  ) {
    this.usesPool = SCENARIO_INFO[spec.scenario].usesPool;
    this.randomized = control.placement.run.randomized;
    this.result = {
      name: benchmarkName(spec),
      params: benchmarkParams(spec),
      samples: [],
      summary: { nsPerOp: summarize([]) },
    };
    this.ops = bounds.ops ?? 0;
    this.durationNs = bounds.durationMs !== undefined ? bounds.durationMs * 1e6 : 0;
  }

  /** Opens the pool and runs the warm-up (the first warm-up sample calibrates the op count). */
  static async start(
    team: WorkerTeam,
    spec: ResolvedSpec,
    bounds: ResolvedBounds,
    control: BenchmarkControl,
  ): Promise<BenchmarkRun> {
    const channels = SCENARIO_INFO[spec.scenario].threads === 'even' ? spec.threads / 2 : 0;
    const sampleControl = {
      deadline: control.deadline,
      timeLimitMs: control.timeLimitMs,
      signal: control.signal,
      channels,
    };
    const run = new BenchmarkRun(team, spec, control, sampleControl, bounds);
    try {
      // Fixed placement: one pool throughout.
      if (run.usesPool && !run.randomized) run.pool = openPool(spec);
      await run.warmUp(bounds);
    } catch (err) {
      run.close();
      throw err;
    }
    return run;
  }

  private async warmUp(bounds: ResolvedBounds): Promise<void> {
    const calibrate = bounds.ops === undefined && bounds.durationMs === undefined;
    const warmups = calibrate ? Math.max(1, bounds.warmup) : bounds.warmup;
    for (let i = 0; i < warmups; i++) {
      const first = i === 0 && calibrate;
      const done = await this.runOne(first ? 0 : this.ops, first ? bounds.sampleMs * 1e6 : this.durationNs);
      if (!done) return;
      const { replies, sample: s } = done;
      if (first) {
        // Ops per worker so that a sample lasts about sampleMs (the producer's count for producer-consumer).
        const perWorker = Math.max(...replies.map((r) => r.result.ops));
        const elapsedMs = s.elapsedNs / 1e6;
        this.ops = Math.max(1, Math.ceil((perWorker * bounds.sampleMs) / Math.max(elapsedMs, 1e-3)));
        this.durationNs = 0;
      }
      this.control.onSample?.({
        name: this.result.name,
        phase: 'warmup',
        index: i + 1,
        of: warmups,
        nsPerOp: s.nsPerOp,
      });
    }
  }

  /** One timed sample, the `index`-th (1-based) of `of`; false when it was cut short (interrupted). */
  async sample(index: number, of: number): Promise<boolean> {
    if (this.interrupted) return false;
    const done = await this.runOne(this.ops, this.durationNs);
    if (!done) return false;
    const s = done.sample;
    this.result.samples.push(s);
    this.control.onSample?.({ name: this.result.name, phase: 'sample', index, of, nsPerOp: s.nsPerOp });
    return true;
  }

  /** Closes the pool (idempotent) and summarises what was sampled. */
  finish(): BenchmarkOutcome {
    this.close();
    this.result.summary = { nsPerOp: summarize(this.result.samples.map((s) => s.nsPerOp)) };
    if (this.interrupted) this.result.interrupted = true;
    return { result: this.result, interrupted: this.interrupted };
  }

  /** Closes the pool without summarising (a failed run). */
  close(): void {
    this.pool?.close();
    this.pool = undefined;
  }

  /** One sample at the next placement; undefined when it was cut short. */
  private async runOne(
    ops: number,
    durationNs: number,
  ): Promise<{ replies: WorkerReply[]; sample: Sample } | undefined> {
    const placement = this.control.placement.next();
    if (this.usesPool && this.randomized) this.pool = openPool(this.spec, placement.dataOffset);
    try {
      const outcome = await this.team.runSample(
        jobsFor(this.spec, this.pool?.id, ops, durationNs, this.control.pinThreads, placement),
        this.sampleControl,
      );
      const replies = complete(outcome);
      if (!replies) {
        this.interrupted = true;
        return undefined;
      }
      checkHandoff(this.result.name, replies);
      return { replies, sample: { ...aggregateSample(replies, this.spec.threads), placement } };
    } finally {
      if (this.randomized) this.close();
    }
  }
}

/** One benchmark start to end: warm-up, then its `repeat` samples in a row. */
export async function runBenchmark(
  team: WorkerTeam,
  spec: ResolvedSpec,
  bounds: ResolvedBounds,
  control: BenchmarkControl,
): Promise<BenchmarkOutcome> {
  const run = await BenchmarkRun.start(team, spec, bounds, control);
  try {
    for (let i = 0; i < bounds.repeat; i++) if (!(await run.sample(i + 1, bounds.repeat))) break;
  } finally {
    run.close();
  }
  return run.finish();
}
