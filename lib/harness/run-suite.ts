/**
 * The harness's public entry points: `runStress` (one benchmark) and
 * `runSuite` (many, on one team of workers). Both return a results document
 * (lib/results/schema.ts); an interrupted run returns what finished, marked
 * `interrupted`.
 */

import { DEFAULTS } from '../limits.js';
import { type BenchmarkResult, type EventInfo, type ResultsDocument, SCHEMA_VERSION } from '../results/schema.js';
import { describeValue, expectBoolean, expectFunction, expectObject, rejectUnknownKeys } from '../validate.js';
import { toolVersion } from '../version.js';
import { type FidelityResult, measureFidelity } from './fidelity.js';
import { machineFacts } from './machine-facts.js';
import { benchmarkName } from './naming.js';
import {
  type BenchmarkSpec,
  BOUNDS_OPTION_KEYS,
  limitedInteger,
  PLACEMENT_OPTION_KEYS,
  type PlacementOptions,
  type ResolvedBounds,
  type ResolvedSpec,
  rejectNullOptions,
  resolveBounds,
  resolveSpec,
  type SampleBounds,
  SPEC_OPTION_KEYS,
} from './options.js';
import { PlacementDraws, resolvePlacement } from './placement.js';
import {
  type BenchmarkControl,
  type BenchmarkOutcome,
  BenchmarkRun,
  runBenchmark,
  type SampleEvent,
} from './run-benchmark.js';
import { scenarioStatements } from './scenarios.js';
import { WorkerTeam } from './team.js';

/** Software events (counted here) and the hardware ones (reported not-supported here, with the reason). */
export const DEFAULT_EVENTS: readonly string[] = [
  'task-clock',
  'page-faults',
  'context-switches',
  'cpu-migrations',
  'cycles',
  'instructions',
  'cache-misses',
  'branch-misses',
];

/** How a run is observed and bounded: counters, time limit, interruption, progress callbacks. */
export interface RunControlOptions extends PlacementOptions {
  /** Events each worker counts for its own thread. @default DEFAULT_EVENTS */
  events?: readonly string[];
  /** The whole run is stopped with RunError ERR_TIME_LIMIT past this, ms, from 1 to 2147483647 (LIMITS.timeLimitMs). @default 600000 (DEFAULTS.timeLimitMs) */
  timeLimitMs?: number;
  /** Aborting stops the workers and returns what finished, marked `interrupted`. */
  signal?: AbortSignal;
  /** Called after every sample (warm-up included). */
  onSample?: (event: SampleEvent) => void;
  /** Called before each benchmark starts (index is 0-based). */
  onBenchmark?: (event: { name: string; index: number; total: number }) => void;
  /**
   * Pin worker i to the i-th CPU the process may use, so that workers run
   * side by side on different CPUs (on a busy machine the scheduler would
   * otherwise often stack them on one CPU, where nothing crosses cores).
   * @default true (DEFAULTS.pinThreads)
   */
  pinThreads?: boolean;
  /** Called when a benchmark finished (also when it was cut short by an interruption). */
  onResult?: (result: BenchmarkResult, index: number, total: number) => void;
}

/** Options of {@link runStress}: one benchmark, its sample bounds, and how the run is controlled. */
export interface StressOptions extends BenchmarkSpec, SampleBounds, RunControlOptions {}

/** Options of {@link runSuite}: sample bounds shared by every benchmark, and how the run is controlled. */
export interface SuiteOptions extends SampleBounds, RunControlOptions {
  /** Recorded in `config.suite`. */
  suite?: string;
  /**
   * Before the suite, time get-put through the harness and in-process on the
   * main thread, alternating, and record both in `config.fidelity`.
   * @default false
   */
  fidelity?: boolean;
  /** Called with the fidelity result when measured. */
  onFidelity?: (result: FidelityResult) => void;
  /**
   * Take the samples round-robin: every benchmark is warmed up (and calibrated) first, then each
   * round takes one sample of every benchmark in turn, `repeat` rounds, so a burst of load on a
   * shared machine hits every benchmark alike instead of a few whole ones (the peers run uses it).
   * Every benchmark's pool stays open until the last round. @default false
   */
  roundRobin?: boolean;
  /**
   * With `roundRobin`: called after each round (0-based), before the next; the run waits for it,
   * so a caller can measure something outside the harness in the same rounds (the peers run
   * times Node's own allocation here).
   */
  onRound?: (round: number, rounds: number) => void | Promise<void>;
}

const CONTROL_KEYS = [
  'events',
  'timeLimitMs',
  'signal',
  'onSample',
  'onBenchmark',
  'onResult',
  'pinThreads',
  ...PLACEMENT_OPTION_KEYS,
] as const;
const SUITE_KEYS = ['suite', 'fidelity', 'onFidelity', 'roundRobin', 'onRound'] as const;

function expectSignal(value: unknown): AbortSignal {
  if (!(value instanceof AbortSignal)) {
    throw new TypeError(`options.signal must be an AbortSignal (received ${describeValue(value)})`);
  }
  return value;
}

function resolveEvents(value: unknown): string[] {
  if (value === undefined) return [...DEFAULT_EVENTS];
  if (!Array.isArray(value) || value.some((e) => typeof e !== 'string' || e.length === 0)) {
    throw new TypeError(
      `options.events must be an array of event names such as 'task-clock' (received ${describeValue(value)})`,
    );
  }
  return [...new Set(value as string[])];
}

/**
 * Runs one stress benchmark through the harness: worker threads started
 * together, the scenario's loop in native code on each, counters per thread,
 * warm-up (calibrating the op count unless `ops`/`durationMs` is given),
 * `repeat` timed samples. Returns a results document with one benchmark.
 * Rejects with a {@link RunError} when a worker fails (`ERR_WORKER_FAILED`,
 * with its message and stack) or the run passes `timeLimitMs`
 * (`ERR_TIME_LIMIT`); an aborted `signal` resolves with what finished,
 * marked `interrupted`. Bad options throw a TypeError/RangeError naming the
 * field.
 *
 * @example
 * ```ts
 * import { runStress } from 'poolscope';
 *
 * const doc = await runStress({ scenario: 'get-put', layout: 'packed', threads: 2, repeat: 5 });
 * const [b] = doc.benchmarks;
 * console.log(`${b?.name}-2: ${b?.summary.nsPerOp.median.toFixed(2)} ns/op`);
 * ```
 */
export async function runStress(options: StressOptions): Promise<ResultsDocument> {
  const o = expectObject('options', options);
  rejectUnknownKeys('options', o, [...SPEC_OPTION_KEYS, ...BOUNDS_OPTION_KEYS, ...CONTROL_KEYS]);
  rejectNullOptions('options', o);
  const spec: Record<string, unknown> = {};
  for (const key of SPEC_OPTION_KEYS) if (o[key] !== undefined) spec[key] = o[key];
  resolveSpec('options', spec); // checked here too, so that messages name options.threads, not specs[0].threads
  const rest: Record<string, unknown> = {};
  for (const key of [...BOUNDS_OPTION_KEYS, ...CONTROL_KEYS]) if (o[key] !== undefined) rest[key] = o[key];
  return runSuite([spec as unknown as BenchmarkSpec], { ...(rest as SuiteOptions), suite: 'run' });
}

/**
 * Runs every benchmark of `specs` on one team of workers (spawned once: as
 * many as the most threads any spec wants), in order, and returns one
 * results document; `writeReports(doc, dir)` renders it. Errors and
 * interruption as for {@link runStress}.
 *
 * @example
 * ```ts
 * import { runSuite, writeReports } from 'poolscope';
 *
 * const doc = await runSuite(
 *   [
 *     { scenario: 'false-sharing', layout: 'packed', threads: 2 },
 *     { scenario: 'false-sharing', layout: 'pad64', threads: 2 },
 *   ],
 *   { repeat: 8, sampleMs: 20 },
 * );
 * await writeReports(doc, 'bench-out/false-sharing');
 * ```
 */
export async function runSuite(specs: readonly BenchmarkSpec[], options: SuiteOptions = {}): Promise<ResultsDocument> {
  const o = expectObject('options', options, true);
  rejectUnknownKeys('options', o, [...BOUNDS_OPTION_KEYS, ...CONTROL_KEYS, ...SUITE_KEYS]);
  rejectNullOptions('options', o);
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new TypeError(`specs must be a non-empty array of benchmarks (received ${describeValue(specs)})`);
  }
  const resolved: ResolvedSpec[] = specs.map((s, i) => resolveSpec(`specs[${i}]`, s));
  const bounds = resolveBounds('options', o);
  const events = resolveEvents(o.events);
  const timeLimitMs = limitedInteger('options', 'timeLimitMs', o.timeLimitMs ?? DEFAULTS.timeLimitMs);
  const signal = o.signal === undefined ? undefined : expectSignal(o.signal);
  for (const key of ['onSample', 'onBenchmark', 'onResult', 'onFidelity'] as const) {
    if (o[key] !== undefined) expectFunction(`options.${key}`, o[key]);
  }
  if (o.suite !== undefined && typeof o.suite !== 'string') {
    throw new TypeError(`options.suite must be a string (received ${describeValue(o.suite)})`);
  }
  if (o.fidelity !== undefined) expectBoolean('options.fidelity', o.fidelity);
  const pinThreads =
    o.pinThreads === undefined ? DEFAULTS.pinThreads : expectBoolean('options.pinThreads', o.pinThreads);
  const roundRobin = o.roundRobin === undefined ? false : expectBoolean('options.roundRobin', o.roundRobin);
  if (o.onRound !== undefined) expectFunction('options.onRound', o.onRound);
  const placement = resolvePlacement(o);
  const draws = new PlacementDraws(placement);
  const startedAt = new Date();
  const deadline = startedAt.getTime() + timeLimitMs;
  const threads = Math.max(...resolved.map((s) => s.threads));

  const facts = machineFacts(events);
  // Starting the workers counts against the run's time limit like the samples do: a worker that never
  // loads fails the run with ERR_TIME_LIMIT at the deadline, and a slow start eats into the limit.
  const team = await WorkerTeam.start(threads, events, Math.max(1, deadline - Date.now()), timeLimitMs);
  const benchmarks: BenchmarkResult[] = [];
  let interrupted = false;
  let fidelity: FidelityResult | undefined;
  try {
    if (o.fidelity === true) {
      fidelity = await measureFidelity(team, {
        placement: draws,
        deadline,
        timeLimitMs,
        signal,
        ...(bounds.sampleMs !== undefined ? { sampleMs: bounds.sampleMs } : {}),
      });
      if (fidelity) options.onFidelity?.(fidelity);
      else interrupted = true;
    }
    const control: BenchmarkControl = {
      pinThreads,
      deadline,
      timeLimitMs,
      signal,
      onSample: options.onSample,
      placement: draws,
    };
    const started = (spec: ResolvedSpec, index: number) => {
      options.onBenchmark?.({ name: `${benchmarkName(spec)}-${spec.threads}`, index, total: resolved.length });
    };
    const finished = (outcome: BenchmarkOutcome, index: number) => {
      if (outcome.result.samples.length > 0 || !outcome.interrupted) {
        benchmarks.push(outcome.result);
        options.onResult?.(outcome.result, index, resolved.length);
      }
      if (outcome.interrupted) interrupted = true;
    };
    if (roundRobin && !interrupted) {
      interrupted = await runRoundRobin(team, resolved, bounds, control, started, finished, options.onRound);
    } else {
      for (const [index, spec] of resolved.entries()) {
        if (interrupted || signal?.aborted) {
          interrupted = true;
          break;
        }
        started(spec, index);
        finished(await runBenchmark(team, spec, bounds, control), index);
      }
    }
  } finally {
    await team.terminate();
  }
  const doc: ResultsDocument = {
    schema: SCHEMA_VERSION,
    tool: { name: 'poolscope', version: toolVersion() },
    startedAt: startedAt.toISOString(),
    machine: facts.machine,
    events: mergeEvents(facts.events, team.events),
    config: {
      suite: options.suite ?? 'custom',
      repeat: bounds.repeat,
      warmup: bounds.warmup,
      sampleMs: bounds.sampleMs,
      ...(bounds.ops !== undefined ? { ops: bounds.ops } : {}),
      ...(bounds.durationMs !== undefined ? { durationMs: bounds.durationMs } : {}),
      events,
      timeLimitMs,
      threads,
      pinThreads,
      placement,
      ...(roundRobin ? { roundRobin } : {}),
      tscHz: facts.tscHz,
      scenarios: scenarioStatements(),
      ...(fidelity ? { fidelity } : {}),
    },
    benchmarks,
  };
  if (interrupted) doc.interrupted = true;
  return doc;
}

/**
 * The round-robin order: warm every benchmark up, then `repeat` rounds of one sample each, then
 * summarise them all. Returns whether the run was interrupted (what was sampled is kept).
 */
async function runRoundRobin(
  team: WorkerTeam,
  specs: readonly ResolvedSpec[],
  bounds: ResolvedBounds,
  control: BenchmarkControl,
  started: (spec: ResolvedSpec, index: number) => void,
  finished: (outcome: BenchmarkOutcome, index: number) => void,
  onRound: SuiteOptions['onRound'],
): Promise<boolean> {
  const runs: BenchmarkRun[] = [];
  let interrupted = false;
  try {
    for (const [index, spec] of specs.entries()) {
      if (control.signal?.aborted) break;
      started(spec, index);
      const run = await BenchmarkRun.start(team, spec, bounds, control);
      runs.push(run);
      if (run.interrupted) break;
    }
    interrupted = runs.length < specs.length || runs.some((r) => r.interrupted);
    for (let round = 0; !interrupted && round < bounds.repeat; round++) {
      for (const run of runs) {
        if (!(await run.sample(round + 1, bounds.repeat))) {
          interrupted = true;
          break;
        }
      }
      if (!interrupted) await onRound?.(round, bounds.repeat);
    }
  } finally {
    for (const run of runs) run.close();
  }
  interrupted ||= runs.some((r) => r.interrupted);
  for (const [index, run] of runs.entries()) {
    // An interrupted round-robin cut every benchmark short, not only the one that was running.
    if (interrupted) run.interrupted = true;
    finished(run.finish(), index);
  }
  return interrupted;
}

/** The workers' view of each event (they opened them) wins over the main thread's probe. */
function mergeEvents(probed: readonly EventInfo[], fromWorkers: readonly EventInfo[]): EventInfo[] {
  const byName = new Map(fromWorkers.map((e) => [e.name, e]));
  return probed.map((e) => byName.get(e.name) ?? e);
}
